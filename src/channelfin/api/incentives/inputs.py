"""Inputs of reseller support (seed 002) (names binding per DESIGN 4)."""

from __future__ import annotations

import datetime as dt

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.incentives.campaigns import CampaignKind
from channelfin.domain.partners import PartnerRole


@strawberry.input(description="A vendor's incentive campaign; which figures it needs depends on its kind (DESIGN 4).")
class CreateIncentiveCampaignInput:
    vendor_id: strawberry.ID
    name: str
    kind: CampaignKind
    starts_at: dt.datetime = strawberry.field(description="In force from this time (included).")
    ends_at: dt.datetime = strawberry.field(description="Until this time (excluded).")
    partner_roles: list[PartnerRole] | None = strawberry.field(default=None, description="Default: every role.")
    distributor_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required for CREDIT_GUARANTEE and ORDER_CREDIT."
    )
    product_family: str | None = None
    product_references: list[str] | None = None
    licence_program: str | None = None
    amount: Decimal | None = strawberry.field(default=None, description="Credit added, EUR.")
    per_order_amount: Decimal | None = strawberry.field(default=None, description="ORDER_CREDIT step, EUR.")
    rate: Decimal | None = strawberry.field(default=None, description='A fraction, e.g. "0.10".')
    multiplier: Decimal | None = strawberry.field(default=None, description='e.g. "2".')
    payout_sla_hours: int | None = strawberry.field(default=None, description="FINANCING_REFERRAL; default 48.")


@strawberry.input
class AcceptIncentiveCampaignInput:
    campaign_id: strawberry.ID


@strawberry.input
class SetCreditLineInput:
    distributor_id: strawberry.ID
    reseller_id: strawberry.ID
    insured_limit: Decimal = strawberry.field(description="EUR; a cut to zero or by more than half is held.")


@strawberry.input
class ConfirmCreditLineChangeInput:
    credit_line_id: strawberry.ID


@strawberry.input
class WithdrawCreditLineChangeInput:
    credit_line_id: strawberry.ID


@strawberry.input
class RecordFirmOrderInput:
    reseller_id: strawberry.ID
    distributor_id: strawberry.ID
    amount: Decimal = strawberry.field(description="EUR, charged to the reseller's credit line.")
    licence_program: str = strawberry.field(description="e.g. OEM, Open.")
    reference: str | None = strawberry.field(
        default=None,
        description="The distributor's order reference: the same order sent again (a retry) is charged once; "
        "another order under a reference already used is REFERENCE_USED.",
    )


@strawberry.input
class RecordResellerPaymentInput:
    credit_line_id: strawberry.ID
    amount: Decimal = strawberry.field(description="EUR paid by the reseller to the distributor.")
    reference: str | None = strawberry.field(
        default=None, description="The payment's reference (e.g. the transfer's): sent again, it is recorded once."
    )


@strawberry.input
class RecordLicenceSaleInput:
    seller_id: strawberry.ID
    vendor_id: strawberry.ID
    product_family: str
    amount: Decimal = strawberry.field(description="Licence revenue of the sale, EUR.")
    sold_at: dt.datetime
    sale_reference: str | None = strawberry.field(
        default=None,
        description="The seller's invoice number: reporting the same sale again pays nothing more. Without it, "
        "a sale is known by seller, product family, amount and instant: the same report sent again pays once.",
    )


@strawberry.input
class OrderLineInput:
    reference: str
    licence_program: str | None = None
    product_family: str | None = None
    quantity: int = 1
    unit_price: Decimal = strawberry.field(description="List price per unit, EUR.")


@strawberry.input(description="Order lines to price on a date (now by default) under a vendor's DISCOUNT campaigns.")
class PriceQuoteInput:
    vendor_id: strawberry.ID
    lines: list[OrderLineInput]
    at: dt.datetime | None = None
