"""Lambda entry points of the payment-run state machine (infra/payments.asl.json), one per Task,
and the daily schedule that starts a run for every payer with something due.

serverless.yml points each function at `channelfin.handlers.payment_steps.<name>`.
"""

from __future__ import annotations

from typing import Any

from channelfin.handlers.workflow_task import logger, task, workflow_ports

plan_run = task("PlanRun")
pay_counterparty = task("PayCounterparty")
mark_transfer_failed = task("MarkTransferFailed")
finish_run = task("FinishRun")
fail_run = task("FailRun")


@logger.inject_lambda_context(clear_state=True)
def start_due_runs(_event: dict[str, Any], _context: Any) -> dict[str, Any]:
    """EventBridge's daily schedule: a run up to now for each payer with a payout due (a Query per partner)."""
    from channelfin.services.paging import all_items
    from channelfin.services.payment_runs import start_due_runs as start

    ports = workflow_ports()
    payers = lambda: [p.id for p in all_items(lambda page: ports.partners.find(role=None, page=page))]  # noqa: E731
    started = start(ports, payers=payers)
    logger.info("payment runs started", extra={"runs": len(started)})
    return {"started": started}
