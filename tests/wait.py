"""Polling for something that happens in another thread or process: the one helper every test uses."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T | None],
    *,
    timeout: float = 20,
    interval: float = 0.05,
    what: str | Callable[[], str] = "the condition never held",
) -> T:
    """Call `predicate` until it returns a truthy value, and return that value.

    Past `timeout` seconds it raises an AssertionError with `what` (a callable is called then, so it
    can describe the last state seen). Exceptions raised by `predicate` propagate: it catches what it
    expects itself.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            described = what() if callable(what) else what
            raise AssertionError(f"gave up after {timeout} s: {described}")
        time.sleep(interval)
