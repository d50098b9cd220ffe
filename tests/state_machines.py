"""The test copy of the state machine definitions: the same states, retries that wait 1 s each.

moto's interpreter waits out every Retry interval for real (the States Language allows no interval
under 1 s, and moto enforces that), so a transfer that fails for good costs 1 + 2 + 4 s of a
workflow test. The copy the workflow tests deploy keeps every retrier's errors and attempts and
only sets `IntervalSeconds` 1 and `BackoffRate` 1. The files in infra/ are not touched; their own
waits are held by tests/unit/test_financing_definition.py.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

QUICK_WAITS = {"IntervalSeconds": 1, "BackoffRate": 1}


def retriers(definition: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every retrier of a definition, with its state's path (Parallel branches and Map processors included)."""
    for name, state in definition.get("States", {}).items():
        for retrier in state.get("Retry", []):
            yield f"{path}{name}", retrier
        for number, branch in enumerate(state.get("Branches", [])):
            yield from retriers(branch, f"{path}{name}/{number}/")
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                yield from retriers(state[key], f"{path}{name}/")


def quick_retries(definition: dict[str, Any]) -> dict[str, Any]:
    """A copy of `definition` whose retriers wait 1 s between attempts, without backing off."""
    quick = copy.deepcopy(definition)
    for _, retrier in retriers(quick):
        retrier.update(QUICK_WAITS)
    return quick
