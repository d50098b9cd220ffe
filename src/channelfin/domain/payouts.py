"""Payments the platform makes or charges: the software part, support shares, commissions..."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .errors import InvalidTransition
from .money import Money


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
