"""`channelfin dev`'s delivery waits while the API works (channelfin/local/api_first.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from channelfin.local.api_first import ApiFirst, ApiFirstStore, process_cpu_clock


class Machine:
    """A clock, and the API's CPU clock running at `share` of a core while `busy_until` lasts."""

    def __init__(self) -> None:
        self.now = 100.0
        self.cpu_ns = 0
        self.share = 0.0
        self.busy_until = float("inf")
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def api_cpu(self) -> int:
        return self.cpu_ns

    def pass_time(self, seconds: float) -> None:
        busy = max(0.0, min(self.now + seconds, self.busy_until) - self.now)
        self.cpu_ns += int(busy * self.share * 1e9)
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.pass_time(seconds)

    def api_first(self, **settings: float) -> ApiFirst:
        return ApiFirst(self.api_cpu, clock=self.clock, sleep=self.sleep, **settings)


def test_an_idle_api_lets_each_write_go_at_once():
    machine = Machine()
    gate = machine.api_first()
    machine.pass_time(0.03)
    for _ in range(50):  # a fan-out: a write every 4 ms, the API doing nothing
        gate.wait()
        machine.pass_time(0.004)
    assert machine.slept == [] and gate.waited == 0


def test_a_busy_api_holds_the_write_until_it_has_been_quiet_for_a_while():
    machine = Machine()
    gate = machine.api_first()
    machine.share, machine.busy_until = 0.5, 100.2  # mutations back to back for 0.2 s
    machine.pass_time(0.03)
    gate.wait()
    # released once a whole quiet span (20 ms) lies after the last of the API's work
    assert 100.2 + 0.02 <= machine.now <= 100.2 + 0.02 + 0.005 + 1e-9
    assert gate.waited == pytest.approx(machine.now - 100.03)


def test_a_short_gap_between_two_requests_does_not_count_as_idle():
    """A mutation waits for DynamoDB Local with its process idle: 3 ms of that is not a quiet API."""
    machine = Machine()
    gate = machine.api_first()
    machine.share = 0.5
    machine.pass_time(0.03)
    machine.share = 0.0
    machine.pass_time(0.003)
    assert gate._busy() is True


def test_under_a_load_that_never_stops_a_write_still_goes_out_every_max_wait():
    machine = Machine()
    gate = machine.api_first(max_wait=0.5)
    machine.share = 0.9
    machine.pass_time(0.03)
    for _ in range(4):
        started = machine.now
        gate.wait()
        assert machine.now - started == pytest.approx(0.5, abs=0.006)
    assert gate.waited == pytest.approx(2.0, abs=0.03)


def test_after_its_own_idle_time_the_worker_looks_again_before_writing():
    """The last sample is seconds old: the API's average over them says nothing about now."""
    machine = Machine()
    gate = machine.api_first()
    machine.pass_time(5.0)
    machine.share = 0.5  # started working just now
    machine.cpu_ns += int(0.002 * 1e9)
    gate.wait()
    assert machine.slept, "wrote on a five-second-old look"


def test_the_store_waits_before_each_batch_read_and_each_write_and_lets_other_reads_through():
    calls: list[str] = []

    class Store:
        def __getattr__(self, name):
            return lambda *args, **kwargs: calls.append(name) or name

    class Gate:
        def wait(self) -> None:
            calls.append("wait")

    store = ApiFirstStore(Store(), Gate())  # type: ignore[arg-type]
    store.undispatched(100)
    store.due_deliveries(None, 100)  # type: ignore[arg-type]
    store.dispatch(None, [])  # type: ignore[arg-type]
    store.dispatch_unwanted([])
    store.save_delivery(None, expected_version=1)  # type: ignore[arg-type]
    store.get_event("p", "e")
    store.endpoints_of("p")
    assert calls == [
        *("wait", "undispatched", "wait", "due_deliveries", "wait", "dispatch"),
        *("wait", "dispatch_unwanted", "wait", "save_delivery", "get_event", "endpoints_of"),
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CPU clock of another process: Linux")
def test_the_cpu_clock_of_another_process_is_read_and_a_gone_one_is_not():
    """What the worker reads of its parent: here a child that works for 0.3 s, then sleeps."""
    child = subprocess.Popen(
        [sys.executable, "-c", "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
         "print('done', flush=True)\ntime.sleep(30)"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        cpu = process_cpu_clock(child.pid)
        assert cpu is not None
        assert child.stdout is not None and child.stdout.readline() == b"done\n"
        worked = cpu()
        assert worked >= 0.3e9
        time.sleep(0.1)
        assert cpu() - worked < 0.02e9  # asleep: no CPU
    finally:
        child.kill()
        child.wait()
    assert process_cpu_clock(child.pid) is None  # reaped
    assert cpu() >= worked  # read after its end: the last reading, no exception in the worker


def test_the_worker_reads_its_parent_when_it_can():
    assert process_cpu_clock(os.getpid()) is not None or not sys.platform.startswith("linux")


def test_lanes_wait_side_by_side_not_in_turn():
    # Each lane's write waits at most `max_wait`: lanes sleeping under one lock waited in turn,
    # the last of four up to four times as long while the API stayed busy.
    import threading

    busy_cpu = iter(range(0, 10**15, 10**7))  # 10 ms of CPU each look: always busy
    gate = ApiFirst(lambda: next(busy_cpu), quiet=0.02, step=0.005, max_wait=0.2)
    time.sleep(0.03)
    lanes = [threading.Thread(target=gate.wait) for _ in range(4)]
    started = time.monotonic()
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    took = time.monotonic() - started
    assert 0.2 <= took < 0.5, took  # in turn: 0.8 s
    assert 0.8 <= gate.waited < 1.2  # four lanes, 0.2 s each
