"""The Lambda functions of the financing state machine: event in, use case, JSON out.

One entry per Task of infra/financing.asl.json, keyed by the `${StepName}` placeholder the
definition uses. Exceptions keep their class names (`TransferFailed`, `Conflict`,
`NotFound`) because the definition's Retry/Catch match errors by those names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..services import financing_steps as steps
from ..services.ports import Ports

Event = dict[str, Any]
Step = Callable[[Ports, Event], dict[str, Any] | None]

FINANCING_STEPS: dict[str, Step] = {
    "AwaitCreditReview": lambda ports, e: steps.await_credit_review(ports, e["contractId"], e["taskToken"]),
    "SendForSignature": lambda ports, e: steps.send_for_signature(ports, e["contractId"], e["taskToken"]),
    "AwaitDeliveryReport": lambda ports, e: steps.await_delivery_report(ports, e["contractId"], e["taskToken"]),
    "TransmitFile": lambda ports, e: steps.transmit_file(ports, e["contractId"]),
    "CreateUpfrontPayout": lambda ports, e: steps.create_upfront_payout(ports, e["contractId"]),
    "Disburse": lambda ports, e: steps.disburse(ports, e["payoutId"]),
    "MarkPayoutFailed": lambda ports, e: steps.mark_payout_failed(ports, e["payoutId"], str(e.get("cause") or "")),
    "Activate": lambda ports, e: steps.activate(ports, e["contractId"]),
    "Expire": lambda ports, e: steps.expire(ports, e["contractId"], e["step"]),
    "Cancel": lambda ports, e: steps.cancel(ports, e["contractId"], str(e.get("reason") or "cancelled")),
}


def run_step(ports: Ports, name: str, event: Event) -> dict[str, Any]:
    return FINANCING_STEPS[name](ports, event) or {}
