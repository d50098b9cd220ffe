"""Inputs of contracts with end clients (names binding per DESIGN 4)."""

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import PartyRole
from channelfin.domain.financing import Periodicity


@strawberry.input(description="The end client of a contract (createContract, updateContract).")
class CustomerInput:
    name: str = strawberry.field(description="The end client's name.")
    registration_number: str | None = strawberry.field(
        default=None,
        description="Its SIREN: 9 digits, spaces allowed, check digit verified (INVALID_SIREN). Financing needs "
        "it: createContract refuses a contract without it (SIREN_REQUIRED) unless `forFinancing` is false, and "
        "updateContract never removes it once the contract has one (SIREN_REQUIRED).",
    )
    email: str | None = strawberry.field(
        default=None,
        description="Its e-mail. Signature requests go to the signatory the leaser confirmed for this SIREN "
        "(confirmSignatory); only without one do they go here, and the upfront payout then waits for an analyst.",
    )


@strawberry.input(description="The input of `createContract`.")
class CreateContractInput:
    owner_id: strawberry.ID = strawberry.field(
        description="Who holds the contract: the publisher, or the reseller in buy-resell. The caller acts for it."
    )
    publisher_id: strawberry.ID = strawberry.field(description="The software's publisher (PUBLISHER role).")
    customer: CustomerInput = strawberry.field(
        description="The end client; its SIREN is required unless `forFinancing` is false (SIREN_REQUIRED)."
    )
    periodicity: Periodicity = strawberry.field(description="How often rents fall due.")
    term_months: int = strawberry.field(description="The lease term in months, a whole number of periods.")
    start_date: dt.date = strawberry.field(description="When the service starts for the end client.")
    software_fee: Decimal = strawberry.field(description="The software fee per period, in whole cents, positive (EUR).")
    support_fee: Decimal = strawberry.field(
        description="The support fee per period, in whole cents, zero or more (EUR)."
    )
    reseller_id: strawberry.ID | None = strawberry.field(
        default=None, description="The reseller (RESELLER role), if any: introducer, or the owner in buy-resell."
    )
    enrollment_id: strawberry.ID | None = strawberry.field(
        default=None, description="The program enrolment of the partner who brought or holds the deal."
    )
    support_provider_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who gives support (a party of the contract); default: the owner, or the enrolled partner "
        "when its tier's rules say the partner supports.",
    )
    for_financing: bool = strawberry.field(
        default=True,
        description="Whether the contract is meant for financing (the default): then the end client's SIREN is "
        "required at once (SIREN_REQUIRED, nothing created). False keeps a DRAFT without it, for updateContract "
        "to add it before financing is requested; requested without it, financing is rejected automatically.",
    )


@strawberry.input(
    description="Changes to a DRAFT (or automatically REJECTED) contract: `contractId` plus any term of "
    "`CreateContractInput` (`forFinancing` is a choice made at creation, not a term). A field left out stays "
    "as it is; null clears the optional ones (`resellerId`, `enrollmentId`, `supportProviderId`) and is refused "
    "(REQUIRED) on the others. `customer` is replaced as a whole."
)
class UpdateContractInput:
    contract_id: strawberry.ID = strawberry.field(
        description="The DRAFT (or automatically REJECTED) contract to change."
    )
    owner_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="As in createContract.")
    publisher_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="As in createContract.")
    customer: CustomerInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The end client, replaced as a whole. Once the contract has a SIREN, the new one must have "
        "one too (SIREN_REQUIRED): it may be corrected, not removed.",
    )
    periodicity: Periodicity | None = strawberry.field(default=strawberry.UNSET, description="As in createContract.")
    term_months: int | None = strawberry.field(default=strawberry.UNSET, description="As in createContract.")
    start_date: dt.date | None = strawberry.field(default=strawberry.UNSET, description="As in createContract.")
    software_fee: Decimal | None = strawberry.field(default=strawberry.UNSET, description="As in createContract.")
    support_fee: Decimal | None = strawberry.field(default=strawberry.UNSET, description="As in createContract.")
    reseller_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="As in createContract; null: no reseller any more."
    )
    enrollment_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="As in createContract; null: attributed to no enrolment."
    )
    support_provider_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="As in createContract; null: chosen again as at creation. Left out: kept while it is "
        "still a party of the contract.",
    )


@strawberry.input(description="Filters of the contracts list; a partner's users only ever see their own.")
class ContractFilter:
    partner_id: strawberry.ID | None = strawberry.field(default=None, description="A party of the contract.")
    role: PartyRole | None = strawberry.field(default=None, description="The part partnerId plays.")
    status: ContractStatus | None = strawberry.field(default=None, description="Only contracts in this status.")


@strawberry.input(description="The input of `cancelContract`.")
class CancelContractInput:
    contract_id: strawberry.ID = strawberry.field(description="The contract to cancel (not financed).")
    reason: str = strawberry.field(description="Why it is cancelled, kept on the timeline (required).")


@strawberry.input(
    description="The input of `confirmSignatory`: who signs for an end client, from a source the partner "
    "does not control."
)
class ConfirmSignatoryInput:
    registration_number: str = strawberry.field(description="The end client's SIREN.")
    name: str = strawberry.field(description="The signatory's name (200 characters).")
    email: str = strawberry.field(description="The signatory's e-mail address, where signature requests go.")
