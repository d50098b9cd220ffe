"""Inputs of partner programs (seed 001) (names binding per DESIGN 4)."""

from __future__ import annotations

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.programs import Actor, PartnerTier, RewardKind


@strawberry.input
class CreatePartnerProgramInput:
    publisher_id: strawberry.ID
    name: str
    entry_fee_rate: Decimal = strawberry.field(
        description='Fraction of the segment potential, e.g. "0.03"; at most "0.05" unless a leaser-admin creates it.'
    )
    affiliate_min_sales_per_year: int | None = strawberry.field(default=None, description="Default 15.")
    tier_rules: list[TierRulesInput] | None = strawberry.field(
        default=None,
        description="Changes to the default rules of DESIGN 1.2, tier by tier; unset fields keep them. A rate "
        "above its tier's default (a charge above 0.50) needs a leaser-admin.",
    )


@strawberry.input(description="A program's own rules for one tier (evolutive maintenance stays the publisher's).")
class TierRulesInput:
    tier: PartnerTier
    rate: Decimal | None = None
    from_sale: int | None = None
    reward: RewardKind | None = None
    onboarding_by: Actor | None = None
    onboarding_invoiced_by: Actor | None = None
    contract_held_by: Actor | None = None
    support_by: Actor | None = None
    needs_technical_qualification: bool | None = None


@strawberry.input
class EnrollPartnerInput:
    program_id: strawberry.ID
    partner_id: strawberry.ID
    tier: PartnerTier
    segment_potential: Decimal | None = strawberry.field(default=None, description="Required for affiliates.")


@strawberry.input
class SetTechnicalQualificationInput:
    enrollment_id: strawberry.ID
    qualified: bool


@strawberry.input
class SettleCommissionsInput:
    program_id: strawberry.ID
    up_to: dt.datetime = strawberry.field(description="Commissions due at or before this time are paid.")


@strawberry.input
class AcceptEnrollmentInput:
    enrollment_id: strawberry.ID


@strawberry.input
class DeclineEnrollmentInput:
    enrollment_id: strawberry.ID
