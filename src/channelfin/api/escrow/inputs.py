"""Inputs of escrow agreements (names binding per DESIGN 4)."""

import datetime as dt

import strawberry


@strawberry.input(description="The input of `signEscrowAgreement`.")
class SignEscrowAgreementInput:
    leaser_id: strawberry.ID = strawberry.field(description="The leaser (LEASER role).")
    publisher_id: strawberry.ID = strawberry.field(description="The publisher covered (PUBLISHER role).")
    host_id: strawberry.ID = strawberry.field(description="The host (HOST role).")
    continuity_provider_id: strawberry.ID = strawberry.field(description="Who takes over on a trigger.")
    products: list[str] = strawberry.field(description="The products whose source is deposited.")
    deposit_reference: str = strawberry.field(description="The escrow agent's reference of the deposit.")
    last_deposit_at: dt.datetime = strawberry.field(
        description="When the source was last deposited (not in the future)."
    )


@strawberry.input(description="The input of `declarePublisherDefault`.")
class DeclarePublisherDefaultInput:
    escrow_agreement_id: strawberry.ID = strawberry.field(description="The agreement whose publisher is in default.")
    reason: str = strawberry.field(description="Why (required); another leaser-admin must confirm.")


@strawberry.input(description="The input of `confirmEscrowTrigger`.")
class ConfirmEscrowTriggerInput:
    escrow_agreement_id: strawberry.ID = strawberry.field(
        description="The agreement whose declared default another leaser-admin confirms."
    )
    confirm: bool = strawberry.field(description="false dismisses the declared default.")
