"""`channelfin dev`'s delivery process stops by itself when the server that started it is gone."""

from __future__ import annotations

import os
import threading
import time

from channelfin.local.webhook_worker import _wait


def test_an_orphaned_worker_stops_instead_of_waiting_for_its_next_pass():
    stop = threading.Event()
    started = time.perf_counter()
    _wait(3600, parent_pid=os.getppid() + 1_000_000, stop=stop)  # not our parent: the parent was killed
    assert stop.is_set() and time.perf_counter() - started < 1


def test_a_worker_whose_parent_lives_waits_for_the_interval():
    stop = threading.Event()
    started = time.perf_counter()
    _wait(0.3, parent_pid=os.getppid(), stop=stop)
    assert not stop.is_set() and time.perf_counter() - started >= 0.3


def _settings_seen_by_main(monkeypatch) -> int:
    """The lane count the delivery process would build its ports with (its loop, renice and
    signal handlers left out: they belong to the process, not to pytest)."""
    from channelfin.local import webhook_worker

    seen: list[int] = []
    monkeypatch.setattr(webhook_worker, "deliver_until_stopped", lambda *_: seen.append(_lanes()))
    monkeypatch.setattr(webhook_worker.os, "nice", lambda _: 0)
    monkeypatch.setattr(webhook_worker.signal, "signal", lambda *_: None)
    assert webhook_worker.main(["--interval", "1"]) == 0
    return seen[0]


def _lanes() -> int:
    from channelfin.bootstrap import _webhook_settings

    return _webhook_settings(os.environ).lanes


def test_channelfin_dev_delivers_on_one_lane_unless_told_otherwise(monkeypatch):
    monkeypatch.setenv("CHANNELFIN_WEBHOOK_LANES", "")  # restored after the test, whatever main() sets
    monkeypatch.delenv("CHANNELFIN_WEBHOOK_LANES", raising=False)
    assert _settings_seen_by_main(monkeypatch) == 1
    monkeypatch.setenv("CHANNELFIN_WEBHOOK_LANES", "6")
    assert _settings_seen_by_main(monkeypatch) == 6


def test_elsewhere_the_default_is_four_lanes(monkeypatch):
    monkeypatch.delenv("CHANNELFIN_WEBHOOK_LANES", raising=False)
    assert _lanes() == 4
