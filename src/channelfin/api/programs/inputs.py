"""Inputs of partner programs (seed 001) (names binding per DESIGN 4)."""

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.programs import Actor, PartnerTier, RewardKind


@strawberry.input(description="The input of `createPartnerProgram`.")
class CreatePartnerProgramInput:
    publisher_id: strawberry.ID = strawberry.field(description="The publisher whose program it is (its partner-admin).")
    name: str = strawberry.field(description="A name for people.")
    entry_fee_rate: Decimal = strawberry.field(
        description='Fraction of the segment potential, e.g. "0.03"; at most "0.05" unless a leaser-admin creates it.'
    )
    affiliate_min_sales_per_year: int | None = strawberry.field(default=None, description="Default 15.")
    tier_rules: "list[TierRulesInput] | None" = strawberry.field(
        default=None,
        description="Changes to the default rules of DESIGN 1.2, tier by tier; unset fields keep them. A rate "
        "above its tier's default (a charge above 0.50) needs a leaser-admin.",
    )


@strawberry.input(description="A program's own rules for one tier (evolutive maintenance stays the publisher's).")
class TierRulesInput:
    tier: PartnerTier = strawberry.field(description="The tier whose defaults this changes.")
    rate: Decimal | None = strawberry.field(
        default=None,
        description="Of the first annuity (commission) or of each annual fee (charge); default: the tier's.",
    )
    from_sale: int | None = strawberry.field(
        default=None, description="The sale number from which it is earned; default: the tier's."
    )
    reward: RewardKind | None = strawberry.field(default=None, description="Default: the tier's.")
    onboarding_by: Actor | None = strawberry.field(default=None, description="Default: the tier's.")
    onboarding_invoiced_by: Actor | None = strawberry.field(default=None, description="Default: the tier's.")
    contract_held_by: Actor | None = strawberry.field(default=None, description="Default: the tier's.")
    support_by: Actor | None = strawberry.field(default=None, description="Default: the tier's.")
    needs_technical_qualification: bool | None = strawberry.field(default=None, description="Default: the tier's.")


@strawberry.input(description="The input of `enrollPartner`.")
class EnrollPartnerInput:
    program_id: strawberry.ID = strawberry.field(description="The program (its publisher's partner-admin enrols).")
    partner_id: strawberry.ID = strawberry.field(description="The partner enrolled.")
    tier: PartnerTier = strawberry.field(description="Its tier, whose rules it follows.")
    segment_potential: Decimal | None = strawberry.field(default=None, description="Required for affiliates.")


@strawberry.input(description="The input of `setTechnicalQualification`.")
class SetTechnicalQualificationInput:
    enrollment_id: strawberry.ID = strawberry.field(description="The enrolment.")
    qualified: bool = strawberry.field(description="Whether the partner passed the technical qualification.")


@strawberry.input(description="The input of `settleCommissions`.")
class SettleCommissionsInput:
    program_id: strawberry.ID = strawberry.field(description="The program whose commissions are paid.")
    up_to: dt.datetime = strawberry.field(description="Commissions due at or before this time are paid.")


@strawberry.input(description="The input of `acceptEnrollment`.")
class AcceptEnrollmentInput:
    enrollment_id: strawberry.ID = strawberry.field(description="The enrolment offered to the caller's partner.")


@strawberry.input(description="The input of `declineEnrollment`.")
class DeclineEnrollmentInput:
    enrollment_id: strawberry.ID = strawberry.field(description="The enrolment offered to the caller's partner.")
