"""Inputs of contracts with end clients (names binding per DESIGN 4)."""

from __future__ import annotations

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import PartyRole
from channelfin.domain.financing import Periodicity


@strawberry.input
class CustomerInput:
    name: str
    registration_number: str | None = None
    email: str | None = None


@strawberry.input
class CreateContractInput:
    owner_id: strawberry.ID
    publisher_id: strawberry.ID
    customer: CustomerInput
    periodicity: Periodicity
    term_months: int
    start_date: dt.date
    software_fee: Decimal
    support_fee: Decimal
    reseller_id: strawberry.ID | None = None
    enrollment_id: strawberry.ID | None = strawberry.field(
        default=None, description="The program enrolment of the partner who brought or holds the deal."
    )
    support_provider_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who gives support (a party of the contract); default: the owner, or the enrolled partner "
        "when its tier's rules say the partner supports.",
    )


@strawberry.input(description="Filters of the contracts list; a partner's users only ever see their own.")
class ContractFilter:
    partner_id: strawberry.ID | None = strawberry.field(default=None, description="A party of the contract.")
    role: PartyRole | None = strawberry.field(default=None, description="The part partnerId plays.")
    status: ContractStatus | None = None


@strawberry.input
class CancelContractInput:
    contract_id: strawberry.ID
    reason: str
