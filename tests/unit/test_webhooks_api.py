"""Webhooks through the API: endpoints, signed deliveries with retries, the delivery log, resend, catch-up.

Deliveries run on the fakes' scripted sender (`tests/webhook_fakes.py`) and the fake clock;
tests/e2e/test_webhooks_over_http.py sends them over HTTP to a real receiver.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from channelfin.api.core.ids import from_global_id
from channelfin.domain.webhook_deliveries import Answer
from channelfin.services import webhook_delivery
from tests import operations as ops
from tests.financing_flow import FinancingFlow

HOOK = "https://hooks.example.com/channelfin"


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def _create(flow, partner=None, who=None, **fields):
    partner = partner or flow.world.publisher
    who = who or flow.world.user_of(partner, "partner-admin")
    result = flow.world.run(who, ops.CREATE_WEBHOOK_ENDPOINT, input={"partnerId": partner, "url": HOOK, **fields})
    assert result.errors == [], result.errors
    return result.data["createWebhookEndpoint"]


def _deliveries(flow, endpoint, who=None):
    who = who or flow.world.user_of(flow.world.publisher, "partner-admin")
    result = flow.world.run(who, ops.WEBHOOK_DELIVERIES, e=endpoint, first=100)
    assert result.errors == [], result.errors
    return [e["node"] for e in result.data["webhookDeliveries"]["edges"]]


def _verified(secret, sent):
    """The message as the standardwebhooks library signs it with the endpoint's secret (ours must match)."""
    headers, body = sent.headers, sent.body.decode()
    at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    expected = Webhook(secret).sign(headers["webhook-id"], at, body)
    assert expected in headers["webhook-signature"].split(" "), "signature does not verify"
    message = json.loads(body)
    assert message["id"] == headers["webhook-id"]
    return message


def _drain(ports, rounds=60, step=timedelta(minutes=10)):
    """Run the delivery worker, moving the clock on so the retries come due."""
    for _ in range(rounds):
        webhook_delivery.run_once(ports)
        ports.clock.now += step


def test_an_endpoint_gets_each_status_change_of_a_contract_in_order_signed(flow):
    made = _create(flow)
    assert made["userErrors"] == [] and made["secret"].startswith("whsec_")
    assert made["webhookEndpoint"]["eventTypes"] is None and made["webhookEndpoint"]["status"] == "ENABLED"
    contract = flow.new_contract()
    flow.to_active(contract)
    webhook_delivery.run_once(flow.world.ports)
    sent = flow.world.ports.webhook_sender.to(HOOK)
    messages = [_verified(made["secret"], s) for s in sent]
    changes = [m["data"] for m in messages if m["type"] == "contract.status_changed"]
    statuses = [t["status"] for t in flow.read(contract)["timeline"]]
    assert [c["to"] for c in changes] == statuses and statuses[-1] == "ACTIVE"
    assert [m["id"] for m in messages] == sorted(m["id"] for m in messages), "in the order the facts happened"
    assert len({m["id"] for m in messages}) == len(messages)
    assert {"payout.scheduled", "payout.paid", "financing.decided", "document.signed"} <= {m["type"] for m in messages}


def test_a_partner_never_receives_an_event_about_a_contract_it_is_not_party_to(flow):
    stranger_hook = "https://stranger.example.com/in"
    _create(flow, flow.world.stranger, url=stranger_hook)
    flow.to_active(flow.new_contract())
    webhook_delivery.run_once(flow.world.ports)
    assert flow.world.ports.webhook_sender.to(stranger_hook) == []
    result = flow.world.run(flow.world.user_of(flow.world.stranger), ops.EVENTS, p=flow.world.stranger)
    assert result.data["events"]["edges"] == []


def test_an_endpoint_gets_only_the_types_it_subscribed_to(flow):
    made = _create(flow, eventTypes=["payout.paid"])
    assert made["webhookEndpoint"]["eventTypes"] == ["payout.paid"]
    flow.to_active(flow.new_contract())
    webhook_delivery.run_once(flow.world.ports)
    assert [json.loads(s.body)["type"] for s in flow.world.ports.webhook_sender.to(HOOK)] == ["payout.paid"]


