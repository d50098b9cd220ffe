"""Root mutation fields: `verbNoun(input:)` returning the changed object and `userErrors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import strawberry

from ..domain.contracts import Customer
from ..domain.errors import DomainError, PermissionDenied
from ..domain.money import Money
from ..services import contracts as contract_service
from ..services import partners as partner_service
from .context import Context
from .errors import UserError
from .ids import local_id
from .inputs import CreateContractInput, RegisterPartnerInput, SignFinancingAgreementInput
from .types import Contract, FinancingAgreement, Partner

Info = strawberry.Info[Context, None]
T = TypeVar("T")


def attempt(action: Callable[[], T]) -> tuple[T | None, list[UserError]]:
    """Run a use case; a business refusal becomes userErrors, an auth failure stays top-level."""
    try:
        return action(), []
    except PermissionDenied:
        raise
    except DomainError as error:
        return None, [UserError.from_domain(error)]


@strawberry.type
class RegisterPartnerPayload:
    partner: Partner | None
    user_errors: list[UserError]


@strawberry.type
class SignFinancingAgreementPayload:
    agreement: FinancingAgreement | None
    user_errors: list[UserError]


@strawberry.type
class CreateContractPayload:
    contract: Contract | None
    user_errors: list[UserError]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register a company on the platform (leaser-admin).")
    def register_partner(self, info: Info, input: RegisterPartnerInput) -> RegisterPartnerPayload:
        ctx = info.context
        partner, errors = attempt(
            lambda: partner_service.register_partner(
                ctx.ports,
                ctx.principal,
                name=input.name,
                roles=list(input.roles),
                registration_number=input.registration_number,
                country=input.country,
            )
        )
        return RegisterPartnerPayload(partner=Partner.from_domain(partner) if partner else None, user_errors=errors)

    @strawberry.mutation(description="Record a financing agreement between a leaser and a partner (leaser-admin).")
    def sign_financing_agreement(self, info: Info, input: SignFinancingAgreementInput) -> SignFinancingAgreementPayload:
        ctx = info.context
        agreement, errors = attempt(
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
            )
        )
        return SignFinancingAgreementPayload(
            agreement=FinancingAgreement.from_domain(agreement) if agreement else None, user_errors=errors
        )

    @strawberry.mutation(description="Create a contract with an end client (the owner's users).")
    def create_contract(self, info: Info, input: CreateContractInput) -> CreateContractPayload:
        ctx = info.context
        contract, errors = attempt(
            lambda: contract_service.create_contract(
                ctx.ports,
                ctx.principal,
                owner_id=local_id(input.owner_id, "Partner", field=["ownerId"]),
                publisher_id=local_id(input.publisher_id, "Partner", field=["publisherId"]),
                reseller_id=local_id(input.reseller_id, "Partner", field=["resellerId"]) if input.reseller_id else None,
                customer=Customer.create(input.customer.name, input.customer.registration_number, input.customer.email),
                periodicity=input.periodicity,
                term_months=input.term_months,
                start_date=input.start_date,
                software_fee=Money(input.software_fee),
                support_fee=Money(input.support_fee),
            )
        )
        return CreateContractPayload(contract=Contract.from_domain(contract) if contract else None, user_errors=errors)
