"""Money owed between two partners: the software part, support shares, commissions, charges...

Every payout names its payer and its beneficiary (DESIGN 2-4): the leaser pays the
software part and the support shares, the publisher its commissions, an affiliate its
charges and entry fee to the publisher (and back what a cancelled sale had earned it), a
vendor its rebates and referral bonuses. Part of a payout may be settled by an offset in a
payment run before the rest is paid.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from channelfin.domain import ledger
from channelfin.domain.errors import InvalidTransition
from channelfin.domain.ledger import Entry, Obligation
from channelfin.domain.money import Money


class PayoutKind(enum.Enum):
    SOFTWARE_UPFRONT = "SOFTWARE_UPFRONT"
    SUPPORT_SHARE = "SUPPORT_SHARE"
    COMMISSION = "COMMISSION"
    PARTNER_CHARGE = "PARTNER_CHARGE"
    REBATE = "REBATE"
    REFERRAL = "REFERRAL"
    ENTRY_FEE = "ENTRY_FEE"
    CLAWBACK = "CLAWBACK"
    CHARGE_REFUND = "CHARGE_REFUND"


# Owed by a partner to the publisher whose program it is enrolled in.
CHARGE_KINDS = frozenset({PayoutKind.PARTNER_CHARGE, PayoutKind.ENTRY_FEE, PayoutKind.CLAWBACK})
# Paid by the financing workflow itself, never by a payment run.
WORKFLOW_KINDS = frozenset({PayoutKind.SOFTWARE_UPFRONT})


class PayoutStatus(enum.Enum):
    SCHEDULED = "SCHEDULED"
    PAID = "PAID"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Payout:
    id: str
    kind: PayoutKind
    status: PayoutStatus
    amount: Money
    beneficiary_id: str
    created_at: datetime
    payer_id: str
    contract_id: str | None = None
    installment: int | None = None
    due_by: datetime | None = None
    paid_at: datetime | None = None
    failure_reason: str | None = None
    transfer_reference: str | None = None
    program_id: str | None = None
    enrollment_id: str | None = None
    settled: Money | None = None  # settled by offsets in payment runs so far (None: nothing)
    run_id: str | None = None  # the payment run that holds it while it pays it

    @property
    def value_date(self) -> datetime:
        """The date a statement files the line under: when it falls due, else when it was created."""
        return self.due_by or self.created_at

    @property
    def is_charge(self) -> bool:
        """A charge is owed by a partner to the publisher; every other kind is paid to a partner."""
        return self.kind in CHARGE_KINDS

    @property
    def is_open(self) -> bool:
        """Still owed, in whole or in part: scheduled, or its transfer failed."""
        return self.status in (PayoutStatus.SCHEDULED, PayoutStatus.FAILED)

    @property
    def open_amount(self) -> Money:
        if not self.is_open:
            return Money.zero(self.amount.currency)
        return self.amount - self.settled if self.settled is not None else self.amount

    @property
    def counted_amount(self) -> Money:
        """What the payout counts for in a statement: all of it; of a cancelled one, what was settled before."""
        if self.status is PayoutStatus.CANCELLED:
            return self.settled or Money.zero(self.amount.currency)
        return self.amount

    def parties(self) -> tuple[str, str]:
        return self.payer_id, self.beneficiary_id

    def obligation(self) -> Obligation:
        return Obligation(
            id=self.id,
            payer=self.payer_id,
            beneficiary=self.beneficiary_id,
            kind=self.kind.value,
            cents=self.amount.to_cents(),
            currency=self.amount.currency,
            contract_id=self.contract_id,
        )

    @property
    def sla_met(self) -> bool | None:
        """Paid by its due time; unknown until paid (or when there is no deadline)."""
        if self.due_by is None or self.paid_at is None:
            return None
        return self.paid_at <= self.due_by

    def paid(self, *, at: datetime, reference: str) -> Payout:
        """What is still open paid by a transfer (a failed transfer may be paid by a later one)."""
        if self.status is PayoutStatus.PAID:
            return self
        if not self.is_open:
            raise InvalidTransition(f"a {self.status.value} payout cannot be paid")
        return replace(self, status=PayoutStatus.PAID, paid_at=at, transfer_reference=reference, run_id=None)

    def offset(self, amount: Money, *, at: datetime, reference: str) -> Payout:
        """Part (or the rest) of the payout settled against what the other party owes: no money moves."""
        if not self.is_open or amount.amount <= 0 or amount > self.open_amount:
            raise InvalidTransition(f"cannot set {amount.amount} off a payout with {self.open_amount.amount} open")
        settled = (self.settled or Money.zero(self.amount.currency)) + amount
        if settled == self.amount:
            return replace(self, status=PayoutStatus.PAID, settled=settled, paid_at=at, transfer_reference=reference)
        return replace(self, settled=settled)

    def cancelled(self) -> Payout:
        if self.status is PayoutStatus.CANCELLED:
            return self
        if not self.is_open:
            raise InvalidTransition(f"a {self.status.value} payout cannot be cancelled")
        return replace(self, status=PayoutStatus.CANCELLED, run_id=None)

    def held_by(self, run_id: str | None) -> Payout:
        """Held by a payment run while it pays it (None: released)."""
        return replace(self, run_id=run_id)

    def failed(self, reason: str) -> Payout:
        if self.status is PayoutStatus.FAILED:
            return self
        if self.status is not PayoutStatus.SCHEDULED:
            raise InvalidTransition(f"a {self.status.value} payout cannot fail")
        return replace(self, status=PayoutStatus.FAILED, failure_reason=reason, run_id=None)


# Deterministic ids: the key of the payout is its business identity, so a retried step or a
# repeated request writes the same item and a conditional put refuses the second one.
def software_upfront_id(contract_id: str) -> str:
    return f"upfront-{contract_id}"


def support_share_id(contract_id: str, installment: int) -> str:
    return f"support-{contract_id}-{installment}"


def software_upfront(
    *, contract_id: str, owner_id: str, payer_id: str, amount: Money, due_by: datetime, created_at: datetime
) -> Payout:
    """The software part (PV − file fee), to the contract owner, due `payoutSlaHours` after transmission.

    The payer is the agreement's leaser (a vendor financing its own offer is that leaser).
    """
    return Payout(
        id=software_upfront_id(contract_id),
        kind=PayoutKind.SOFTWARE_UPFRONT,
        status=PayoutStatus.SCHEDULED,
        amount=amount,
        beneficiary_id=owner_id,
        payer_id=payer_id,
        created_at=created_at,
        contract_id=contract_id,
        due_by=due_by,
    )


def support_share(
    *,
    contract_id: str,
    provider_id: str,
    leaser_id: str,
    installment: int,
    amount: Money,
    collected_at: datetime,
    sla_hours: int,
) -> Payout:
    """Installment k's support fee, paid by the leaser to whoever gives support, once it is collected."""
    return Payout(
        id=support_share_id(contract_id, installment),
        kind=PayoutKind.SUPPORT_SHARE,
        status=PayoutStatus.SCHEDULED,
        amount=amount,
        beneficiary_id=provider_id,
        payer_id=leaser_id,
        created_at=collected_at,
        contract_id=contract_id,
        installment=installment,
        due_by=collected_at + timedelta(hours=sla_hours),
    )