def test_three_500s_then_a_200_delivers_on_the_fourth_attempt(flow):
    made = _create(flow, eventTypes=["contract.status_changed"])
    ports = flow.world.ports
    ports.webhook_sender.answers[HOOK] = [Answer(500, 5, "down")] * 3 + [Answer(200, 4, "ok")]
    flow.new_contract()
    _drain(ports)
    (delivery,) = _deliveries(flow, made["webhookEndpoint"]["id"])
    assert delivery["status"] == "SUCCEEDED"
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 500, 500, 200]
    assert delivery["attempts"][0]["responseBody"] == "down"
    sent = ports.webhook_sender.to(HOOK)
    assert len(sent) == 4 and len({s.headers["webhook-id"] for s in sent}) == 1, "the same event id each time"
    assert all(s.body == sent[0].body for s in sent)


def test_an_endpoint_that_never_answers_ends_failed_with_each_attempt_and_is_disabled_after_three(flow):
    made = _create(flow, eventTypes=["contract.status_changed"])
    endpoint = made["webhookEndpoint"]["id"]
    ports = flow.world.ports
    ports.webhook_sender.answers[HOOK] = [Answer(None, 10_000, error="no answer within 10 s")]
    for _ in range(3):
        flow.new_contract()
    _drain(ports, rounds=500, step=timedelta(hours=1))
    deliveries = _deliveries(flow, endpoint)
    assert len(deliveries) == 3 and {d["status"] for d in deliveries} == {"FAILED"}
    for delivery in deliveries:
        assert len(delivery["attempts"]) >= 10
        assert all(a["error"] == "no answer within 10 s" and a["statusCode"] is None for a in delivery["attempts"])
    admin = flow.world.user_of(flow.world.publisher, "partner-admin")
    (listed,) = flow.world.run(admin, ops.WEBHOOK_ENDPOINTS, p=flow.world.publisher).data["webhookEndpoints"]
    assert listed["status"] == "DISABLED" and "3 deliveries in a row failed" in listed["disabledReason"]
    before = len(ports.webhook_sender.sent)
    flow.new_contract()
    _drain(ports, rounds=3)
    assert len(ports.webhook_sender.sent) == before, "a disabled endpoint is sent nothing"


def test_resend_delivers_an_event_again_as_a_new_delivery(flow):
    made = _create(flow)
    endpoint = made["webhookEndpoint"]["id"]
    flow.new_contract()
    ports = flow.world.ports
    webhook_delivery.run_once(ports)
    (first,) = _deliveries(flow, endpoint)
    admin = flow.world.user_of(flow.world.publisher, "partner-admin")
    resent = flow.world.run(
        admin, ops.RESEND_WEBHOOK_EVENT, input={"eventId": first["eventId"], "endpointId": endpoint}
    )
    assert resent.data["resendWebhookEvent"]["userErrors"] == []
    webhook_delivery.run_once(ports)
    deliveries = _deliveries(flow, endpoint)
    assert [d["eventId"] for d in deliveries] == [first["eventId"]] * 2
    assert {d["status"] for d in deliveries} == {"SUCCEEDED"}
    sent = ports.webhook_sender.to(HOOK)
    assert [s.headers["webhook-id"] for s in sent] == [first["eventId"]] * 2 and sent[0].body == sent[1].body
    unknown = flow.world.run(admin, ops.RESEND_WEBHOOK_EVENT, input={"eventId": "evt_nope", "endpointId": endpoint})
    assert unknown.data["resendWebhookEvent"]["userErrors"] == [{"field": ["input", "eventId"], "code": "NOT_FOUND"}]


