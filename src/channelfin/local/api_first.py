"""`channelfin dev`'s delivery waits while the API works: requests first, webhooks when it is idle.

In AWS the delivery Lambdas share nothing with the API. Locally they share the machine and,
above all, DynamoDB Local: delivering an event costs its JVM ~5 ms of CPU (a transaction, the
attempt recorded), as much as a mutation's own, and a niced delivery process cannot lower
that. So the delivery process asks before each of its writes whether the API's process (its
parent: `channelfin dev`, or the benchmark) has just been working, from that process's CPU
clock, and waits while it has. Not a guess from latencies: the API's own CPU time, which an
idle server does not spend.

Waiting is bounded (`max_wait`): under a load that never stops, webhooks still go out, one
write at least every `max_wait` seconds. Where the CPU clock of another process cannot be read
(not Linux), nothing waits.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from channelfin.domain.events import Event
from channelfin.domain.webhook_deliveries import Delivery
from channelfin.services.webhook_ports import WebhookStore

# Linux's clock id for a whole process's CPU time (glibc's clock_getcpuclockid: MAKE_PROCESS_CPUCLOCK
# with CPUCLOCK_SCHED), which Python's time module reads but does not make.
_CPUCLOCK_SCHED = 2


def process_cpu_clock(pid: int) -> Callable[[], int] | None:
    """A function giving the CPU nanoseconds `pid` has used (all its threads); None where it cannot be read."""
    clock = ((~pid) << 3) | _CPUCLOCK_SCHED
    try:
        last = time.clock_gettime_ns(clock)
    except (OSError, AttributeError, OverflowError):
        return None

    def used() -> int:
        nonlocal last
        with contextlib.suppress(OSError):  # the API's process is gone: idle (the worker stops too)
            last = time.clock_gettime_ns(clock)
        return last

    return used


class ApiFirst:
    """Before each write of the delivery: wait until the API's process has been (nearly) idle for `quiet` seconds.

    Busy means it used more than `busy_share` of a core over the last `quiet` seconds (1 ms of
    CPU in 20 ms), looked at from the samples of its CPU clock each check takes. The span is that
    long because a mutation leaves its process idle while DynamoDB Local works for it (1 to 5 ms
    a request): a shorter look could land in such a gap, and a write then would compete for the
    JVM the mutation is waiting on.
    """

    def __init__(
        self,
        api_cpu_ns: Callable[[], int],
        *,
        quiet: float = 0.02,
        busy_share: float = 0.05,
        step: float = 0.005,
        max_wait: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_cpu_ns, self.quiet, self.busy_share = api_cpu_ns, quiet, busy_share
        self.step, self.max_wait, self.clock, self.sleep = step, max_wait, clock, sleep
        self._lock = threading.Lock()  # lanes share one view of the API (its samples)
        self._samples: deque[tuple[float, int]] = deque([(clock(), api_cpu_ns())])
        self.waited = 0.0  # seconds, in all (what the tests read)

    def _busy(self) -> bool | None:
        """Whether the API worked over the last `quiet` seconds; None while no sample is that old.

        Judged over the span from the newest sample at least `quiet` old, which may be longer
        (the worker idle itself), against what the API may spend in `quiet` alone: a longer span
        never waters down a burst of work that just began.
        """
        at, cpu = self.clock(), self.api_cpu_ns()
        samples = self._samples
        samples.append((at, cpu))
        while len(samples) > 1 and at - samples[1][0] >= self.quiet:
            samples.popleft()  # the first kept is the newest at least `quiet` old
        then, then_cpu = samples[0]
        if at - then < self.quiet:
            return None  # just started: look again in a step
        return (cpu - then_cpu) / 1e9 > self.busy_share * self.quiet

    def wait(self) -> None:
        started = self.clock()
        while self.clock() - started < self.max_wait:
            with self._lock:  # the samples are shared; the sleeping is not, so lanes wait side by side
                busy = self._busy()
            if busy is False:
                break
            self.sleep(self.step)
        with self._lock:
            self.waited += self.clock() - started


class ApiFirstStore:
    """The webhook store, as delivery uses it: each write, and each read of a batch, made once the API
    is idle (ApiFirst); what else it reads (an endpoint, an event) as it is."""

    def __init__(self, store: WebhookStore, api_first: ApiFirst) -> None:
        self._store, self.api_first = store, api_first

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def undispatched(self, limit: int) -> list[Event]:
        self.api_first.wait()
        return self._store.undispatched(limit)

    def due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        self.api_first.wait()
        return self._store.due_deliveries(now, limit)

    def dispatch(self, event: Event, deliveries: Sequence[Delivery]) -> bool:
        self.api_first.wait()
        return self._store.dispatch(event, deliveries)

    def dispatch_unwanted(self, events: Sequence[Event]) -> bool:
        self.api_first.wait()
        return self._store.dispatch_unwanted(events)

    def save_delivery(self, delivery: Delivery, *, expected_version: int) -> None:
        self.api_first.wait()
        self._store.save_delivery(delivery, expected_version=expected_version)
