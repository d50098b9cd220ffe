"""Inputs of payouts (names binding per DESIGN 4)."""

import strawberry


@strawberry.input(
    description="Filters of the payouts list; a partner's users see only the payouts it receives or pays."
)
class PayoutFilter:
    contract_id: strawberry.ID | None = strawberry.field(default=None, description="Only the payouts of this contract.")
    beneficiary_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only the payouts paid to this partner."
    )
    payer_id: strawberry.ID | None = strawberry.field(
        default=None, description="What a partner pays (alone: not with the other filters)."
    )
