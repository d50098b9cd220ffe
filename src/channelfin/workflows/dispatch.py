"""The Lambda functions of the financing state machine: event in, use case, JSON out.

One entry per Task of infra/financing.asl.json, keyed by the `${StepName}` placeholder the
definition uses. Exceptions keep their class names (`TransferFailed`, `Conflict`,
`NotFound`) because the definition's Retry/Catch match errors by those names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from channelfin.services import escrow, payment_runs
from channelfin.services import financing_workflow as steps
from channelfin.services.ports import Ports

Event = dict[str, Any]
Step = Callable[[Ports, Event], dict[str, Any] | None]

FINANCING_STEPS: dict[str, Step] = {
    "AwaitCreditReview": lambda ports, e: steps.await_credit_review(ports, e["contractId"], e["taskToken"]),
    "SendForSignature": lambda ports, e: steps.send_for_signature(ports, e["contractId"], e["taskToken"]),
    "AwaitDeliveryReport": lambda ports, e: steps.await_delivery_report(ports, e["contractId"], e["taskToken"]),
    "SendDeliveryReport": lambda ports, e: steps.send_delivery_report(ports, e["contractId"], e["taskToken"]),
    "TransmitFile": lambda ports, e: steps.transmit_file(ports, e["contractId"]),
    "CreateUpfrontPayout": lambda ports, e: steps.create_upfront_payout(ports, e["contractId"]),
    "HoldUpfrontPayout": lambda ports, e: steps.hold_upfront_payout(ports, e["contractId"], e["taskToken"]),
    "Disburse": lambda ports, e: steps.disburse(ports, e["payoutId"]),
    "MarkPayoutFailed": lambda ports, e: steps.mark_payout_failed(ports, e["payoutId"], str(e.get("cause") or "")),
    "Activate": lambda ports, e: steps.activate(ports, e["contractId"]),
    "CreateReferralPayout": lambda ports, e: steps.create_referral_payout(ports, e["contractId"]),
    "Expire": lambda ports, e: steps.expire(ports, e["contractId"], e["step"]),
    "Cancel": lambda ports, e: steps.cancel(ports, e["contractId"], str(e.get("reason") or "cancelled")),
}


ESCROW_STEPS: dict[str, Step] = {
    "ValidateClaim": lambda ports, e: escrow.validate_claim(ports, e["escrowAgreementId"]),
    "AwaitConfirmation": lambda ports, e: escrow.await_confirmation(ports, e["escrowAgreementId"], e["taskToken"]),
    "NotifyHost": lambda ports, e: escrow.notify_host(ports, e["escrowAgreementId"]),
    "NotifyEndClients": lambda ports, e: escrow.notify_end_clients(ports, e["escrowAgreementId"]),
    "ReleaseDeposit": lambda ports, e: escrow.release_deposit(ports, e["escrowAgreementId"]),
    "ListAffectedContracts": lambda ports, e: escrow.list_affected(ports, e["escrowAgreementId"]),
    "TakeOverContract": lambda ports, e: escrow.take_over_contract(ports, e["escrowAgreementId"], e["contractId"]),
    "MarkTriggered": lambda ports, e: escrow.mark_triggered(ports, e["escrowAgreementId"]),
    "DismissUnconfirmed": lambda ports, e: escrow.dismiss_unconfirmed(ports, e["escrowAgreementId"]),
}
PAYMENT_STEPS: dict[str, Step] = {
    "PlanRun": lambda ports, e: payment_runs.plan_run(ports, e["runId"]),
    "PayCounterparty": lambda ports, e: payment_runs.pay_counterparty(ports, e["runId"], e["counterpartyId"]),
    "MarkTransferFailed": lambda ports, e: payment_runs.mark_transfer_failed(
        ports, e["runId"], e["counterpartyId"], str(e.get("cause") or "")
    ),
    "FinishRun": lambda ports, e: payment_runs.finish_run(ports, e["runId"]),
    "FailRun": lambda ports, e: payment_runs.fail_run(ports, e["runId"], str(e.get("cause") or "")),
}
ALL_STEPS: dict[str, Step] = {**FINANCING_STEPS, **ESCROW_STEPS, **PAYMENT_STEPS}


def run_step(ports: Ports, name: str, event: Event) -> dict[str, Any]:
    return ALL_STEPS[name](ports, event) or {}
