"""Lambda entry points of webhook delivery (serverless.yml: deliverWebhooks, retryWebhooks).

`deliver`: SQS messages that EventBridge Pipes made of the events table's stream records (a
new item on the OUTBOX index: an event just recorded with its fact); each message's event
is handed to its endpoints. A message that fails is reported alone (ReportBatchItemFailures),
SQS redelivers it, and after 5 receipts it goes to the dead-letter queue; the scheduled pass
still finds its event in the outbox, so nothing is lost either way.

`retry`: every minute, the retries that are due and any event the stream path missed.
"""

from __future__ import annotations

import json
from typing import Any

from channelfin.handlers.workflow_task import logger, workflow_ports


def _event_key(message: dict[str, Any]) -> tuple[str, str]:
    """(partner id, event id) of the stream record a Pipes message carries."""
    record = json.loads(message["body"])
    image = record["dynamodb"]["NewImage"]
    return image["partner_id"]["S"], image["event_id"]["S"]


@logger.inject_lambda_context(clear_state=True)
def deliver(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    from channelfin.services.webhook_delivery import Pass, dispatch_event

    ports = workflow_ports()
    run, failures = Pass(), []
    for message in event.get("Records", []):
        try:
            partner_id, event_id = _event_key(message)
            found = ports.webhooks.get_event(partner_id, event_id)
            if found is not None:
                dispatch_event(ports, found, run)
        except Exception:
            logger.exception("webhook dispatch failed", extra={"messageId": message.get("messageId")})
            failures.append({"itemIdentifier": message["messageId"]})
    logger.info("webhooks dispatched", extra={"dispatched": run.dispatched, "attempted": run.attempted})
    return {"batchItemFailures": failures}


@logger.inject_lambda_context(clear_state=True)
def retry(_event: dict[str, Any], _context: Any) -> dict[str, int]:
    from channelfin.services.webhook_delivery import run_once

    run = run_once(workflow_ports())
    done = {"dispatched": run.dispatched, "attempted": run.attempted, "succeeded": run.succeeded, "failed": run.failed}
    logger.info("webhook pass", extra=done)
    return done
