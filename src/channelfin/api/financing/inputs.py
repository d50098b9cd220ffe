"""Inputs of financing (decision, delivery, installments) (names binding per DESIGN 4)."""

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.financing import Periodicity


@strawberry.input(description="The calculator: give exactly one of softwareFee and financedAmount.")
class LeaseQuoteInput:
    agreement_id: strawberry.ID = strawberry.field(
        description="The financing agreement it would run under (its partner's or leaser's users)."
    )
    periodicity: Periodicity = strawberry.field(description="How often rents would fall due.")
    term_months: int = strawberry.field(description="The term in months, a whole number of periods.")
    software_fee: Decimal | None = strawberry.field(default=None, description="Rent per period, EUR.")
    financed_amount: Decimal | None = strawberry.field(default=None, description="Wanted PV, EUR.")


@strawberry.input(description="The input of `requestFinancing`.")
class RequestFinancingInput:
    contract_id: strawberry.ID = strawberry.field(description="The DRAFT contract to finance (its owner's users).")
    agreement_id: strawberry.ID = strawberry.field(description="The owner's active financing agreement.")


@strawberry.input(description="The input of `reviewFinancing`.")
class ReviewFinancingInput:
    contract_id: strawberry.ID = strawberry.field(description="The contract UNDER_REVIEW.")
    approve: bool = strawberry.field(description="True to approve, false to reject.")
    comment: str | None = strawberry.field(default=None, description="Kept as the decision's reason.")


@strawberry.input(description="The input of `submitDeliveryReport`.")
class SubmitDeliveryReportInput:
    contract_id: strawberry.ID = strawberry.field(description="The contract AWAITING_DELIVERY.")
    installed_at: dt.date = strawberry.field(description="When the service was installed for the end client.")
    signed_by: str = strawberry.field(
        description="Who signs the report for the end client: the signature request is addressed to them."
    )


@strawberry.input(description="The contract whose held upfront payout an analyst releases.")
class ReleaseHeldPayoutInput:
    contract_id: strawberry.ID = strawberry.field(description="The contract waiting for PAYOUT_RELEASE.")
    comment: str | None = strawberry.field(default=None, description="Why it is released (500 characters).")


@strawberry.input(description="The input of `recordInstallmentCollected`.")
class RecordInstallmentCollectedInput:
    contract_id: strawberry.ID = strawberry.field(description="The ACTIVE contract whose rent was collected.")
    installment: int = strawberry.field(description="1..n")
    collected_at: dt.datetime | None = strawberry.field(default=None, description="Default: now.")