def commission_id(contract_id: str) -> str:
    return f"commission-{contract_id}"


def partner_charge_id(contract_id: str, year: int) -> str:
    return f"charge-{contract_id}-{year}"


def entry_fee_id(enrollment_id: str) -> str:
    return f"entry-fee-{enrollment_id}"


def clawback_id(contract_id: str) -> str:
    return f"clawback-{contract_id}"


def clawback(commission: Payout, *, publisher_id: str, at: datetime) -> Payout:
    """A paid commission whose sale was cancelled: the partner owes it back to the publisher."""
    return Payout(
        id=clawback_id(commission.contract_id or commission.id),
        kind=PayoutKind.CLAWBACK,
        status=PayoutStatus.SCHEDULED,
        amount=commission.amount,
        beneficiary_id=publisher_id,
        payer_id=commission.beneficiary_id,
        created_at=at,
        contract_id=commission.contract_id,
        due_by=at,
        program_id=commission.program_id,
        enrollment_id=commission.enrollment_id,
    )


def charge_refund_id(charge_id: str) -> str:
    return f"refund-{charge_id}"


# What a cancelled sale's settled payouts are undone by (DESIGN 4: a cancelled sale does not count).
REVERSED_KINDS = frozenset({PayoutKind.COMMISSION, PayoutKind.PARTNER_CHARGE})


