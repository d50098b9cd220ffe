"""Progress lines on stderr, each with the seconds since the benchmark started: where the time goes."""

from __future__ import annotations

import sys
import time

_STARTED = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)
