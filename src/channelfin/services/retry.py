"""Retrying lost races: jittered backoff and the read-change-conditional-write loop."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from channelfin.domain.errors import Conflict, NotFound

MAX_WRITE_ATTEMPTS = 10


def backoff(attempt: int) -> None:
    """Before retrying a lost conditional write (or keys DynamoDB left unprocessed): a short,
    jittered, growing pause (none before the first try).

    Busy items (a contract whose installments are recorded at once, a distributor's order
    desk) lose many races in a row; retrying at once just loses again.
    """
    if attempt:
        time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 5)))


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


V = TypeVar("V", bound=Versioned)


def optimistic_update(
    read: Callable[[], V | None],
    write: Callable[[V, int], None],
    change: Callable[[V], V],
    *,
    what: str,
    field: list[str],
) -> V:
    """Read, change, write conditioned on the version read; on `Conflict`, read again and retry.

    `change` is pure and may raise a DomainError (nothing is written then); returning the
    object unchanged writes nothing, which keeps steps and repeated requests idempotent.
    """
    for attempt in range(MAX_WRITE_ATTEMPTS):
        backoff(attempt)
        current = read()
        if current is None:
            raise NotFound(f"no such {what}", field=field)
        changed = change(current)
        if changed is current:
            return current
        try:
            write(changed, current.version)
        except Conflict:
            continue
        return changed
    raise Conflict(f"the {what} is being changed by others; try again")
