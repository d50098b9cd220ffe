"""Payments the platform makes or charges: the software part, support shares, commissions..."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from channelfin.domain.errors import InvalidTransition
from channelfin.domain.money import Money


class PayoutKind(enum.Enum):
    SOFTWARE_UPFRONT = "SOFTWARE_UPFRONT"
    SUPPORT_SHARE = "SUPPORT_SHARE"
    COMMISSION = "COMMISSION"
    PARTNER_CHARGE = "PARTNER_CHARGE"
    REBATE = "REBATE"
    REFERRAL = "REFERRAL"


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
    contract_id: str | None = None
    installment: int | None = None
    due_by: datetime | None = None
    paid_at: datetime | None = None
    failure_reason: str | None = None
    transfer_reference: str | None = None
    program_id: str | None = None

    @property
    def value_date(self) -> datetime:
        """The date a statement files the line under: when it falls due, else when it was created."""
        return self.due_by or self.created_at

    @property
    def is_charge(self) -> bool:
        """A charge is owed by the partner to the publisher; every other kind is paid to the partner."""
        return self.kind is PayoutKind.PARTNER_CHARGE

    @property
    def sla_met(self) -> bool | None:
        """Paid by its due time; unknown until paid (or when there is no deadline)."""
        if self.due_by is None or self.paid_at is None:
            return None
        return self.paid_at <= self.due_by

    def paid(self, *, at: datetime, reference: str) -> Payout:
        if self.status is PayoutStatus.PAID:
            return self
        if self.status is not PayoutStatus.SCHEDULED:
            raise InvalidTransition(f"a {self.status.value} payout cannot be paid")
        return replace(self, status=PayoutStatus.PAID, paid_at=at, transfer_reference=reference)

    def cancelled(self) -> Payout:
        if self.status is PayoutStatus.CANCELLED:
            return self
        if self.status is not PayoutStatus.SCHEDULED:
            raise InvalidTransition(f"a {self.status.value} payout cannot be cancelled")
        return replace(self, status=PayoutStatus.CANCELLED)

    def failed(self, reason: str) -> Payout:
        if self.status is PayoutStatus.FAILED:
            return self
        if self.status is not PayoutStatus.SCHEDULED:
            raise InvalidTransition(f"a {self.status.value} payout cannot fail")
        return replace(self, status=PayoutStatus.FAILED, failure_reason=reason)


# Deterministic ids: the key of the payout is its business identity, so a retried step or a
# repeated request writes the same item and a conditional put refuses the second one.
def software_upfront_id(contract_id: str) -> str:
    return f"upfront-{contract_id}"


def support_share_id(contract_id: str, installment: int) -> str:
    return f"support-{contract_id}-{installment}"


def software_upfront(
    *, contract_id: str, owner_id: str, amount: Money, due_by: datetime, created_at: datetime
) -> Payout:
    """The software part (PV − file fee), to the contract owner, due `payoutSlaHours` after transmission."""
    return Payout(
        id=software_upfront_id(contract_id),
        kind=PayoutKind.SOFTWARE_UPFRONT,
        status=PayoutStatus.SCHEDULED,
        amount=amount,
        beneficiary_id=owner_id,
        created_at=created_at,
        contract_id=contract_id,
        due_by=due_by,
    )


def support_share(
    *, contract_id: str, provider_id: str, installment: int, amount: Money, collected_at: datetime, sla_hours: int
) -> Payout:
    """Installment k's support fee, to whoever gives support, once the installment is collected."""
    return Payout(
        id=support_share_id(contract_id, installment),
        kind=PayoutKind.SUPPORT_SHARE,
        status=PayoutStatus.SCHEDULED,
        amount=amount,
        beneficiary_id=provider_id,
        created_at=collected_at,
        contract_id=contract_id,
        installment=installment,
        due_by=collected_at + timedelta(hours=sla_hours),
    )


def commission_id(contract_id: str) -> str:
    return f"commission-{contract_id}"


def partner_charge_id(contract_id: str, year: int) -> str:
    return f"charge-{contract_id}-{year}"


@dataclass(frozen=True, slots=True)
class Statement:
    """A partner's lines for a period: what it earns from the platform, what it is charged, the net.

    Cancelled lines are listed but count for nothing; the totals add up to the cent:
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
        counted = [p for p in lines if p.status is not PayoutStatus.CANCELLED]
        by_kind: dict[PayoutKind, Money] = {}
        for p in counted:
            if not p.is_charge:
                by_kind[p.kind] = by_kind.get(p.kind, Money.zero(currency)) + p.amount
        earned = sum((m for m in by_kind.values()), Money.zero(currency))
        charged = sum((p.amount for p in counted if p.is_charge), Money.zero(currency))
        return cls(
            partner_id=partner_id,
            start=start,
            end=end,
            lines=tuple(lines),
            earned=earned,
            charged=charged,
            earned_by_kind=tuple(sorted(by_kind.items(), key=lambda kv: kv[0].value)),
        )
