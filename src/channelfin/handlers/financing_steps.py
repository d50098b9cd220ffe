"""Lambda entry points of the financing state machine, one per Task (serverless.yml names them).

The ports are built on the first invocation and reused by the warm container.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger

from ..services.ports import Ports

logger = Logger(service="channelfin-financing")


@cache
def _ports() -> Ports:
    from ..bootstrap import Settings, build_ports

    return build_ports(Settings.from_env())


def _run(step: str, event: dict[str, Any]) -> dict[str, Any]:
    from ..workflows.steps import run_step

    logger.append_keys(step=step, contract_id=event.get("contractId"), payout_id=event.get("payoutId"))
    return run_step(_ports(), step, event)


def await_credit_review(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("AwaitCreditReview", event)


def send_for_signature(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("SendForSignature", event)


def await_delivery_report(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("AwaitDeliveryReport", event)


def transmit_file(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("TransmitFile", event)


def create_upfront_payout(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("CreateUpfrontPayout", event)


def disburse(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("Disburse", event)


def mark_payout_failed(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("MarkPayoutFailed", event)


def activate(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("Activate", event)


def expire(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("Expire", event)


def cancel(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _run("Cancel", event)
