"""Inputs of partners and financing agreements (names binding per DESIGN 4)."""

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.partners import PartnerRole


@strawberry.input(description="The input of `registerPartner`.")
class RegisterPartnerInput:
    name: str = strawberry.field(description="Its name.")
    roles: list[PartnerRole] = strawberry.field(description="What it is to the platform (at least one).")
    registration_number: str | None = strawberry.field(
        default=None, description="Its SIREN or other national identifier, if known."
    )
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 (INVALID_COUNTRY otherwise).")


@strawberry.input(description="The input of `signFinancingAgreement`.")
class SignFinancingAgreementInput:
    partner_id: strawberry.ID = strawberry.field(description="The partner financed under it.")
    leaser_id: strawberry.ID = strawberry.field(description="The leaser (LEASER role).")
    annual_rate: Decimal = strawberry.field(description='Yearly fraction, e.g. "0.06".')
    file_fee: Decimal = strawberry.field(description="The leaser's fee per financed file (EUR).")
    payout_sla_hours: int | None = strawberry.field(default=None, description="Default 72.")
    instant_decision_limit: Decimal | None = strawberry.field(default=None, description='Default "50000.00".')


@strawberry.input(description="The financing agreement a leaser ends, and why.")
class TerminateFinancingAgreementInput:
    agreement_id: strawberry.ID = strawberry.field(description="The financing agreement to end.")
    reason: str | None = strawberry.field(default=None, description="Why the leaser ends it (500 characters).")


@strawberry.input(
    description="Filters of the partners list; a partner's users see their own partner only (the resellers a "
    "publisher may name: `nameableResellers`)."
)
class PartnerFilter:
    role: PartnerRole | None = strawberry.field(default=None, description="Only partners with this role.")


@strawberry.input(description="Asked by the partner-admin of either side; the other side answers.")
class RequestResellerLinkInput:
    publisher_id: strawberry.ID = strawberry.field(description="The publisher (or vendor).")
    reseller_id: strawberry.ID = strawberry.field(description="The reseller (or IT services firm).")


@strawberry.input(description="The input of `acceptResellerLink`.")
class AcceptResellerLinkInput:
    link_id: strawberry.ID = strawberry.field(description="The link the other side asked for.")


@strawberry.input(description="The input of `declineResellerLink`.")
class DeclineResellerLinkInput:
    link_id: strawberry.ID = strawberry.field(description="The link the other side asked for.")
