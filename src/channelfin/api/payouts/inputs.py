"""Inputs of payouts (names binding per DESIGN 4)."""

from __future__ import annotations

import strawberry


@strawberry.input
class PayoutFilter:
    contract_id: strawberry.ID | None = None
    beneficiary_id: strawberry.ID | None = None
