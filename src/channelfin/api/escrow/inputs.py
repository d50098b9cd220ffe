"""Inputs of escrow agreements (names binding per DESIGN 4)."""

from __future__ import annotations

import datetime as dt

import strawberry


@strawberry.input
class SignEscrowAgreementInput:
    leaser_id: strawberry.ID
    publisher_id: strawberry.ID
    host_id: strawberry.ID
    continuity_provider_id: strawberry.ID
    products: list[str]
    deposit_reference: str
    last_deposit_at: dt.datetime


@strawberry.input
class DeclarePublisherDefaultInput:
    escrow_agreement_id: strawberry.ID
    reason: str


@strawberry.input
class ConfirmEscrowTriggerInput:
    escrow_agreement_id: strawberry.ID
    confirm: bool = strawberry.field(description="false dismisses the declared default.")
