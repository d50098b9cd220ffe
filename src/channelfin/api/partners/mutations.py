"""Mutations of partners and financing agreements: each returns the changed object and `userErrors`."""

from __future__ import annotations

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import object_payload
from channelfin.api.partners.inputs import (
    RegisterPartnerInput,
    SignFinancingAgreementInput,
    TerminateFinancingAgreementInput,
)
from channelfin.api.partners.types import FinancingAgreement, Partner
from channelfin.domain.money import Money
from channelfin.services import partners as partner_service


@strawberry.type
class RegisterPartnerPayload:
    partner: Partner | None
    user_errors: list[UserError]


@strawberry.type
class SignFinancingAgreementPayload:
    agreement: FinancingAgreement | None
    user_errors: list[UserError]


@strawberry.type
class TerminateFinancingAgreementPayload:
    agreement: FinancingAgreement | None
    user_errors: list[UserError]


@strawberry.type
class PartnersMutations:
    @strawberry.mutation(description="Register a company on the platform (leaser-admin).")
    def register_partner(self, info: Info, input: RegisterPartnerInput) -> RegisterPartnerPayload:
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
    def sign_financing_agreement(self, info: Info, input: SignFinancingAgreementInput) -> SignFinancingAgreementPayload:
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

    @strawberry.mutation(
        description="End a financing agreement (leaser-admin): status TERMINATED, new financing requests under it "
        "are refused (AGREEMENT_TERMINATED); contracts already requested go on. Terminating it again changes nothing."
    )
    def terminate_financing_agreement(
        self, info: Info, input: TerminateFinancingAgreementInput
    ) -> TerminateFinancingAgreementPayload:
        ctx = info.context
        return object_payload(
            TerminateFinancingAgreementPayload,
            "agreement",
            FinancingAgreement.from_domain,
            lambda: partner_service.terminate_financing_agreement(
                ctx.ports,
                ctx.principal,
                agreement_id=local_id(input.agreement_id, "FinancingAgreement", field=["agreementId"]),
                reason=input.reason,
            ),
        )