def undone_with_sale(payout: Payout, *, ran_from: datetime | None, ended_at: datetime | None) -> bool:
    """Whether a payout goes with its contract's cancelled sale: the commission always; a partner
    charge unless its year began while the contract ran (the affiliate held it and collected that
    year's fees: the charge stays owed, or paid)."""
    if payout.kind not in REVERSED_KINDS:
        return False
    if payout.kind is PayoutKind.PARTNER_CHARGE and ran_from is not None and ended_at is not None:
        return not (payout.due_by is not None and payout.due_by < ended_at)
    return True


def reversal(payout: Payout, *, at: datetime) -> Payout | None:
    """What gives back the settled part of a cancelled sale's payout: a commission is clawed back (the
    partner owes it to the publisher), a partner charge refunded (the publisher owes it back to the
    affiliate, which never ran the contract it paid for); None when none of it was settled."""
    settled = payout.amount if payout.status is PayoutStatus.PAID else payout.settled
    if payout.kind not in REVERSED_KINDS or settled is None or settled.amount <= 0:
        return None
    if payout.kind is PayoutKind.COMMISSION:
        return replace(clawback(payout, publisher_id=payout.payer_id, at=at), amount=settled)
    return Payout(
        id=charge_refund_id(payout.id),
        kind=PayoutKind.CHARGE_REFUND,
        status=PayoutStatus.SCHEDULED,
        amount=settled,
        beneficiary_id=payout.payer_id,
        payer_id=payout.beneficiary_id,
        created_at=at,
        contract_id=payout.contract_id,
        installment=payout.installment,
        due_by=at,
        program_id=payout.program_id,
        enrollment_id=payout.enrollment_id,
    )


@dataclass(frozen=True, slots=True)
class Statement:
    """A partner's payouts for a period: what it is owed or paid, what it owes or pays, the net.

    Cancelled lines are listed and count only for what was settled of them before (a cancelled
    sale's charge set off in part: that part, given back by its own line); the totals add up to the cent:
    `net = earned − charged`, and `earned` is the sum of `earned_by_kind`.
    """

    partner_id: str
    start: datetime
    end: datetime
    lines: tuple[Payout, ...]
    earned: Money
    charged: Money
    earned_by_kind: tuple[tuple[PayoutKind, Money], ...]

    @property
    def net(self) -> Money:
        return self.earned - self.charged

    @classmethod
    def of(cls, partner_id: str, start: datetime, end: datetime, lines: list[Payout]) -> Statement:
        currency = lines[0].amount.currency if lines else "EUR"
        counted = [(p, p.counted_amount) for p in lines if p.counted_amount.amount]
        by_kind: dict[PayoutKind, Money] = {}
        for p, amount in counted:
            if p.beneficiary_id == partner_id:
                by_kind[p.kind] = by_kind.get(p.kind, Money.zero(currency)) + amount
        earned = sum((m for m in by_kind.values()), Money.zero(currency))
        charged = sum((amount for p, amount in counted if p.payer_id == partner_id), Money.zero(currency))
        return cls(
            partner_id=partner_id,
            start=start,
            end=end,
            lines=tuple(lines),
            earned=earned,
            charged=charged,
            earned_by_kind=tuple(sorted(by_kind.items(), key=lambda kv: kv[0].value)),
        )


def journal(before: Payout | None, after: Payout, at: datetime, *, run_id: str | None = None) -> list[Entry]:
    """The ledger entries of a payout's change (`before` None: it was just scheduled).

    Offsets are journaled by the payment run that makes them (`ledger.offset`, which names
    both payouts); here a change of the settled part alone writes nothing.
    """
    o = after.obligation()
    entries: list[Entry] = []
    if before is None:
        entries += ledger.scheduled(o, after.created_at)
        before = replace(after, status=PayoutStatus.SCHEDULED, settled=None, paid_at=None, transfer_reference=None)
    if before.status is after.status or before.settled != after.settled:
        return entries
    open_cents = before.open_amount.to_cents()
    from_failed = before.status is PayoutStatus.FAILED
    if after.status is PayoutStatus.PAID:
        reference = after.transfer_reference or "transfer"
        entries += ledger.transferred(
            o, open_cents, after.paid_at or at, reference=reference, from_failed=from_failed, run_id=run_id
        )
    elif after.status is PayoutStatus.FAILED:
        entries += ledger.transfer_failed(o, open_cents, at, reason=after.failure_reason or "", run_id=run_id)
    elif after.status is PayoutStatus.CANCELLED and open_cents:
        entries += ledger.cancelled(o, open_cents, at, from_failed=from_failed)
    return entries
