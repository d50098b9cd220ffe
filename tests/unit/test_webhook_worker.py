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
