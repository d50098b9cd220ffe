"""Where a contract stands in its life (DESIGN 4) and where each status may go next."""

from __future__ import annotations

import enum


class ContractStatus(enum.Enum):
    DRAFT = "DRAFT"
    FINANCING_REQUESTED = "FINANCING_REQUESTED"
    UNDER_REVIEW = "UNDER_REVIEW"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    AWAITING_SIGNATURES = "AWAITING_SIGNATURES"
    AWAITING_DELIVERY = "AWAITING_DELIVERY"
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


S = ContractStatus
# Where each status may go next (DESIGN 4). Anything else is refused as INVALID_TRANSITION.
NEXT_STATUSES: dict[ContractStatus, frozenset[ContractStatus]] = {
    S.DRAFT: frozenset({S.FINANCING_REQUESTED, S.ACTIVE, S.CANCELLED}),
    S.FINANCING_REQUESTED: frozenset({S.UNDER_REVIEW, S.APPROVED, S.REJECTED}),
    S.UNDER_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.EXPIRED}),
    # EXPIRED: an analyst's approval written just as the credit review's wait timed out (the step
    # closed, the workflow expiring the file); left APPROVED, no workflow would ever move it.
    S.APPROVED: frozenset({S.AWAITING_SIGNATURES, S.CANCELLED, S.EXPIRED}),
    S.AWAITING_SIGNATURES: frozenset({S.AWAITING_DELIVERY, S.CANCELLED, S.EXPIRED}),
    S.AWAITING_DELIVERY: frozenset({S.AWAITING_PAYMENT, S.CANCELLED, S.EXPIRED}),
    S.AWAITING_PAYMENT: frozenset({S.ACTIVE}),
    S.ACTIVE: frozenset({S.COMPLETED, S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}
