"""Filling the executor's caches before a SnapStart snapshot, without touching AWS."""

from __future__ import annotations

from channelfin.api.http.execution import executor
from channelfin.api.http.known_operations import KNOWN_OPERATIONS
from channelfin.api.http.limits import Limits


def warm_caches(limits: Limits, operations: tuple[str, ...] = KNOWN_OPERATIONS) -> int:
    """Parse, price and validate each operation as a request would; the number of operations warmed."""
    prepare = executor(limits).prepare
    for text in operations:
        prepare(text)
    return len(operations)
