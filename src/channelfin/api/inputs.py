"""GraphQL input types (names binding per DESIGN 4)."""

from __future__ import annotations

import datetime as dt

import strawberry

from channelfin.api.incentive_types import CampaignKind
from channelfin.api.program_types import PartnerTier, ProgramActor, RewardKind
from channelfin.api.scalars import Decimal
from channelfin.api.types import ContractStatus, DocumentKind, PartnerRole, PartyRole, Periodicity

MAX_LIST_INPUT = 20


@strawberry.input(description="The calculator: give exactly one of softwareFee and financedAmount.")
class LeaseQuoteInput:
    agreement_id: strawberry.ID
    periodicity: Periodicity
    term_months: int
    software_fee: Decimal | None = strawberry.field(default=None, description="Rent per period, EUR.")
    financed_amount: Decimal | None = strawberry.field(default=None, description="Wanted PV, EUR.")


@strawberry.input
class RegisterPartnerInput:
    name: str
    roles: list[PartnerRole]
    registration_number: str | None = None
    country: str | None = None


@strawberry.input
class SignFinancingAgreementInput:
    partner_id: strawberry.ID
    leaser_id: strawberry.ID
    annual_rate: Decimal = strawberry.field(description='Yearly fraction, e.g. "0.06".')
    file_fee: Decimal
    payout_sla_hours: int | None = strawberry.field(default=None, description="Default 72.")
    instant_decision_limit: Decimal | None = strawberry.field(default=None, description='Default "50000.00".')


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


@strawberry.input(description="Filters of the contracts list; a partner's users only ever see their own.")
class ContractFilter:
    partner_id: strawberry.ID | None = strawberry.field(default=None, description="A party of the contract.")
    role: PartyRole | None = strawberry.field(default=None, description="The part partnerId plays.")
    status: ContractStatus | None = None


@strawberry.input
class PartnerFilter:
    role: PartnerRole | None = None


@strawberry.input
class PayoutFilter:
    contract_id: strawberry.ID | None = None
    beneficiary_id: strawberry.ID | None = None


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
class RecordSignatureInput:
    contract_id: strawberry.ID
    document: DocumentKind = strawberry.field(description="SALE_CONTRACT or LEASE_CONTRACT.")
    signed_by: str
    signed_at: dt.datetime | None = strawberry.field(default=None, description="Default: now.")


@strawberry.input
class DeclineSignatureInput:
    contract_id: strawberry.ID
    document: DocumentKind
    declined_by: str
    reason: str


@strawberry.input
class SubmitDeliveryReportInput:
    contract_id: strawberry.ID
    installed_at: dt.date
    signed_by: str = strawberry.field(description="The end client's signer of the delivery report.")


@strawberry.input
class RecordInstallmentCollectedInput:
    contract_id: strawberry.ID
    installment: int = strawberry.field(description="1..n")
    collected_at: dt.datetime | None = strawberry.field(default=None, description="Default: now.")


@strawberry.input
class CreatePartnerProgramInput:
    publisher_id: strawberry.ID
    name: str
    entry_fee_rate: Decimal = strawberry.field(description='Fraction of the segment potential, e.g. "0.03".')
    affiliate_min_sales_per_year: int | None = strawberry.field(default=None, description="Default 15.")
    tier_rules: list[TierRulesInput] | None = strawberry.field(
        default=None, description="Changes to the default rules of DESIGN 1.2, tier by tier; unset fields keep them."
    )


@strawberry.input(description="A program's own rules for one tier (evolutive maintenance stays the publisher's).")
class TierRulesInput:
    tier: PartnerTier
    rate: Decimal | None = None
    from_sale: int | None = None
    reward: RewardKind | None = None
    onboarding_by: ProgramActor | None = None
    onboarding_invoiced_by: ProgramActor | None = None
    contract_held_by: ProgramActor | None = None
    support_by: ProgramActor | None = None
    needs_technical_qualification: bool | None = None


@strawberry.input
class EnrollPartnerInput:
    program_id: strawberry.ID
    partner_id: strawberry.ID
    tier: PartnerTier
    segment_potential: Decimal | None = strawberry.field(default=None, description="Required for affiliates.")


@strawberry.input
class SetTechnicalQualificationInput:
    enrollment_id: strawberry.ID
    qualified: bool


@strawberry.input
class SettleCommissionsInput:
    program_id: strawberry.ID
    up_to: dt.datetime = strawberry.field(description="Commissions due at or before this time are paid.")


@strawberry.input
class CancelContractInput:
    contract_id: strawberry.ID
    reason: str


@strawberry.input
class SignEscrowAgreementInput:
    leaser_id: strawberry.ID
    publisher_id: strawberry.ID
    host_id: strawberry.ID
    continuity_provider_id: strawberry.ID
    products: list[str]
    deposit_reference: str
    last_deposit_at: dt.datetime


@strawberry.input
class DeclarePublisherDefaultInput:
    escrow_agreement_id: strawberry.ID
    reason: str


@strawberry.input
class ConfirmEscrowTriggerInput:
    escrow_agreement_id: strawberry.ID
    confirm: bool = strawberry.field(description="false dismisses the declared default.")


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
    reference: str | None = strawberry.field(default=None, description="The distributor's order reference.")


@strawberry.input
class RecordResellerPaymentInput:
    credit_line_id: strawberry.ID
    amount: Decimal = strawberry.field(description="EUR paid by the reseller to the distributor.")
    reference: str | None = None


@strawberry.input
class RecordLicenceSaleInput:
    seller_id: strawberry.ID
    vendor_id: strawberry.ID
    product_family: str
    amount: Decimal = strawberry.field(description="Licence revenue of the sale, EUR.")
    sold_at: dt.datetime
    sale_reference: str | None = strawberry.field(
        default=None, description="The seller's invoice number: reporting the same sale again pays nothing more."
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
