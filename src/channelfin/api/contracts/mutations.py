"""Mutations of contracts with end clients: each returns the changed object and `userErrors`."""

from typing import Annotated

import strawberry

from channelfin.api.contracts.changes import contract_changes
from channelfin.api.contracts.inputs import (
    CancelContractInput,
    ConfirmSignatoryInput,
    CreateContractInput,
    UpdateContractInput,
)
from channelfin.api.contracts.types import Contract, Signatory
from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import contract_id, local_id, optional_local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import ContractPayload, attempt, contract_payload
from channelfin.domain.customers import Customer
from channelfin.domain.money import Money
from channelfin.services import contract_updates
from channelfin.services import contracts as contract_service
from channelfin.services import signatories as signatory_service


@strawberry.type(description="What `createContract` answers: what it changed, or its userErrors.")
class CreateContractPayload:
    contract: Contract | None = strawberry.field(description="The new DRAFT contract; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `cancelContract` answers: what it changed, or its userErrors.")
class CancelContractPayload(ContractPayload):
    pass


@strawberry.type(description="The answer of updateContract: the contract as amended, or why not.")
class UpdateContractPayload(ContractPayload):
    pass


@strawberry.type(description="What `confirmSignatory` answers: the signatory recorded, or its userErrors.")
class ConfirmSignatoryPayload:
    signatory: Signatory | None = strawberry.field(description="The end client's signatory; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type
class ContractsMutations:
    @strawberry.mutation(
        description="Create a DRAFT contract with an end client (the owner's users). Its SIREN is required "
        "(SIREN_REQUIRED) unless `forFinancing` is false."
    )
    def create_contract(
        self,
        info: Info,
        input: Annotated[
            CreateContractInput, strawberry.argument(description="What to do: see `CreateContractInput`.")
        ],
    ) -> CreateContractPayload:
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
                for_financing=input.for_financing,
            ),
        )

    @strawberry.mutation(
        description="Change a DRAFT contract (the owner's users): any term of createContract, each checked "
        "again as at creation. A contract the automatic decision REJECTED (no SIREN, fee, term) goes back to "
        "DRAFT with the change, to ask for financing again; otherwise NOT_A_DRAFT once financing was requested. "
        "A partner no longer named stops seeing the contract. The end client's SIREN, once given, may be "
        "corrected but not removed (SIREN_REQUIRED)."
    )
    def update_contract(
        self,
        info: Info,
        input: Annotated[
            UpdateContractInput, strawberry.argument(description="What to do: see `UpdateContractInput`.")
        ],
    ) -> UpdateContractPayload:
        ctx = info.context
        return contract_payload(
            UpdateContractPayload,
            lambda: contract_updates.update_draft(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                changes=contract_changes(input),
            ),
        )

    @strawberry.mutation(
        description="Cancel a contract that is not financed (the owner's users or leaser-admin); "
        "its unsettled commission and charges are CANCELLED, paid ones stay paid."
    )
    def cancel_contract(
        self,
        info: Info,
        input: Annotated[
            CancelContractInput, strawberry.argument(description="What to do: see `CancelContractInput`.")
        ],
    ) -> CancelContractPayload:
        ctx = info.context
        return contract_payload(
            CancelContractPayload,
            lambda: contract_service.cancel_contract(
                ctx.ports, ctx.principal, contract_id=contract_id(input.contract_id), reason=input.reason
            ),
        )

    @strawberry.mutation(
        description="Confirm who signs for an end client (credit-analyst, leaser-admin), from a source the partner "
        "does not control. The end client's signature requests sent from then on go to that address; a new "
        "confirmation replaces the last. A file whose requests went elsewhere keeps its upfront payout held."
    )
    def confirm_signatory(
        self,
        info: Info,
        input: Annotated[
            ConfirmSignatoryInput, strawberry.argument(description="What to do: see `ConfirmSignatoryInput`.")
        ],
    ) -> ConfirmSignatoryPayload:
        ctx = info.context
        found, errors = attempt(
            lambda: signatory_service.confirm_signatory(
                ctx.ports,
                ctx.principal,
                registration_number=input.registration_number,
                name=input.name,
                email=input.email,
            )
        )
        return ConfirmSignatoryPayload(signatory=Signatory.from_domain(found) if found else None, user_errors=errors)
