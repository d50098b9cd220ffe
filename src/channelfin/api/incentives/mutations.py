"""Mutations of reseller support (seed 002): each returns the changed object and `userErrors`."""

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, present
from channelfin.api.core.payloads import P, attempt, object_payload
from channelfin.api.core.refs import PayoutRef
from channelfin.api.incentives.inputs import (
    AcceptIncentiveCampaignInput,
    ConfirmCreditLineChangeInput,
    CreateIncentiveCampaignInput,
    RecordFirmOrderInput,
    RecordLicenceSaleInput,
    RecordResellerPaymentInput,
    SetCreditLineInput,
    WithdrawCreditLineChangeInput,
)
from channelfin.api.incentives.types import (
    CreditLine,
    CreditMovement,
    IncentiveCampaign,
    RebateBreakdown,
    credit_movement,
)
from channelfin.domain.money import Money
from channelfin.services.incentives import campaigns as campaign_service
from channelfin.services.incentives import credit_lines as credit_line_service
from channelfin.services.incentives import rewards as reward_service


@strawberry.type(description="What `createIncentiveCampaign` answers: what it changed, or its userErrors.")
class CreateIncentiveCampaignPayload:
    campaign: IncentiveCampaign | None = strawberry.field(description="The new campaign; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `acceptIncentiveCampaign` answers: what it changed, or its userErrors.")
class AcceptIncentiveCampaignPayload:
    campaign: IncentiveCampaign | None = strawberry.field(description="The campaign as accepted; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `creditLine` answers: what it changed, or its userErrors.")
class CreditLinePayload:
    credit_line: CreditLine | None = strawberry.field(description="The line as it is now; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `setCreditLine` answers: what it changed, or its userErrors.")
class SetCreditLinePayload(CreditLinePayload):
    pass


@strawberry.type(description="What `confirmCreditLineChange` answers: what it changed, or its userErrors.")
class ConfirmCreditLineChangePayload(CreditLinePayload):
    pass


@strawberry.type(description="What `withdrawCreditLineChange` answers: what it changed, or its userErrors.")
class WithdrawCreditLineChangePayload(CreditLinePayload):
    pass


@strawberry.type(
    description="The answer of a mutation that records a credit movement: the line and the movement, or userErrors."
)
class CreditMovementPayload:
    credit_line: CreditLine | None = strawberry.field(description="The line after the movement; null when refused.")
    movement: CreditMovement | None = strawberry.field(description="The movement recorded; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `recordFirmOrder` answers: what it changed, or its userErrors.")
class RecordFirmOrderPayload(CreditMovementPayload):
    pass


@strawberry.type(description="What `recordResellerPayment` answers: what it changed, or its userErrors.")
class RecordResellerPaymentPayload(CreditMovementPayload):
    pass


@strawberry.type(description="What `recordLicenceSale` answers: what it changed, or its userErrors.")
class RecordLicenceSalePayload:
    payout: PayoutRef | None = strawberry.field(description="The REBATE payout to the seller (the same on a repeat).")
    rebate: RebateBreakdown | None = strawberry.field(description="The rebate the sale earns, if a campaign applies.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


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
class IncentivesMutations:
    @strawberry.mutation(description="Start an incentive campaign (the vendor's partner-admin).")
    def create_incentive_campaign(
        self,
        info: Info,
        input: Annotated[
            CreateIncentiveCampaignInput,
            strawberry.argument(description="What to do: see `CreateIncentiveCampaignInput`."),
        ],
    ) -> CreateIncentiveCampaignPayload:
        ctx = info.context
        return object_payload(
            CreateIncentiveCampaignPayload,
            "campaign",
            IncentiveCampaign.from_domain,
            lambda: campaign_service.create_incentive_campaign(
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
        self,
        info: Info,
        input: Annotated[
            AcceptIncentiveCampaignInput,
            strawberry.argument(description="What to do: see `AcceptIncentiveCampaignInput`."),
        ],
    ) -> AcceptIncentiveCampaignPayload:
        ctx = info.context
        return object_payload(
            AcceptIncentiveCampaignPayload,
            "campaign",
            IncentiveCampaign.from_domain,
            lambda: campaign_service.accept_incentive_campaign(
                ctx.ports,
                ctx.principal,
                campaign_id=local_id(input.campaign_id, "IncentiveCampaign", field=["campaignId"]),
            ),
        )

    @strawberry.mutation(
        description="Open a reseller's credit line or change its insured limit (the distributor's partner-admin). "
        "A cut to zero or by more than half is held as pendingChange until a different user confirms it."
    )
    def set_credit_line(
        self,
        info: Info,
        input: Annotated[SetCreditLineInput, strawberry.argument(description="What to do: see `SetCreditLineInput`.")],
    ) -> SetCreditLinePayload:
        ctx = info.context
        return credit_line_payload(
            SetCreditLinePayload,
            lambda: credit_line_service.set_credit_line(
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
        self,
        info: Info,
        input: Annotated[
            ConfirmCreditLineChangeInput,
            strawberry.argument(description="What to do: see `ConfirmCreditLineChangeInput`."),
        ],
    ) -> ConfirmCreditLineChangePayload:
        ctx = info.context
        return credit_line_payload(
            ConfirmCreditLineChangePayload,
            lambda: credit_line_service.confirm_credit_line_change(
                ctx.ports, ctx.principal, line_id=_credit_line_id(input.credit_line_id)
            ),
        )

    @strawberry.mutation(description="Drop a held cut: the limit in force stays (the distributor's partner-admin).")
    def withdraw_credit_line_change(
        self,
        info: Info,
        input: Annotated[
            WithdrawCreditLineChangeInput,
            strawberry.argument(description="What to do: see `WithdrawCreditLineChangeInput`."),
        ],
    ) -> WithdrawCreditLineChangePayload:
        ctx = info.context
        return credit_line_payload(
            WithdrawCreditLineChangePayload,
            lambda: credit_line_service.withdraw_credit_line_change(
                ctx.ports, ctx.principal, line_id=_credit_line_id(input.credit_line_id)
            ),
        )

    @strawberry.mutation(
        description="Charge a firm order to the reseller's credit line (the distributor's users); refused with "
        "CREDIT_LIMIT_EXCEEDED, nothing recorded, if it does not fit the credit available before it."
    )
    def record_firm_order(
        self,
        info: Info,
        input: Annotated[
            RecordFirmOrderInput, strawberry.argument(description="What to do: see `RecordFirmOrderInput`.")
        ],
    ) -> RecordFirmOrderPayload:
        ctx = info.context
        return movement_payload(
            RecordFirmOrderPayload,
            lambda: credit_line_service.record_firm_order(
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
    def record_reseller_payment(
        self,
        info: Info,
        input: Annotated[
            RecordResellerPaymentInput, strawberry.argument(description="What to do: see `RecordResellerPaymentInput`.")
        ],
    ) -> RecordResellerPaymentPayload:
        ctx = info.context
        return movement_payload(
            RecordResellerPaymentPayload,
            lambda: credit_line_service.record_reseller_payment(
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
    def record_licence_sale(
        self,
        info: Info,
        input: Annotated[
            RecordLicenceSaleInput, strawberry.argument(description="What to do: see `RecordLicenceSaleInput`.")
        ],
    ) -> RecordLicenceSalePayload:
        ctx = info.context
        result, errors = attempt(
            lambda: reward_service.record_licence_sale(
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
            payout=present("Payout", payout) if payout else None,
            rebate=RebateBreakdown.from_domain(rebate) if rebate else None,
            user_errors=errors,
        )
