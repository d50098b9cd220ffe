"""`channelfin dev`'s webhook delivery: the code the delivery Lambdas run, in a process of its own.

In AWS the events table's stream brings each new event to the delivery Lambda (through SQS)
and a schedule retries what is due; locally one process does both by polling the outbox
index and the due deliveries, on the same DynamoDB Local tables. Events written while the
server was down are still in the outbox when it starts again: the first pass sends them.

A process, not a thread of the API's: delivering a burst of events is CPU work (JSON, HMAC,
HTTP) that, sharing the API's interpreter lock, made its mutations 1.75 times slower while
1,000 events went out (bench/run.py, `mutation_fanout_ratio`). In AWS the delivery Lambdas
share nothing with the API either. The child runs at a lower priority for the same reason:
requests first, deliveries are asynchronous anyway. A priority cannot lower what DynamoDB
Local's JVM does for it, so it also waits while the API's process works (api_first.py).

    python -m channelfin.local.webhook_worker --interval 0.25   # what WebhookWorker starts
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import select
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from types import FrameType
from typing import BinaryIO

log = logging.getLogger("channelfin.webhooks")

# The lowest priority: requests first, deliveries are asynchronous anyway, and an idle machine
# still delivers. 1,000 events with createContract timed meanwhile (bench/webhook_lanes.py, one
# lane, three runs each): at nice 5 the mutations were 1.28/1.47/1.23 times slower, at nice 19
# 1.12/1.12/1.12, the fan-out taking 24-26 s either way.
NICENESS = 19
# One lane unless CHANNELFIN_WEBHOOK_LANES says otherwise. Here delivery shares the API's
# DynamoDB Local and its 2 cores; more lanes barely hurried a burst and slowed the API's
# mutations meanwhile (bench/webhook_lanes.py, 1,000 events, two rounds: 1 lane 22.8/24.1 s,
# mutations x1.20/x1.17; 4 lanes 19.8/19.8 s, mutations x2.22/x1.92). In AWS, where the
# delivery Lambdas share nothing with the API, the setting's default (4) holds.
DEV_LANES = 1


class WebhookWorker:
    """The delivery process, started with the environment the caller has set (DynamoDB endpoint, tables)."""

    def __init__(self, interval_seconds: float = 0.25) -> None:
        self.interval = interval_seconds
        self._process: subprocess.Popen[bytes] | None = None
        self._ready: BinaryIO | None = None

    def start(self) -> None:
        ready_in, ready_out = os.pipe()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, "--interval", str(self.interval), "--parent", str(os.getpid())]
                + ["--ready-fd", str(ready_out)],
                pass_fds=(ready_out,),
            )
        finally:
            os.close(ready_out)
        self._ready = os.fdopen(ready_in, "rb")

    @property
    def pid(self) -> int | None:
        """The delivery process's id once started (the benchmark pauses it to compare)."""
        return self._process.pid if self._process is not None else None

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Return once the first pass is done: what the outbox held at start (a crash's leftovers) is sent."""
        if self._ready is None or self._process is None:
            raise RuntimeError("the webhook delivery process was not started")
        with self._ready as ready:
            readable, _, _ = select.select([ready], [], [], timeout)
            if not readable or ready.read(1) != b"1":
                raise RuntimeError(f"the webhook delivery process is not ready (exit code {self._process.poll()})")

    def stop(self, timeout: float = 15.0) -> None:
        """Let the pass under way finish (SIGTERM), then stop; killed if it does not within `timeout`."""
        if self._ready is not None:
            self._ready.close()
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def deliver_until_stopped(interval: float, parent_pid: int, stop: threading.Event, ready_fd: int | None = None) -> None:
    from channelfin.bootstrap import Settings, build_ports
    from channelfin.local.api_first import ApiFirst, ApiFirstStore, process_cpu_clock
    from channelfin.services import webhook_delivery

    ports = build_ports(Settings.from_env())
    api_cpu = process_cpu_clock(parent_pid)
    if api_cpu is not None:  # requests first (api_first.py): the API's process is the parent
        ports = replace(ports, webhooks=ApiFirstStore(ports.webhooks, ApiFirst(api_cpu)))
    while not stop.is_set():
        try:
            done = webhook_delivery.run_once(ports)
            if done.attempted:
                log.info(
                    "webhooks: %d events dispatched, %d attempts (%d succeeded, %d failed for good)",
                    done.dispatched,
                    done.attempted,
                    done.succeeded,
                    done.failed,
                )
        except Exception:  # a pass that breaks (DynamoDB Local restarting...) is retried, never fatal
            log.exception("webhook delivery pass failed; trying again")
        if ready_fd is not None:  # after the first pass, failed or not: the parent must not wait for ever
            with contextlib.suppress(BrokenPipeError):  # a parent that does not wait has closed its end
                os.write(ready_fd, b"1")
            os.close(ready_fd)
            ready_fd = None
        _wait(interval, parent_pid, stop)


def _wait(seconds: float, parent_pid: int, stop: threading.Event) -> None:
    """Sleep until the next pass, in steps of at most a second: a parent killed with SIGKILL
    (a crash) leaves this process orphaned, and it must then stop instead of delivering for ever."""
    remaining = seconds
    while remaining > 0 and not stop.is_set():
        if os.getppid() != parent_pid:
            stop.set()
            return
        step = min(remaining, 1.0)
        stop.wait(step)
        remaining -= step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Deliver the outbox's webhook events until stopped (SIGTERM).")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between two passes over the outbox")
    parser.add_argument("--parent", type=int, default=os.getppid(), help="stop when this process is gone")
    parser.add_argument("--ready-fd", type=int, help="a pipe to write one byte to after the first pass")
    args = parser.parse_args(argv)
    from aws_lambda_powertools import Logger

    # JSON lines with their keys, as the API's (the dev server's logs interleave both).
    Logger(service="channelfin", level=os.environ.get("POWERTOOLS_LOG_LEVEL", "INFO"))
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    stop = threading.Event()

    def stopping(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)  # Ctrl-C in `channelfin dev` reaches the whole process group
    os.environ.setdefault("CHANNELFIN_WEBHOOK_LANES", str(DEV_LANES))
    deliver_until_stopped(args.interval, args.parent, stop, args.ready_fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
