"""Root mutation fields: `verbNoun(input:)` returning the changed object and `userErrors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from channelfin.api.context import Context
from channelfin.api.errors import UserError
from channelfin.api.escrow_types import EscrowAgreement
from channelfin.api.ids import local_id
from channelfin.api.incentive_types import (
    CreditLine,
    CreditMovement,
    IncentiveCampaign,
    RebateBreakdown,
    credit_movement,
)
from channelfin.api.inputs import (
    AcceptIncentiveCampaignInput,
    CancelContractInput,
    ConfirmCreditLineChangeInput,
    ConfirmEscrowTriggerInput,
    CreateContractInput,
    CreateIncentiveCampaignInput,
    CreatePartnerProgramInput,
    DeclarePublisherDefaultInput,
    DeclineSignatureInput,
    EnrollPartnerInput,
    RecordFirmOrderInput,
    RecordInstallmentCollectedInput,
    RecordLicenceSaleInput,
    RecordResellerPaymentInput,
    RecordSignatureInput,
    RegisterPartnerInput,
    RequestFinancingInput,
    ReviewFinancingInput,
    SetCreditLineInput,
    SetTechnicalQualificationInput,
    SettleCommissionsInput,
    SignEscrowAgreementInput,
    SignFinancingAgreementInput,
    SubmitDeliveryReportInput,
    WithdrawCreditLineChangeInput,
)
from channelfin.api.program_types import Enrollment, PartnerProgram
from channelfin.api.types import Contract, FinancingAgreement, FinancingDecision, Partner, Payout
from channelfin.api.types import Money as MoneyType
from channelfin.domain.contracts import Contract as DomainContract
from channelfin.domain.contracts import Customer
from channelfin.domain.errors import DomainError, PermissionDenied
from channelfin.domain.money import Money
from channelfin.domain.money import Money as DomainMoney
from channelfin.domain.programs import PartnerTier
from channelfin.services import contracts as contract_service
from channelfin.services import escrow as escrow_service
from channelfin.services import financing as financing_service
from channelfin.services import incentives as incentive_service
from channelfin.services import partners as partner_service
from channelfin.services import programs as program_service

Info = strawberry.Info[Context, None]
T = TypeVar("T")


P = TypeVar("P")


def attempt(action: Callable[[], T]) -> tuple[T | None, list[UserError]]:
    """Run a use case; a business refusal becomes userErrors, an auth failure stays top-level."""
    try:
        return action(), []
    except PermissionDenied:
        raise
    except DomainError as error:
        return None, [UserError.from_domain(error)]


TIER_RULE_FIELDS = (
    "rate",
    "from_sale",
    "reward",
    "onboarding_by",
    "onboarding_invoiced_by",
    "contract_held_by",
    "support_by",
    "needs_technical_qualification",
)


def object_payload(payload: Callable[..., P], name: str, to_node: Callable[[Any], Any], action: Callable[[], T]) -> P:
    """The payload of a mutation that changes one object: that object as `name`, or the userErrors."""
    value, errors = attempt(action)
    return payload(**{name: to_node(value) if value is not None else None}, user_errors=errors)


def contract_payload(payload: Callable[..., P], action: Callable[[], DomainContract]) -> P:
    return object_payload(payload, "contract", Contract.from_domain, action)


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
class RequestFinancingPayload:
    contract: Contract | None
    decision: FinancingDecision | None
    user_errors: list[UserError]


@strawberry.type
class ContractPayload:
    contract: Contract | None
    user_errors: list[UserError]


@strawberry.type
class ReviewFinancingPayload(ContractPayload):
    pass


@strawberry.type
class RecordSignaturePayload(ContractPayload):
    pass


@strawberry.type
class DeclineSignaturePayload(ContractPayload):
    pass


@strawberry.type
class SubmitDeliveryReportPayload(ContractPayload):
    pass


@strawberry.type
class RecordInstallmentCollectedPayload:
    contract: Contract | None
    payout: Payout | None = strawberry.field(
        description="The installment's SUPPORT_SHARE payout (the same on a retry)."
    )
    user_errors: list[UserError]


def _contract_id(value: strawberry.ID) -> str:
    return local_id(value, "Contract", field=["contractId"])


@strawberry.type
class CreatePartnerProgramPayload:
    program: PartnerProgram | None
    user_errors: list[UserError]


@strawberry.type
class EnrollPartnerPayload:
    enrollment: Enrollment | None
    user_errors: list[UserError]


@strawberry.type
class SetTechnicalQualificationPayload:
    enrollment: Enrollment | None
    user_errors: list[UserError]


@strawberry.type
class SettleCommissionsPayload:
    settled: list[Payout] = strawberry.field(description="The commissions this call paid (none on a repeat).")
    total: MoneyType
    user_errors: list[UserError]


@strawberry.type
class CancelContractPayload(ContractPayload):
    pass


@strawberry.type
class SignEscrowAgreementPayload:
    escrow_agreement: EscrowAgreement | None
    user_errors: list[UserError]


@strawberry.type
class DeclarePublisherDefaultPayload:
    escrow_agreement: EscrowAgreement | None
    user_errors: list[UserError]


@strawberry.type
class ConfirmEscrowTriggerPayload:
    escrow_agreement: EscrowAgreement | None
    user_errors: list[UserError]


@strawberry.type
class CreateIncentiveCampaignPayload:
    campaign: IncentiveCampaign | None
    user_errors: list[UserError]


@strawberry.type
class AcceptIncentiveCampaignPayload:
    campaign: IncentiveCampaign | None
    user_errors: list[UserError]


@strawberry.type
class CreditLinePayload:
    credit_line: CreditLine | None
    user_errors: list[UserError]


@strawberry.type
class SetCreditLinePayload(CreditLinePayload):
    pass


@strawberry.type
class ConfirmCreditLineChangePayload(CreditLinePayload):
    pass


@strawberry.type
class WithdrawCreditLineChangePayload(CreditLinePayload):
    pass


@strawberry.type
class CreditMovementPayload:
    credit_line: CreditLine | None
    movement: CreditMovement | None
    user_errors: list[UserError]


@strawberry.type
class RecordFirmOrderPayload(CreditMovementPayload):
    pass


@strawberry.type
class RecordResellerPaymentPayload(CreditMovementPayload):
    pass


@strawberry.type
class RecordLicenceSalePayload:
    payout: Payout | None = strawberry.field(description="The REBATE payout to the seller (the same on a repeat).")
    rebate: RebateBreakdown | None
    user_errors: list[UserError]


def _money(value: object | None) -> Money | None:
    return Money(value) if value is not None else None  # type: ignore[arg-type]


def _credit_line_id(value: strawberry.ID) -> str:
    return local_id(value, "CreditLine", field=["creditLineId"])


def credit_line_payload(payload: Callable[..., P], action: Callable[[], Any]) -> P:
    return object_payload(payload, "credit_line", CreditLine.from_domain, action)


def movement_payload(payload: Callable[..., P], action: Callable[[], Any]) -> P:
    result, errors = attempt(action)
    line, movement = result if result else (None, None)
    return payload(
        credit_line=CreditLine.from_domain(line) if line else None,
        movement=credit_movement(movement) if movement else None,
        user_errors=errors,
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register a company on the platform (leaser-admin).")
    def register_partner(self, info: Info, input: RegisterPartnerInput) -> RegisterPartnerPayload:
        ctx = info.context
        return object_payload(
            RegisterPartnerPayload,
            "partner",
            Partner.from_domain,
            lambda: partner_service.register_partner(
                ctx.ports,
                ctx.principal,
                name=input.name,
                roles=list(input.roles),
                registration_number=input.registration_number,
                country=input.country,
            ),
        )

    @strawberry.mutation(description="Record a financing agreement between a leaser and a partner (leaser-admin).")
    def sign_financing_agreement(self, info: Info, input: SignFinancingAgreementInput) -> SignFinancingAgreementPayload:
        ctx = info.context
        return object_payload(
            SignFinancingAgreementPayload,
            "agreement",
            FinancingAgreement.from_domain,
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
            ),
        )

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
            ),
        )

    @strawberry.mutation(
        description="Ask the leaser to finance a contract (the owner's users). Decides at once below "
        "the agreement's instantDecisionLimit, otherwise refers it to credit review."
    )
    def request_financing(self, info: Info, input: RequestFinancingInput) -> RequestFinancingPayload:
        ctx = info.context
        contract, errors = attempt(
            lambda: financing_service.request_financing(
                ctx.ports,
                ctx.principal,
                contract_id=_contract_id(input.contract_id),
                agreement_id=local_id(input.agreement_id, "FinancingAgreement", field=["agreementId"]),
            )
        )
        shown = Contract.from_domain(contract) if contract else None
        decision = shown.financing.decision if shown and shown.financing else None
        return RequestFinancingPayload(contract=shown, decision=decision, user_errors=errors)

    @strawberry.mutation(description="Approve or refuse a contract under credit review (credit-analyst).")
    def review_financing(self, info: Info, input: ReviewFinancingInput) -> ReviewFinancingPayload:
        ctx = info.context
        return contract_payload(
            ReviewFinancingPayload,
            lambda: financing_service.review_financing(
                ctx.ports,
                ctx.principal,
                contract_id=_contract_id(input.contract_id),
                approve=input.approve,
                comment=input.comment,
            ),
        )

    @strawberry.mutation(
        description="Record the end client's signature of the sale or lease contract "
        "(the e-signature connector's integration token, or leaser-admin)."
    )
    def record_signature(self, info: Info, input: RecordSignatureInput) -> RecordSignaturePayload:
        ctx = info.context
        return contract_payload(
            RecordSignaturePayload,
            lambda: financing_service.record_signature(
                ctx.ports,
                ctx.principal,
                contract_id=_contract_id(input.contract_id),
                document=input.document,
                signed_by=input.signed_by,
                signed_at=input.signed_at,
            ),
        )

    @strawberry.mutation(
        description="Record that the end client declined to sign: the file is CANCELLED "
        "(the e-signature connector, or leaser-admin)."
    )
    def decline_signature(self, info: Info, input: DeclineSignatureInput) -> DeclineSignaturePayload:
        ctx = info.context
        return contract_payload(
            DeclineSignaturePayload,
            lambda: financing_service.decline_signature(
                ctx.ports,
                ctx.principal,
                contract_id=_contract_id(input.contract_id),
                document=input.document,
                declined_by=input.declined_by,
                reason=input.reason,
            ),
        )

    @strawberry.mutation(
        description="Submit the delivery report signed after installation (the owner's users); "
        "refused before the sale and lease contracts are signed."
    )
    def submit_delivery_report(self, info: Info, input: SubmitDeliveryReportInput) -> SubmitDeliveryReportPayload:
        ctx = info.context
        return contract_payload(
            SubmitDeliveryReportPayload,
            lambda: financing_service.submit_delivery_report(
                ctx.ports,
                ctx.principal,
                contract_id=_contract_id(input.contract_id),
                installed_at=input.installed_at,
                signed_by=input.signed_by,
            ),
        )

    @strawberry.mutation(
        description="Record that installment k was collected and schedule its support share, once (treasury)."
    )
    def record_installment_collected(
        self, info: Info, input: RecordInstallmentCollectedInput
    ) -> RecordInstallmentCollectedPayload:
        ctx = info.context
        result, errors = attempt(
            lambda: financing_service.record_installment_collected(
                ctx.ports,
                ctx.principal,
                contract_id=_contract_id(input.contract_id),
                installment=input.installment,
                collected_at=input.collected_at,
            )
        )
        contract, payout = result if result else (None, None)
        return RecordInstallmentCollectedPayload(
            contract=Contract.from_domain(contract) if contract else None,
            payout=Payout.from_domain(payout) if payout else None,
            user_errors=errors,
        )

    @strawberry.mutation(
        description="Start a partner program with the four tiers and their default rules "
        "(the publisher's partner-admin)."
    )
    def create_partner_program(self, info: Info, input: CreatePartnerProgramInput) -> CreatePartnerProgramPayload:
        ctx = info.context
        overrides: dict[PartnerTier, dict[str, object]] = {}
        for change in input.tier_rules or []:
            values = {name: getattr(change, name) for name in TIER_RULE_FIELDS}
            overrides[change.tier] = {k: v for k, v in values.items() if v is not None}
        return object_payload(
            CreatePartnerProgramPayload,
            "program",
            PartnerProgram.from_domain,
            lambda: program_service.create_partner_program(
                ctx.ports,
                ctx.principal,
                publisher_id=local_id(input.publisher_id, "Partner", field=["publisherId"]),
                name=input.name,
                entry_fee_rate=input.entry_fee_rate,
                affiliate_min_sales_per_year=input.affiliate_min_sales_per_year,
                tier_overrides=overrides,
            ),
        )

    @strawberry.mutation(description="Enrol a partner in a program at a tier (the publisher's partner-admin).")
    def enroll_partner(self, info: Info, input: EnrollPartnerInput) -> EnrollPartnerPayload:
        ctx = info.context
        return object_payload(
            EnrollPartnerPayload,
            "enrollment",
            Enrollment.from_domain,
            lambda: program_service.enroll_partner(
                ctx.ports,
                ctx.principal,
                program_id=local_id(input.program_id, "PartnerProgram", field=["programId"]),
                partner_id=local_id(input.partner_id, "Partner", field=["partnerId"]),
                tier=input.tier,
                segment_potential=Money(input.segment_potential) if input.segment_potential is not None else None,
            ),
        )

    @strawberry.mutation(description="Record (or withdraw) an integrator's technical qualification (publisher admin).")
    def set_technical_qualification(
        self, info: Info, input: SetTechnicalQualificationInput
    ) -> SetTechnicalQualificationPayload:
        ctx = info.context
        return object_payload(
            SetTechnicalQualificationPayload,
            "enrollment",
            Enrollment.from_domain,
            lambda: program_service.set_technical_qualification(
                ctx.ports,
                ctx.principal,
                enrollment_id=local_id(input.enrollment_id, "Enrollment", field=["enrollmentId"]),
                qualified=input.qualified,
            ),
        )

    @strawberry.mutation(
        description="Pay the program's scheduled commissions due up to a time, once (the publisher's partner-admin)."
    )
    def settle_commissions(self, info: Info, input: SettleCommissionsInput) -> SettleCommissionsPayload:
        ctx = info.context
        settled, errors = attempt(
            lambda: program_service.settle_commissions(
                ctx.ports,
                ctx.principal,
                program_id=local_id(input.program_id, "PartnerProgram", field=["programId"]),
                up_to=input.up_to,
            )
        )
        paid = [Payout.from_domain(p) for p in settled or []]
        total = sum((p.amount for p in settled or []), DomainMoney.zero())
        return SettleCommissionsPayload(settled=paid, total=MoneyType.from_domain(total), user_errors=errors)

    @strawberry.mutation(
        description="Cancel a contract that is not financed (the owner's users or leaser-admin); "
        "its unsettled commission and charges are CANCELLED, paid ones stay paid."
    )
    def cancel_contract(self, info: Info, input: CancelContractInput) -> CancelContractPayload:
        ctx = info.context
        return contract_payload(
            CancelContractPayload,
            lambda: contract_service.cancel_contract(
                ctx.ports, ctx.principal, contract_id=_contract_id(input.contract_id), reason=input.reason
            ),
        )

    @strawberry.mutation(description="Record an escrow agreement (leaser-admin).")
    def sign_escrow_agreement(self, info: Info, input: SignEscrowAgreementInput) -> SignEscrowAgreementPayload:
        ctx = info.context
        return object_payload(
            SignEscrowAgreementPayload,
            "escrow_agreement",
            EscrowAgreement.from_domain,
            lambda: escrow_service.sign_escrow_agreement(
                ctx.ports,
                ctx.principal,
                leaser_id=local_id(input.leaser_id, "Partner", field=["leaserId"]),
                publisher_id=local_id(input.publisher_id, "Partner", field=["publisherId"]),
                host_id=local_id(input.host_id, "Partner", field=["hostId"]),
                continuity_provider_id=local_id(
                    input.continuity_provider_id, "Partner", field=["continuityProviderId"]
                ),
                products=input.products,
                deposit_reference=input.deposit_reference,
                last_deposit_at=input.last_deposit_at,
            ),
        )

    @strawberry.mutation(
        description="Declare the publisher in default: starts the escrow-trigger workflow, which "
        "waits for a second leaser admin's confirmation (leaser-admin)."
    )
    def declare_publisher_default(
        self, info: Info, input: DeclarePublisherDefaultInput
    ) -> DeclarePublisherDefaultPayload:
        ctx = info.context
        return object_payload(
            DeclarePublisherDefaultPayload,
            "escrow_agreement",
            EscrowAgreement.from_domain,
            lambda: escrow_service.declare_publisher_default(
                ctx.ports,
                ctx.principal,
                agreement_id=local_id(input.escrow_agreement_id, "EscrowAgreement", field=["escrowAgreementId"]),
                reason=input.reason,
            ),
        )

    @strawberry.mutation(
        description="Confirm (or dismiss) a declared default; a different leaser admin than the one who declared it."
    )
    def confirm_escrow_trigger(self, info: Info, input: ConfirmEscrowTriggerInput) -> ConfirmEscrowTriggerPayload:
        ctx = info.context
        return object_payload(
            ConfirmEscrowTriggerPayload,
            "escrow_agreement",
            EscrowAgreement.from_domain,
            lambda: escrow_service.confirm_escrow_trigger(
                ctx.ports,
                ctx.principal,
                agreement_id=local_id(input.escrow_agreement_id, "EscrowAgreement", field=["escrowAgreementId"]),
                confirm=input.confirm,
            ),
        )

    @strawberry.mutation(description="Start an incentive campaign (the vendor's partner-admin).")
    def create_incentive_campaign(
        self, info: Info, input: CreateIncentiveCampaignInput
    ) -> CreateIncentiveCampaignPayload:
        ctx = info.context
        return object_payload(
            CreateIncentiveCampaignPayload,
            "campaign",
            IncentiveCampaign.from_domain,
            lambda: incentive_service.create_incentive_campaign(
                ctx.ports,
                ctx.principal,
                vendor_id=local_id(input.vendor_id, "Partner", field=["vendorId"]),
                name=input.name,
                kind=input.kind,
                starts_at=input.starts_at,
                ends_at=input.ends_at,
                partner_roles=list(input.partner_roles or []),
                distributor_id=local_id(input.distributor_id, "Partner", field=["distributorId"])
                if input.distributor_id
                else None,
                product_family=input.product_family,
                product_references=list(input.product_references or []),
                licence_program=input.licence_program,
                amount=_money(input.amount),
                per_order_amount=_money(input.per_order_amount),
                rate=input.rate,
                multiplier=input.multiplier,
                payout_sla_hours=input.payout_sla_hours,
            ),
        )

    @strawberry.mutation(
        description="Accept a vendor's CREDIT_GUARANTEE or ORDER_CREDIT campaign at this distributor "
        "(its partner-admin): until then it adds no credit."
    )
    def accept_incentive_campaign(
        self, info: Info, input: AcceptIncentiveCampaignInput
    ) -> AcceptIncentiveCampaignPayload:
        ctx = info.context
        return object_payload(
            AcceptIncentiveCampaignPayload,
            "campaign",
            IncentiveCampaign.from_domain,
            lambda: incentive_service.accept_incentive_campaign(
                ctx.ports,
                ctx.principal,
                campaign_id=local_id(input.campaign_id, "IncentiveCampaign", field=["campaignId"]),
            ),
        )

    @strawberry.mutation(
        description="Open a reseller's credit line or change its insured limit (the distributor's partner-admin). "
        "A cut to zero or by more than half is held as pendingChange until a different user confirms it."
    )
    def set_credit_line(self, info: Info, input: SetCreditLineInput) -> SetCreditLinePayload:
        ctx = info.context
        return credit_line_payload(
            SetCreditLinePayload,
            lambda: incentive_service.set_credit_line(
                ctx.ports,
                ctx.principal,
                distributor_id=local_id(input.distributor_id, "Partner", field=["distributorId"]),
                reseller_id=local_id(input.reseller_id, "Partner", field=["resellerId"]),
                insured_limit=Money(input.insured_limit),
            ),
        )

    @strawberry.mutation(
        description="Confirm a held cut of a credit line: a different user of the distributor than the one who asked."
    )
    def confirm_credit_line_change(
        self, info: Info, input: ConfirmCreditLineChangeInput
    ) -> ConfirmCreditLineChangePayload:
        ctx = info.context
        return credit_line_payload(
            ConfirmCreditLineChangePayload,
            lambda: incentive_service.confirm_credit_line_change(
                ctx.ports, ctx.principal, line_id=_credit_line_id(input.credit_line_id)
            ),
        )

    @strawberry.mutation(description="Drop a held cut: the limit in force stays (the distributor's partner-admin).")
    def withdraw_credit_line_change(
        self, info: Info, input: WithdrawCreditLineChangeInput
    ) -> WithdrawCreditLineChangePayload:
        ctx = info.context
        return credit_line_payload(
            WithdrawCreditLineChangePayload,
            lambda: incentive_service.withdraw_credit_line_change(
                ctx.ports, ctx.principal, line_id=_credit_line_id(input.credit_line_id)
            ),
        )

    @strawberry.mutation(
        description="Charge a firm order to the reseller's credit line (the distributor's users); refused with "
        "CREDIT_LIMIT_EXCEEDED, nothing recorded, if it does not fit the credit available before it."
    )
    def record_firm_order(self, info: Info, input: RecordFirmOrderInput) -> RecordFirmOrderPayload:
        ctx = info.context
        return movement_payload(
            RecordFirmOrderPayload,
            lambda: incentive_service.record_firm_order(
                ctx.ports,
                ctx.principal,
                reseller_id=local_id(input.reseller_id, "Partner", field=["resellerId"]),
                distributor_id=local_id(input.distributor_id, "Partner", field=["distributorId"]),
                amount=Money(input.amount),
                licence_program=input.licence_program,
                reference=input.reference,
            ),
        )

    @strawberry.mutation(description="Record a reseller's payment to the distributor: the outstanding goes down.")
    def record_reseller_payment(self, info: Info, input: RecordResellerPaymentInput) -> RecordResellerPaymentPayload:
        ctx = info.context
        return movement_payload(
            RecordResellerPaymentPayload,
            lambda: incentive_service.record_reseller_payment(
                ctx.ports,
                ctx.principal,
                line_id=_credit_line_id(input.credit_line_id),
                amount=Money(input.amount),
                reference=input.reference,
            ),
        )

    @strawberry.mutation(
        description="Report a licence sale to the vendor (its partner-admin): one REBATE payout to the seller, "
        "amount × the base REBATE rate × the REBATE_MULTIPLIER in force at soldAt."
    )
    def record_licence_sale(self, info: Info, input: RecordLicenceSaleInput) -> RecordLicenceSalePayload:
        ctx = info.context
        result, errors = attempt(
            lambda: incentive_service.record_licence_sale(
                ctx.ports,
                ctx.principal,
                seller_id=local_id(input.seller_id, "Partner", field=["sellerId"]),
                vendor_id=local_id(input.vendor_id, "Partner", field=["vendorId"]),
                product_family=input.product_family,
                amount=Money(input.amount),
                sold_at=input.sold_at,
                sale_reference=input.sale_reference,
            )
        )
        payout, rebate = result if result else (None, None)
        return RecordLicenceSalePayload(
            payout=Payout.from_domain(payout) if payout else None,
            rebate=RebateBreakdown.from_domain(rebate) if rebate else None,
            user_errors=errors,
        )
