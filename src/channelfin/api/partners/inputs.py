"""Inputs of partners and financing agreements (names binding per DESIGN 4)."""

from __future__ import annotations

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.partners import PartnerRole


@strawberry.input
class RegisterPartnerInput:
    name: str
    roles: list[PartnerRole]
    registration_number: str | None = None
    country: str | None = None


@strawberry.input
class SignFinancingAgreementInput:
    partner_id: strawberry.ID
    leaser_id: strawberry.ID
    annual_rate: Decimal = strawberry.field(description='Yearly fraction, e.g. "0.06".')
    file_fee: Decimal
    payout_sla_hours: int | None = strawberry.field(default=None, description="Default 72.")
    instant_decision_limit: Decimal | None = strawberry.field(default=None, description='Default "50000.00".')


@strawberry.input
class PartnerFilter:
    role: PartnerRole | None = None


@strawberry.input(description="Asked by the partner-admin of either side; the other side answers.")
class RequestResellerLinkInput:
    publisher_id: strawberry.ID = strawberry.field(description="The publisher (or vendor).")
    reseller_id: strawberry.ID = strawberry.field(description="The reseller (or IT services firm).")


@strawberry.input
class AcceptResellerLinkInput:
    link_id: strawberry.ID


@strawberry.input
class DeclineResellerLinkInput:
    link_id: strawberry.ID
