"""Inputs of financing (decision, delivery, installments) (names binding per DESIGN 4)."""

from __future__ import annotations

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.financing import Periodicity


@strawberry.input(description="The calculator: give exactly one of softwareFee and financedAmount.")
class LeaseQuoteInput:
    agreement_id: strawberry.ID
    periodicity: Periodicity
    term_months: int
    software_fee: Decimal | None = strawberry.field(default=None, description="Rent per period, EUR.")
    financed_amount: Decimal | None = strawberry.field(default=None, description="Wanted PV, EUR.")


@strawberry.input
class RequestFinancingInput:
    contract_id: strawberry.ID
    agreement_id: strawberry.ID = strawberry.field(description="The owner's active financing agreement.")


@strawberry.input
class ReviewFinancingInput:
    contract_id: strawberry.ID
    approve: bool
    comment: str | None = strawberry.field(default=None, description="Kept as the decision's reason.")


@strawberry.input
class SubmitDeliveryReportInput:
    contract_id: strawberry.ID
    installed_at: dt.date
    signed_by: str = strawberry.field(
        description="Who signs the report for the end client: the signature request is addressed to them."
    )


@strawberry.input
class ReleaseHeldPayoutInput:
    contract_id: strawberry.ID
    comment: str | None = strawberry.field(default=None, description="Why it is released (500 characters).")


@strawberry.input
class RecordInstallmentCollectedInput:
    contract_id: strawberry.ID
    installment: int = strawberry.field(description="1..n")
    collected_at: dt.datetime | None = strawberry.field(default=None, description="Default: now.")
