"""The outbox: a write's events, made from the object before and after it, written in its transaction.

The use cases change objects through read-change-write loops (`retry.optimistic_update`);
`Tracked` remembers what each change started from, so the write records the events of that
change (`domain.events`) with the object, all or nothing. Payouts are the store's own to
journal (with their ledger entries), events included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from channelfin.domain import events
from channelfin.domain.contracts import Contract
from channelfin.domain.escrow import EscrowAgreement
from channelfin.domain.events import Event, EventMaker
from channelfin.domain.incentives.credit_lines import CreditLine, CreditMovement
from channelfin.services.ports import Ports

V = TypeVar("V")


class Tracked(Generic[V]):
    """A change that remembers the object it was last applied to (`before`)."""

    def __init__(self, change: Callable[[V], V]) -> None:
        self.change = change
        self.before: V | None = None

    def __call__(self, current: V) -> V:
        self.before = current
        return self.change(current)


def _maker(ports: Ports) -> EventMaker:
    return EventMaker(ports.clock(), ports.new_id)


def of_contract(ports: Ports, before: Contract | None, after: Contract) -> list[Event]:
    return events.contract_events(before, after, _maker(ports))


def of_escrow(ports: Ports, before: EscrowAgreement | None, after: EscrowAgreement) -> list[Event]:
    return events.escrow_events(before, after, _maker(ports))


def of_credit_line(
    ports: Ports, before: CreditLine | None, after: CreditLine, movement: CreditMovement | None = None
) -> list[Event]:
    return events.credit_line_events(before, after, _maker(ports), movement)
