"""Payments the platform makes or charges: the software part, support shares, commissions..."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

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

    @property
    def sla_met(self) -> bool | None:
        """Paid by its due time; unknown until paid (or when there is no deadline)."""
        if self.due_by is None or self.paid_at is None:
            return None
        return self.paid_at <= self.due_by
