"""Lambda entry points of the financing state machine, one per Task (serverless.yml names them).

The ports are built on the first invocation and reused by the warm container.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger

from channelfin.services.ports import Ports

logger = Logger(service="channelfin-financing")


@cache
def _ports() -> Ports:
    from channelfin.bootstrap import Settings, build_ports

    return build_ports(Settings.from_env())


def _run(step: str, event: dict[str, Any]) -> dict[str, Any]:
    from channelfin.workflows.dispatch import run_step

    logger.append_keys(step=step, contract_id=event.get("contractId"), payout_id=event.get("payoutId"))
    return run_step(_ports(), step, event)


def _entry(step: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        return _run(step, event)

    handler.__name__ = handler.__qualname__ = "".join("_" + c.lower() if c.isupper() else c for c in step).lstrip("_")
    return handler


# One Lambda function per Task; serverless.yml points at `channelfin.handlers.financing_steps.<name>`.
await_credit_review = _entry("AwaitCreditReview")
send_for_signature = _entry("SendForSignature")
await_delivery_report = _entry("AwaitDeliveryReport")
transmit_file = _entry("TransmitFile")
create_upfront_payout = _entry("CreateUpfrontPayout")
disburse = _entry("Disburse")
mark_payout_failed = _entry("MarkPayoutFailed")
activate = _entry("Activate")
create_referral_payout = _entry("CreateReferralPayout")
expire = _entry("Expire")
cancel = _entry("Cancel")

# The escrow-trigger state machine (infra/escrow.asl.json).
validate_claim = _entry("ValidateClaim")
await_confirmation = _entry("AwaitConfirmation")
notify_host = _entry("NotifyHost")
notify_end_clients = _entry("NotifyEndClients")
release_deposit = _entry("ReleaseDeposit")
list_affected_contracts = _entry("ListAffectedContracts")
take_over_contract = _entry("TakeOverContract")
mark_triggered = _entry("MarkTriggered")
dismiss_unconfirmed = _entry("DismissUnconfirmed")
