"""Mutations of financing (decision, delivery, installments): each returns the changed object and `userErrors`."""

from typing import Annotated

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import contract_id, local_id
from channelfin.api.core.node import Info, present
from channelfin.api.core.payloads import ContractPayload, attempt, contract_payload
from channelfin.api.core.refs import ContractRef, PayoutRef
from channelfin.api.financing.inputs import (
    RecordInstallmentCollectedInput,
    ReleaseHeldPayoutInput,
    RequestFinancingInput,
    ReviewFinancingInput,
    SubmitDeliveryReportInput,
)
from channelfin.api.financing.types import Financing, FinancingDecision
from channelfin.services import financing as financing_service
from channelfin.services import payout_holds
from channelfin.services import signatures as signature_service


@strawberry.type(description="What `requestFinancing` answers: what it changed, or its userErrors.")
class RequestFinancingPayload:
    contract: ContractRef | None = strawberry.field(description="The contract after the request; null when refused.")
    decision: FinancingDecision | None = strawberry.field(
        description="The immediate decision, or REFERRED to a credit review."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `reviewFinancing` answers: what it changed, or its userErrors.")
class ReviewFinancingPayload(ContractPayload):
    pass


@strawberry.type(description="What `submitDeliveryReport` answers: what it changed, or its userErrors.")
class SubmitDeliveryReportPayload(ContractPayload):
    pass


@strawberry.type(description="What `releaseHeldPayout` answers: the contract, or its userErrors.")
class ReleaseHeldPayoutPayload(ContractPayload):
    pass


@strawberry.type(description="What `recordInstallmentCollected` answers: what it changed, or its userErrors.")
class RecordInstallmentCollectedPayload:
    contract: ContractRef | None = strawberry.field(description="The contract after it; null when refused.")
    payout: PayoutRef | None = strawberry.field(
        description="The installment's SUPPORT_SHARE payout (the same on a retry)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type
class FinancingMutations:
    @strawberry.mutation(
        description="Ask the leaser to finance a contract (the owner's users). Decides at once below "
        "the agreement's instantDecisionLimit, otherwise refers it to credit review."
    )
    def request_financing(
        self,
        info: Info,
        input: Annotated[
            RequestFinancingInput, strawberry.argument(description="What to do: see `RequestFinancingInput`.")
        ],
    ) -> RequestFinancingPayload:
        ctx = info.context
        contract, errors = attempt(
            lambda: financing_service.request_financing(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                agreement_id=local_id(input.agreement_id, "FinancingAgreement", field=["agreementId"]),
            )
        )
        financing = contract.financing if contract else None
        decision = Financing.from_domain(financing).decision if financing else None
        return RequestFinancingPayload(contract=present("Contract", contract), decision=decision, user_errors=errors)

    @strawberry.mutation(description="Approve or refuse a contract under credit review (credit-analyst).")
    def review_financing(
        self,
        info: Info,
        input: Annotated[
            ReviewFinancingInput, strawberry.argument(description="What to do: see `ReviewFinancingInput`.")
        ],
    ) -> ReviewFinancingPayload:
        ctx = info.context
        return contract_payload(
            ReviewFinancingPayload,
            lambda: financing_service.review_financing(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                approve=input.approve,
                comment=input.comment,
            ),
        )

    @strawberry.mutation(
        description="Submit the delivery report after installation (the owner's users): it is sent to the end "
        "client for signature, and delivery is complete once the end client signed it (recordSignature, "
        "DELIVERY_REPORT). Refused before the sale and lease contracts are signed."
    )
    def submit_delivery_report(
        self,
        info: Info,
        input: Annotated[
            SubmitDeliveryReportInput, strawberry.argument(description="What to do: see `SubmitDeliveryReportInput`.")
        ],
    ) -> SubmitDeliveryReportPayload:
        ctx = info.context
        return contract_payload(
            SubmitDeliveryReportPayload,
            lambda: signature_service.submit_delivery_report(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                installed_at=input.installed_at,
                signed_by=input.signed_by,
            ),
        )

    @strawberry.mutation(
        description="Release a held upfront payout (credit-analyst): held because the publisher is in default "
        "(a confirmed escrow trigger), or because a signature request went to an address no analyst confirmed "
        "as the end client's signatory (`financing.unconfirmedSigner`). The workflow then transfers it. "
        "Only while the file waits for it (PAYOUT_RELEASE)."
    )
    def release_held_payout(
        self,
        info: Info,
        input: Annotated[
            ReleaseHeldPayoutInput, strawberry.argument(description="What to do: see `ReleaseHeldPayoutInput`.")
        ],
    ) -> ReleaseHeldPayoutPayload:
        ctx = info.context
        return contract_payload(
            ReleaseHeldPayoutPayload,
            lambda: payout_holds.release_held_payout(
                ctx.ports, ctx.principal, contract_id=contract_id(input.contract_id), comment=input.comment
            ),
        )

    @strawberry.mutation(
        description="Record that installment k was collected and schedule its support share, once (treasury)."
    )
    def record_installment_collected(
        self,
        info: Info,
        input: Annotated[
            RecordInstallmentCollectedInput,
            strawberry.argument(description="What to do: see `RecordInstallmentCollectedInput`."),
        ],
    ) -> RecordInstallmentCollectedPayload:
        ctx = info.context
        result, errors = attempt(
            lambda: financing_service.record_installment_collected(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                installment=input.installment,
                collected_at=input.collected_at,
            )
        )
        contract, payout = result if result else (None, None)
        return RecordInstallmentCollectedPayload(
            contract=present("Contract", contract) if contract else None,
            payout=present("Payout", payout) if payout else None,
            user_errors=errors,
        )