def test_events_lets_an_integrator_catch_up_since_a_time_by_type(flow):
    contract = flow.new_contract()
    flow.to_active(contract)
    user = flow.world.user_of(flow.world.publisher)
    everything = flow.world.run(user, ops.EVENTS).data["events"]["edges"]
    nodes = [e["node"] for e in everything]
    assert len(nodes) > 5 and [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)
    middle = nodes[len(nodes) // 2]
    later = flow.world.run(user, ops.EVENTS, since=middle["occurredAt"]).data["events"]["edges"]
    assert later and all(e["node"]["occurredAt"] >= middle["occurredAt"] for e in later)
    assert later[0]["node"]["id"] <= middle["id"] < later[-1]["node"]["id"] or len(later) == 1
    paid = flow.world.run(user, ops.EVENTS, types=["payout.paid"]).data["events"]["edges"]
    assert [e["node"]["type"] for e in paid] == ["payout.paid"]
    assert json.loads(paid[0]["node"]["payload"])["data"]["payout"]["status"] == "PAID"
    bad = flow.world.run(user, ops.EVENTS, types=["payout.lost"])
    assert bad.errors and bad.errors[0]["extensions"]["code"] == "UNKNOWN_EVENT_TYPE"
    for edge in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):  # were an INTERNAL_ERROR
        outside = flow.world.run(user, ops.EVENTS, since=edge)
        assert outside.data is None and outside.codes == ["GRAPHQL_VALIDATION_FAILED"], outside.errors
    first = flow.world.run(user, ops.EVENTS, since="0001-01-01T00:00:00Z").data["events"]["edges"]
    assert [e["node"]["id"] for e in first] == [n["id"] for n in nodes]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://169.254.169.254/latest/meta-data/", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://10.0.0.8/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("file:///etc/passwd", "URL_SCHEME_NOT_ALLOWED"),
        ("http://127.0.0.1:9000/hook", "URL_SCHEME_NOT_ALLOWED"),
        ("https://internal.example.com/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://nowhere.example.com/hook", "URL_NOT_RESOLVED"),
    ],
)
def test_endpoint_urls_that_reach_private_networks_are_refused(flow, url, code):
    flow.world.ports.resolver.names.update({"internal.example.com": ["10.20.30.40"], "nowhere.example.com": []})
    made = _create(flow, url=url)
    assert made["webhookEndpoint"] is None and made["secret"] is None
    assert [(e["field"], e["code"]) for e in made["userErrors"]] == [(["input", "url"], code)]


def test_unknown_event_types_are_refused(flow):
    made = _create(flow, eventTypes=["payout.paid", "contract.exploded"])
    refused = [(e["field"], e["code"]) for e in made["userErrors"]]
    assert refused == [(["input", "eventTypes", "1"], "UNKNOWN_EVENT_TYPE")]


def test_another_partners_endpoint_is_invisible_and_unchangeable(flow):
    made = _create(flow)
    endpoint = made["webhookEndpoint"]["id"]
    stranger = flow.world.user_of(flow.world.stranger, "partner-admin")
    run = flow.world.run
    assert run(stranger, ops.WEBHOOK_ENDPOINTS, p=flow.world.publisher).data["webhookEndpoints"] == []
    for document, fields in ((ops.ROTATE_WEBHOOK_SECRET, {}), (ops.DISABLE_WEBHOOK_ENDPOINT, {"reason": "mine now"})):
        result = run(stranger, document, input={"endpointId": endpoint, **fields})
        payload = next(iter(result.data.values()))
        assert payload["userErrors"] == [{"code": "NOT_FOUND"}] and payload["webhookEndpoint"] is None
    resent = run(stranger, ops.RESEND_WEBHOOK_EVENT, input={"eventId": "evt_x", "endpointId": endpoint})
    assert resent.data["resendWebhookEvent"]["userErrors"] == [{"field": ["input", "endpointId"], "code": "NOT_FOUND"}]
    deliveries = run(stranger, ops.WEBHOOK_DELIVERIES, e=endpoint, first=10)
    assert deliveries.errors and deliveries.errors[0]["extensions"]["code"] == "NOT_FOUND"
    node = run(stranger, "query($id: ID!) { node(id: $id) { id } }", id=endpoint)
    assert node.data["node"] is None
    admin = flow.world.user_of(flow.world.publisher, "partner-admin")
    (listed,) = run(admin, ops.WEBHOOK_ENDPOINTS, p=flow.world.publisher).data["webhookEndpoints"]
    assert listed["status"] == "ENABLED"


