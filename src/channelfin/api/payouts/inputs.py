"""Inputs of payouts (names binding per DESIGN 4)."""

from __future__ import annotations

import strawberry


@strawberry.input
class PayoutFilter:
    contract_id: strawberry.ID | None = None
    beneficiary_id: strawberry.ID | None = None
    payer_id: strawberry.ID | None = strawberry.field(
        default=None, description="What a partner pays (alone: not with the other filters)."
    )
