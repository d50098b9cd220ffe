"""Events for integrators: what happened to an object, as each partner concerned may see it.

An event is recorded in the same transaction as the fact that causes it (the outbox), one
copy per partner it concerns, each with the payload that partner may see (the API's
visibility rules); the copies share the event's id. The functions below derive a write's
events from the object before and after it, so every path that changes an object records
them alike. Webhook deliveries (`webhook_deliveries`) and the `events` query read them.

The body delivered is the Standard Webhooks payload `{"type", "timestamp", "data"}` plus the
event's `id`, serialised once when the event is made, so a redelivery sends the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from channelfin.domain import event_payloads as view
from channelfin.domain.contracts import Contract
from channelfin.domain.documents import DocumentStatus
from channelfin.domain.escrow import EscrowAgreement, EscrowStatus
from channelfin.domain.financing_file import DecisionOutcome, DocumentKind
from channelfin.domain.incentives.credit_lines import CreditLine, CreditMovement
from channelfin.domain.payouts import Payout, PayoutStatus


class EventType(StrEnum):
    """The dotted names endpoints subscribe to (an endpoint without a list gets them all)."""

    CONTRACT_STATUS_CHANGED = "contract.status_changed"
    FINANCING_DECIDED = "financing.decided"
    DOCUMENT_SIGNED = "document.signed"
    DOCUMENT_DECLINED = "document.declined"
    PAYOUT_SCHEDULED = "payout.scheduled"
    PAYOUT_PAID = "payout.paid"
    PAYOUT_FAILED = "payout.failed"
    ESCROW_TRIGGERED = "escrow.triggered"
    CREDIT_LINE_CHANGED = "credit_line.changed"


@dataclass(frozen=True, slots=True)
class Event:
    """One partner's copy of an event: `body` is exactly what its endpoints receive."""

    id: str
    type: EventType
    partner_id: str
    at: datetime
    subject_id: str  # global id of the object whose events are delivered in order (a payout's contract)
    body: str

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)["data"]
        return data


def event_id(at: datetime, seq: int, unique: str) -> str:
    """`evt_<UTC time to the microsecond><seq><unique>`: sorts in the order the events were recorded."""
    utc = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return f"evt_{utc:%Y%m%d%H%M%S%f}{seq:03d}{unique[:10]}"


def id_time(event_id_: str) -> datetime:
    """The time an event id carries (ids sort by it)."""
    return datetime.strptime(event_id_[4:24], "%Y%m%d%H%M%S%f").replace(tzinfo=UTC)


def since_key(at: datetime) -> str:
    """The smallest id an event recorded at or after `at` can have."""
    utc = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return f"evt_{utc:%Y%m%d%H%M%S%f}"


@dataclass(frozen=True, slots=True)
class Fact:
    type: EventType
    subject_id: str
    recipients: Iterable[str]
    data: Callable[[str], Mapping[str, Any]]  # the payload as one recipient may see it


class EventMaker:
    """Turns the facts of one write into events: ids in order, one copy per recipient."""

    def __init__(self, at: datetime, unique: Callable[[], str]) -> None:
        self.at = at
        self.unique = unique
        self.events: list[Event] = []
        self._seq = 0

    def add(self, fact: Fact) -> None:
        identifier = event_id(self.at, self._seq, self.unique())
        self._seq += 1
        stamp = self.at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        for partner_id in sorted(set(fact.recipients)):
            body = {"id": identifier, "type": fact.type.value, "timestamp": stamp, "data": fact.data(partner_id)}
            text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
            self.events.append(Event(identifier, fact.type, partner_id, self.at, fact.subject_id, text))


# ---------------------------------------------------------------- contracts


def _signed(contract: Contract | None, kind: DocumentKind) -> tuple[str, datetime] | None:
    if contract is None:
        return None
    signature = contract.signature_of(kind)
    if signature is not None:
        return signature.signed_by, signature.signed_at
    document = contract.document(kind)
    if document is not None and document.status is DocumentStatus.SIGNED and document.signed_at:
        return document.signed_by or "", document.signed_at
    return None


def _declined(contract: Contract | None) -> tuple[DocumentKind | None, str] | None:
    if contract is None:
        return None
    document = next((d for d in contract.documents if d.status is DocumentStatus.DECLINED), None)
    file = contract.financing
    if document is None and not (file and file.declined):
        return None
    note = (file.declined if file else None) or (document.decline_reason if document else None) or ""
    return (document.kind if document else None), note


