"""Mutations of partners and financing agreements: each returns the changed object and `userErrors`."""

from collections.abc import Callable
from typing import Annotated

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import P, object_payload
from channelfin.api.partners.inputs import (
    AcceptResellerLinkInput,
    DeclineResellerLinkInput,
    RegisterPartnerInput,
    RequestResellerLinkInput,
    SignFinancingAgreementInput,
    TerminateFinancingAgreementInput,
)
from channelfin.api.partners.types import FinancingAgreement, Partner, ResellerLink
from channelfin.domain.money import Money
from channelfin.services import partners as partner_service
from channelfin.services import relations as relation_service


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


@strawberry.type(description="What `terminateFinancingAgreement` answers: the agreement, or its userErrors.")
class TerminateFinancingAgreementPayload:
    agreement: FinancingAgreement | None = strawberry.field(description="The agreement, TERMINATED; null if refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `requestResellerLink` answers: what it changed, or its userErrors.")
class RequestResellerLinkPayload:
    link: ResellerLink | None = strawberry.field(description="The link asked for, PENDING; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `acceptResellerLink` answers: what it changed, or its userErrors.")
class AcceptResellerLinkPayload:
    link: ResellerLink | None = strawberry.field(description="The link, ACCEPTED; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `declineResellerLink` answers: what it changed, or its userErrors.")
class DeclineResellerLinkPayload:
    link: ResellerLink | None = strawberry.field(description="The link, DECLINED; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


def _answer(info: Info, payload: Callable[..., P], link_id: strawberry.ID, *, accept: bool) -> P:
    ctx = info.context
    return object_payload(
        payload,
        "link",
        ResellerLink.from_domain,
        lambda: relation_service.answer_reseller_link(
            ctx.ports, ctx.principal, link_id=local_id(link_id, "ResellerLink", field=["linkId"]), accept=accept
        ),
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

    @strawberry.mutation(
        description="End a financing agreement (leaser-admin): status TERMINATED, new financing requests under it "
        "are refused (AGREEMENT_TERMINATED); contracts already requested go on. Terminating it again changes nothing."
    )
    def terminate_financing_agreement(
        self,
        info: Info,
        input: Annotated[
            TerminateFinancingAgreementInput,
            strawberry.argument(description="What to do: see `TerminateFinancingAgreementInput`."),
        ],
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

    @strawberry.mutation(
        description="Ask for a reseller link (the partner-admin of the publisher or of the reseller); the other "
        "side answers. A declined link may be asked for again."
    )
    def request_reseller_link(
        self,
        info: Info,
        input: Annotated[
            RequestResellerLinkInput, strawberry.argument(description="What to do: see `RequestResellerLinkInput`.")
        ],
    ) -> RequestResellerLinkPayload:
        ctx = info.context
        return object_payload(
            RequestResellerLinkPayload,
            "link",
            ResellerLink.from_domain,
            lambda: relation_service.request_reseller_link(
                ctx.ports,
                ctx.principal,
                publisher_id=local_id(input.publisher_id, "Partner", field=["publisherId"]),
                reseller_id=local_id(input.reseller_id, "Partner", field=["resellerId"]),
            ),
        )

    @strawberry.mutation(description="Accept a reseller link (the other side's partner-admin, once).")
    def accept_reseller_link(
        self,
        info: Info,
        input: Annotated[
            AcceptResellerLinkInput, strawberry.argument(description="What to do: see `AcceptResellerLinkInput`.")
        ],
    ) -> AcceptResellerLinkPayload:
        return _answer(info, AcceptResellerLinkPayload, input.link_id, accept=True)

    @strawberry.mutation(description="Decline a reseller link (the other side's partner-admin, once).")
    def decline_reseller_link(
        self,
        info: Info,
        input: Annotated[
            DeclineResellerLinkInput, strawberry.argument(description="What to do: see `DeclineResellerLinkInput`.")
        ],
    ) -> DeclineResellerLinkPayload:
        return _answer(info, DeclineResellerLinkPayload, input.link_id, accept=False)
