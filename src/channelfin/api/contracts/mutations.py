"""Mutations of contracts with end clients: each returns the changed object and `userErrors`."""

from __future__ import annotations

import strawberry

from channelfin.api.contracts.inputs import CancelContractInput, CreateContractInput
from channelfin.api.contracts.types import Contract
from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import contract_id, local_id, optional_local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import ContractPayload, contract_payload
from channelfin.domain.customers import Customer
from channelfin.domain.money import Money
from channelfin.services import contracts as contract_service


@strawberry.type
class CreateContractPayload:
    contract: Contract | None
    user_errors: list[UserError]


@strawberry.type
class CancelContractPayload(ContractPayload):
    pass


@strawberry.type
class ContractsMutations:
    @strawberry.mutation(description="Create a contract with an end client (the owner's users).")
    def create_contract(self, info: Info, input: CreateContractInput) -> CreateContractPayload:
        ctx = info.context
        return contract_payload(
            CreateContractPayload,
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
                enrollment_id=local_id(input.enrollment_id, "Enrollment", field=["enrollmentId"])
                if input.enrollment_id
                else None,
                support_provider_id=optional_local_id(
                    input.support_provider_id, "Partner", field=["supportProviderId"]
                ),
            ),
        )

    @strawberry.mutation(
        description="Cancel a contract that is not financed (the owner's users or leaser-admin); "
        "its unsettled commission and charges are CANCELLED, paid ones stay paid."
    )
    def cancel_contract(self, info: Info, input: CancelContractInput) -> CancelContractPayload:
        ctx = info.context
        return contract_payload(
            CancelContractPayload,
            lambda: contract_service.cancel_contract(
                ctx.ports, ctx.principal, contract_id=contract_id(input.contract_id), reason=input.reason
            ),
        )
