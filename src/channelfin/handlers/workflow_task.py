"""What every Task's Lambda function does: log with its context and a correlation id, run the step.

The ports are built on the first invocation and reused by the warm container. The
correlation id is the workflow's subject (the contract, payout or escrow agreement), so
every step of one file's execution logs under the same id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger

from channelfin.services.ports import Ports

logger = Logger(service="channelfin")
CORRELATION_ID_PATH = "contractId || escrowAgreementId || payoutId"
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@cache
def workflow_ports() -> Ports:
    from channelfin.bootstrap import Settings, build_ports

    return build_ports(Settings.from_env())


def lambda_name(step: str) -> str:
    """`SendForSignature` → `send_for_signature`: the attribute serverless.yml points at."""
    return "".join("_" + c.lower() if c.isupper() else c for c in step).lstrip("_")


def task(step: str) -> Handler:
    """The Lambda handler of the Task named `step` in its state machine definition."""

    @logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        from channelfin.workflows.dispatch import run_step

        logger.append_keys(step=step, payout_id=event.get("payoutId"))
        return run_step(workflow_ports(), step, event)

    handler.__name__ = handler.__qualname__ = lambda_name(step)
    return handler