def contract_events(before: Contract | None, after: Contract, maker: EventMaker) -> list[Event]:
    """The events of a contract's write: each new status, a decision, a document signed or declined."""
    subject = view.gid("Contract", after.id)
    parties = after.party_ids

    def with_contract(**extra: Any) -> Callable[[str], Mapping[str, Any]]:
        return lambda viewer: {"contract": view.contract(after, viewer), **extra}

    known = len(before.timeline) if before else 0
    for number, entry in enumerate(after.timeline[known:], start=known):
        previous = after.timeline[number - 1].status.value if number else None
        change = {"from": previous, "to": entry.status.value, "at": view.stamp(entry.at), "note": entry.note}
        maker.add(Fact(EventType.CONTRACT_STATUS_CHANGED, subject, parties, with_contract(**change)))
    decision = after.financing.decision if after.financing else None
    earlier = before.financing.decision if before and before.financing else None
    if decision and decision.outcome is not DecisionOutcome.REFERRED and decision != earlier:
        maker.add(Fact(EventType.FINANCING_DECIDED, subject, parties, with_contract(decision=view.decision(decision))))
    for kind in DocumentKind:
        signed = _signed(after, kind)
        if signed and not _signed(before, kind):
            extra = {"document": kind.value, "signedBy": signed[0], "signedAt": view.stamp(signed[1])}
            maker.add(Fact(EventType.DOCUMENT_SIGNED, subject, parties, with_contract(**extra)))
    declined = _declined(after)
    if declined and not _declined(before):
        extra = {"document": declined[0].value if declined[0] else None, "reason": declined[1]}
        maker.add(Fact(EventType.DOCUMENT_DECLINED, subject, parties, with_contract(**extra)))
    return maker.events


# ---------------------------------------------------------------- payouts

PAYOUT_EVENTS = {
    PayoutStatus.SCHEDULED: EventType.PAYOUT_SCHEDULED,
    PayoutStatus.PAID: EventType.PAYOUT_PAID,
    PayoutStatus.FAILED: EventType.PAYOUT_FAILED,
}


def payout_event_copies(changes: Iterable[tuple[Payout | None, Payout]]) -> int:
    """How many items `payout_events` adds to a transaction (one per party of each payout that moved)."""
    return sum(
        len([p for p in after.parties() if p])
        for before, after in changes
        if after.status in PAYOUT_EVENTS and (before is None or before.status is not after.status)
    )


def _payout_view(payout: Payout) -> Callable[[str], Mapping[str, Any]]:
    """Payer and beneficiary see a payout alike."""
    return lambda _viewer: {"payout": view.payout(payout)}


def payout_events(changes: Iterable[tuple[Payout | None, Payout]], maker: EventMaker) -> list[Event]:
    """A payout scheduled, paid or failed, for its payer and its beneficiary (a cancellation is no event)."""
    for before, after in changes:
        kind = PAYOUT_EVENTS.get(after.status)
        if kind is None or (before is not None and before.status is after.status):
            continue
        subject = view.gid("Contract", after.contract_id) if after.contract_id else view.gid("Payout", after.id)
        recipients = [p for p in after.parties() if p]
        maker.add(Fact(kind, subject, recipients, _payout_view(after)))
    return maker.events


# ---------------------------------------------------------------- escrow and credit lines


def escrow_events(before: EscrowAgreement | None, after: EscrowAgreement, maker: EventMaker) -> list[Event]:
    """The escrow triggered: its leaser, publisher, host and continuity provider are told."""
    if after.status is EscrowStatus.TRIGGERED and (before is None or before.status is not EscrowStatus.TRIGGERED):
        subject = view.gid("EscrowAgreement", after.id)
        maker.add(Fact(EventType.ESCROW_TRIGGERED, subject, after.party_ids, lambda _: view.escrow(after)))
    return maker.events


def credit_line_events(
    before: CreditLine | None, after: CreditLine, maker: EventMaker, movement: CreditMovement | None = None
) -> list[Event]:
    """Any change of a credit line (limit, held change, outstanding), for its distributor and reseller."""
    if before is not None and view.credit_line(before) == view.credit_line(after) and movement is None:
        return maker.events
    change: dict[str, Any] = {}
    if movement is not None:
        change = {"movement": view.movement(movement)}
    elif after.history and (before is None or len(after.history) > len(before.history)):
        change = {"limitChange": view.limit_change(after.history[-1])}
    subject = view.gid("CreditLine", after.id)
    recipients = (after.distributor_id, after.reseller_id)
    maker.add(
        Fact(
            EventType.CREDIT_LINE_CHANGED,
            subject,
            recipients,
            lambda _: {"creditLine": view.credit_line(after), **change},
        )
    )
    return maker.events
