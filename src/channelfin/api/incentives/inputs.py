"""Inputs of reseller support (seed 002) (names binding per DESIGN 4)."""

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.incentives.campaigns import CampaignKind
from channelfin.domain.partners import PartnerRole


@strawberry.input(description="A vendor's incentive campaign; which figures it needs depends on its kind (DESIGN 4).")
class CreateIncentiveCampaignInput:
    vendor_id: strawberry.ID = strawberry.field(description="The vendor running the campaign (its partner-admin).")
    name: str = strawberry.field(description="A name for people.")
    kind: CampaignKind = strawberry.field(
        description="What the campaign gives (see CampaignKind for the fields each kind needs)."
    )
    starts_at: dt.datetime = strawberry.field(description="In force from this time (included).")
    ends_at: dt.datetime = strawberry.field(description="Until this time (excluded).")
    partner_roles: list[PartnerRole] | None = strawberry.field(default=None, description="Default: every role.")
    distributor_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required for CREDIT_GUARANTEE and ORDER_CREDIT."
    )
    product_family: str | None = strawberry.field(
        default=None, description="The product family it applies to (REBATE, REBATE_MULTIPLIER)."
    )
    product_references: list[str] | None = strawberry.field(
        default=None, description="The product references discounted (DISCOUNT)."
    )
    licence_program: str | None = strawberry.field(
        default=None, description="The licence program it applies to (DISCOUNT, ORDER_CREDIT)."
    )
    amount: Decimal | None = strawberry.field(default=None, description="Credit added, EUR.")
    per_order_amount: Decimal | None = strawberry.field(default=None, description="ORDER_CREDIT step, EUR.")
    rate: Decimal | None = strawberry.field(default=None, description='A fraction, e.g. "0.10".')
    multiplier: Decimal | None = strawberry.field(default=None, description='e.g. "2".')
    payout_sla_hours: int | None = strawberry.field(default=None, description="FINANCING_REFERRAL; default 48.")


@strawberry.input(description="The input of `acceptIncentiveCampaign`.")
class AcceptIncentiveCampaignInput:
    campaign_id: strawberry.ID = strawberry.field(description="The campaign to accept.")


@strawberry.input(description="The input of `setCreditLine`.")
class SetCreditLineInput:
    distributor_id: strawberry.ID = strawberry.field(
        description="The distributor granting the line (its partner-admin)."
    )
    reseller_id: strawberry.ID = strawberry.field(description="The reseller holding it.")
    insured_limit: Decimal = strawberry.field(description="EUR; a cut to zero or by more than half is held.")


@strawberry.input(description="The input of `confirmCreditLineChange`.")
class ConfirmCreditLineChangeInput:
    credit_line_id: strawberry.ID = strawberry.field(description="The line whose held change a second user confirms.")


@strawberry.input(description="The input of `withdrawCreditLineChange`.")
class WithdrawCreditLineChangeInput:
    credit_line_id: strawberry.ID = strawberry.field(description="The line whose held change is withdrawn.")


@strawberry.input(description="The input of `recordFirmOrder`.")
class RecordFirmOrderInput:
    reseller_id: strawberry.ID = strawberry.field(description="The reseller ordering.")
    distributor_id: strawberry.ID = strawberry.field(description="The distributor whose credit line it charges.")
    amount: Decimal = strawberry.field(description="EUR, charged to the reseller's credit line.")
    licence_program: str = strawberry.field(description="e.g. OEM, Open.")
    reference: str | None = strawberry.field(
        default=None,
        description="The distributor's order reference: the same order sent again (a retry) is charged once; "
        "another order under a reference already used is REFERENCE_USED.",
    )


@strawberry.input(description="The input of `recordResellerPayment`.")
class RecordResellerPaymentInput:
    credit_line_id: strawberry.ID = strawberry.field(description="The line the payment repays.")
    amount: Decimal = strawberry.field(description="EUR paid by the reseller to the distributor.")
    reference: str | None = strawberry.field(
        default=None, description="The payment's reference (e.g. the transfer's): sent again, it is recorded once."
    )


@strawberry.input(description="The input of `recordLicenceSale`.")
class RecordLicenceSaleInput:
    seller_id: strawberry.ID = strawberry.field(description="The partner that sold.")
    vendor_id: strawberry.ID = strawberry.field(description="The vendor whose licences were sold.")
    product_family: str = strawberry.field(description="The product family sold.")
    amount: Decimal = strawberry.field(description="Licence revenue of the sale, EUR.")
    sold_at: dt.datetime = strawberry.field(description="When it was sold (UTC).")
    sale_reference: str | None = strawberry.field(
        default=None,
        description="The seller's invoice number: reporting the same sale again pays nothing more. Without it, "
        "a sale is known by seller, product family, amount and instant: the same report sent again pays once.",
    )


@strawberry.input(description="An order line to price (priceQuote).")
class OrderLineInput:
    reference: str = strawberry.field(description="The product reference.")
    licence_program: str | None = strawberry.field(default=None, description="The licence program it is sold under.")
    product_family: str | None = strawberry.field(default=None, description="Its product family.")
    quantity: int = strawberry.field(default=1, description="How many, positive (INVALID_QUANTITY otherwise).")
    unit_price: Decimal = strawberry.field(description="List price per unit, EUR.")


@strawberry.input(description="Order lines to price on a date (now by default) under a vendor's DISCOUNT campaigns.")
class PriceQuoteInput:
    vendor_id: strawberry.ID = strawberry.field(description="The vendor whose DISCOUNT campaigns apply.")
    lines: list[OrderLineInput] = strawberry.field(description="The order lines (at most 100).")
    at: dt.datetime | None = strawberry.field(default=None, description="Price as at this instant; default: now.")