def test_rotation_signs_with_both_secrets_for_24_hours(flow):
    made = _create(flow, eventTypes=["contract.status_changed"])
    endpoint = made["webhookEndpoint"]["id"]
    admin = flow.world.user_of(flow.world.publisher, "partner-admin")
    rotated = flow.world.run(admin, ops.ROTATE_WEBHOOK_SECRET, input={"endpointId": endpoint}).data[
        "rotateWebhookSecret"
    ]
    assert rotated["userErrors"] == [] and rotated["secret"] != made["secret"]
    assert rotated["webhookEndpoint"]["previousSecretExpiresAt"] is not None
    flow.new_contract()
    ports = flow.world.ports
    webhook_delivery.run_once(ports)
    (sent,) = ports.webhook_sender.to(HOOK)
    _verified(made["secret"], sent)
    _verified(rotated["secret"], sent)
    ports.clock.now += timedelta(hours=25)
    flow.new_contract()
    webhook_delivery.run_once(ports)
    later = ports.webhook_sender.to(HOOK)[-1]
    _verified(rotated["secret"], later)
    assert later.headers["webhook-signature"].count("v1,") == 1


def test_the_secret_is_shown_only_when_made(flow):
    made = _create(flow)
    partner_id = from_global_id(flow.world.publisher)[1]
    endpoints = flow.world.ports.webhooks.endpoints_of(partner_id)
    assert len(endpoints) == 1
    schema_text = flow.world.run(
        flow.world.user_of(flow.world.publisher, "partner-admin"), ops.WEBHOOK_ENDPOINTS, p=flow.world.publisher
    )
    assert made["secret"] not in json.dumps(schema_text.data)


def test_events_of_several_contracts_each_arrive_in_their_contracts_order(flow):
    made = _create(flow, eventTypes=["contract.status_changed"])
    contracts = [flow.new_contract() for _ in range(4)]
    for contract in contracts:
        flow.request(contract)
    ports = flow.world.ports
    webhook_delivery.run_once(ports)
    messages = [_verified(made["secret"], s) for s in ports.webhook_sender.to(HOOK)]
    for contract in contracts:
        sent = [m["data"]["to"] for m in messages if m["data"]["contract"]["id"] == contract]
        assert sent == [t["status"] for t in flow.read(contract)["timeline"]]


def test_events_nobody_wants_leave_the_outbox_a_batch_at_a_time_and_stay_in_the_feed(flow, monkeypatch):
    _create(flow, eventTypes=["payout.paid"])
    ports = flow.world.ports
    contract = flow.new_contract()
    flow.to_active(contract)
    one_by_one = []
    dispatch = ports.webhooks.dispatch
    monkeypatch.setattr(ports.webhooks, "dispatch", lambda e, d: one_by_one.append(e.type) or dispatch(e, d))
    done = webhook_delivery.run_once(ports)
    assert ports.webhooks.undispatched(1000) == []
    assert one_by_one == ["payout.paid"], "only the wanted event is dispatched on its own, with its delivery"
    assert done.dispatched > 5 and done.succeeded == 1
    assert [json.loads(s.body)["type"] for s in ports.webhook_sender.to(HOOK)] == ["payout.paid"]
    user = flow.world.user_of(flow.world.publisher, "partner-admin")
    feed = flow.world.run(user, ops.EVENTS, p=flow.world.publisher).data["events"]["edges"]
    assert "contract.status_changed" in {e["node"]["type"] for e in feed}, "dispatched, not deleted: still listed"


def test_a_batch_another_worker_took_part_of_is_dispatched_one_at_a_time_each_once(flow, monkeypatch):
    ports = flow.world.ports
    flow.to_active(flow.new_contract())
    pending = ports.webhooks.undispatched(1000)
    assert len(pending) > 2
    batched = ports.webhooks.dispatch_unwanted

    def raced(events):
        ports.webhooks.dispatch(events[1], [])  # another worker, between our read and our transaction
        return batched(events)

    monkeypatch.setattr(ports.webhooks, "dispatch_unwanted", raced)
    done = webhook_delivery.dispatch_pending(ports)
    assert ports.webhooks.undispatched(1000) == []
    assert done.dispatched == len(pending) - 1, "each event once: the one the other worker took is not ours"
