"""Mutations of partners and financing agreements: each returns the changed object and `userErrors`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import object_payload
from channelfin.api.partners.inputs import RegisterPartnerInput, SignFinancingAgreementInput
from channelfin.api.partners.types import FinancingAgreement, Partner
from channelfin.domain.money import Money
from channelfin.services import partners as partner_service


@strawberry.type(description="What `registerPartner` answers: what it changed, or its userErrors.")
class RegisterPartnerPayload:
    partner: Partner | None = strawberry.field(description="The new partner; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `signFinancingAgreement` answers: what it changed, or its userErrors.")
class SignFinancingAgreementPayload:
    agreement: FinancingAgreement | None = strawberry.field(description="The new agreement; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type
class PartnersMutations:
    @strawberry.mutation(description="Register a company on the platform (leaser-admin).")
    def register_partner(
        self,
        info: Info,
        input: Annotated[
            RegisterPartnerInput, strawberry.argument(description="What to do: see `RegisterPartnerInput`.")
        ],
    ) -> RegisterPartnerPayload:
        ctx = info.context
        return object_payload(
            RegisterPartnerPayload,
            "partner",
            Partner.from_domain,
            lambda: partner_service.register_partner(
                ctx.ports,
                ctx.principal,
                name=input.name,
                roles=list(input.roles),
                registration_number=input.registration_number,
                country=input.country,
            ),
        )

    @strawberry.mutation(description="Record a financing agreement between a leaser and a partner (leaser-admin).")
    def sign_financing_agreement(
        self,
        info: Info,
        input: Annotated[
            SignFinancingAgreementInput,
            strawberry.argument(description="What to do: see `SignFinancingAgreementInput`."),
        ],
    ) -> SignFinancingAgreementPayload:
        ctx = info.context
        return object_payload(
            SignFinancingAgreementPayload,
            "agreement",
            FinancingAgreement.from_domain,
            lambda: partner_service.sign_financing_agreement(
                ctx.ports,
                ctx.principal,
                partner_id=local_id(input.partner_id, "Partner", field=["partnerId"]),
                leaser_id=local_id(input.leaser_id, "Partner", field=["leaserId"]),
                annual_rate=input.annual_rate,
                file_fee=Money(input.file_fee),
                payout_sla_hours=input.payout_sla_hours,
                instant_decision_limit=(
                    Money(input.instant_decision_limit) if input.instant_decision_limit is not None else None
                ),
            ),
        )
