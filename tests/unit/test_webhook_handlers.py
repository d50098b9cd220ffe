"""The delivery Lambdas' entry points: a Pipes message (a stream record in an SQS body) and the schedule."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.handlers import webhooks as handlers
from tests import operations as ops


@dataclass
class LambdaContext:
    function_name: str = "channelfin-test-deliverWebhooks"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-3:000000000000:function:channelfin-test-deliverWebhooks"
    aws_request_id: str = "req-1"


HOOK = "https://hooks.example.com/in"


@pytest.fixture
def endpoint_of_publisher(world, monkeypatch):
    monkeypatch.setattr(handlers, "workflow_ports", lambda: world.ports)
    admin = world.user_of(world.publisher, "partner-admin")
    result = world.run(admin, ops.CREATE_WEBHOOK_ENDPOINT, input={"partnerId": world.publisher, "url": HOOK})
    assert result.data["createWebhookEndpoint"]["userErrors"] == []


def _pipes_message(message_id: str, partner_id: str, event_id: str) -> dict:
    """What EventBridge Pipes puts in SQS for a DynamoDB stream record (NEW_IMAGE)."""
    record = {
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "Keys": {"pk": {"S": f"FEED#{partner_id}"}, "sk": {"S": event_id}},
            "NewImage": {
                "pk": {"S": f"FEED#{partner_id}"},
                "sk": {"S": event_id},
                "gsi1pk": {"S": "OUTBOX"},
                "partner_id": {"S": partner_id},
                "event_id": {"S": event_id},
            },
        },
    }
    return {"messageId": message_id, "body": json.dumps(record)}


def test_a_stream_record_in_the_queue_is_delivered_and_a_broken_one_reported_alone(world, endpoint_of_publisher):
    world.create_contract()
    recorded = world.ports.webhooks.undispatched(10)  # the contract's creation, for the publisher and the reseller
    assert {e.partner_id for e in recorded} == {from_global_id(world.publisher)[1], from_global_id(world.reseller)[1]}
    messages = [_pipes_message(f"m-{n}", e.partner_id, e.id) for n, e in enumerate(recorded)]
    broken = {"messageId": "m-broken", "body": "{}"}
    answer = handlers.deliver({"Records": [*messages, broken]}, LambdaContext())
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-broken"}]}
    sent = world.ports.webhook_sender.to(HOOK)
    assert [json.loads(s.body)["type"] for s in sent] == ["contract.status_changed"]
    again = handlers.deliver({"Records": messages}, LambdaContext())  # SQS delivers at least once, too
    assert again == {"batchItemFailures": []} and len(world.ports.webhook_sender.to(HOOK)) == 1


def test_the_scheduled_pass_sends_what_the_stream_missed(world, endpoint_of_publisher):
    world.create_contract()
    done = handlers.retry({}, LambdaContext(function_name="channelfin-test-retryWebhooks"))
    assert done["dispatched"] >= 1 and done["succeeded"] == 1
    assert len(world.ports.webhook_sender.to(HOOK)) == 1
