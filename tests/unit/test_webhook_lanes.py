"""Webhook delivery on lanes: several contracts' events go out at once, each contract's in the order recorded.

The events come from contracts created and submitted through the API (each contract's status
changes interleaved with the others' in the outbox); a sender that takes its time, longer for
some contracts, tells which POSTs overlapped and in what order each contract's arrived.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.domain.events import EventType
from channelfin.domain.webhook_deliveries import Answer
from channelfin.services import webhook_delivery
from tests import operations as ops
from tests.financing_flow import FinancingFlow
from tests.webhook_fakes import FakeWebhookSender

HOOK = "https://hooks.example.com/lanes"
CONTRACTS = 6


@dataclass
class TimedSender(FakeWebhookSender):
    """Each POST takes `seconds`, `slow_seconds` for the messages `slow` picks; counts the POSTs in flight."""

    seconds: float = 0.005
    slow: Callable[[dict[str, Any]], bool] = lambda _message: False
    slow_seconds: float = 0.1
    in_flight: int = 0
    most_in_flight: int = 0
    counting: threading.Lock = field(default_factory=threading.Lock)

    def post(self, url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> Answer:
        with self.counting:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            time.sleep(self.slow_seconds if self.slow(json.loads(body)) else self.seconds)
            return super().post(url, headers, body, timeout=timeout)  # `sent` in the order the POSTs end
        finally:
            with self.counting:
                self.in_flight -= 1


def _contract(body: bytes) -> str:
    return json.loads(body)["data"]["contract"]["id"]


@pytest.fixture
def flow(world):
    flow = FinancingFlow(world)
    made = world.run(
        world.user_of(world.publisher, "partner-admin"),
        ops.CREATE_WEBHOOK_ENDPOINT,
        input={"partnerId": world.publisher, "url": HOOK, "eventTypes": ["contract.status_changed"]},
    )
    assert made.errors == [] and made.data["createWebhookEndpoint"]["userErrors"] == [], made
    return flow


def _contracts(flow):
    """Contracts created, then each submitted: their status changes interleave in the outbox."""
    contracts = [flow.new_contract() for _ in range(CONTRACTS)]
    for contract in contracts:
        flow.request(contract)
    return contracts


def _delivering(ports, lanes, sender, **settings):
    return replace(
        ports, webhook_sender=sender, webhook_settings=replace(ports.webhook_settings, lanes=lanes, **settings)
    )


def _arrived(sender, contract):
    """The statuses the receiver was told of for one contract, in the order the POSTs were made."""
    messages = [json.loads(s.body) for s in sender.to(HOOK)]
    return [m["data"]["to"] for m in messages if m["data"]["contract"]["id"] == contract]


def _timeline(flow, contract):
    return [t["status"] for t in flow.read(contract)["timeline"]]


@pytest.mark.parametrize("batch", [7, 100])  # 7: a contract's events span batches
def test_each_contracts_events_arrive_in_order_when_some_contracts_receiver_is_slow(flow, batch):
    contracts = _contracts(flow)
    slow = {contracts[0], contracts[3]}
    # The first event of these contracts takes 20 times longer: a later one sent beside it would arrive first.
    sender = TimedSender(slow=lambda m: m["data"]["contract"]["id"] in slow and m["data"]["to"] == "DRAFT")
    webhook_delivery.run_once(_delivering(flow.world.ports, 4, sender, batch=batch))
    for contract in contracts:
        assert _arrived(sender, contract) == _timeline(flow, contract), contract


def test_a_slow_contract_holds_back_only_its_own_events(flow):
    contracts = _contracts(flow)
    sender = TimedSender(slow=lambda m: m["data"]["contract"]["id"] == contracts[0], slow_seconds=0.2)
    webhook_delivery.run_once(_delivering(flow.world.ports, 4, sender))
    order = [_contract(s.body) for s in sender.to(HOOK)]
    assert order[-3:] == [contracts[0]] * 3, "the other contracts' events went out meanwhile, on the other lanes"


@pytest.mark.parametrize("lanes", [1, 4])
def test_different_contracts_events_are_sent_at_once_on_lanes_one_at_a_time_on_one(flow, lanes):
    _contracts(flow)
    pending = [e.id for e in _wanted(flow)]
    sender = TimedSender(seconds=0.02)
    webhook_delivery.run_once(_delivering(flow.world.ports, lanes, sender))
    assert sender.most_in_flight == lanes if lanes == 1 else 1 < sender.most_in_flight <= lanes
    sent = [_event_id(s) for s in sender.sent]
    assert sorted(sent) == sorted(pending)
    if lanes == 1:
        assert sent == pending, "one lane: every event in the order recorded, as before lanes"


def _wanted(flow):
    """The events the endpoint wants (the publisher's contract.status_changed), in the order recorded."""
    publisher = from_global_id(flow.world.publisher)[1]
    pending = flow.world.ports.webhooks.undispatched(1000)
    return [e for e in pending if e.partner_id == publisher and e.type is EventType.CONTRACT_STATUS_CHANGED]


def _event_id(sent):
    return sent.headers["webhook-id"]


def test_every_event_is_delivered_once_and_the_pass_counts_each_attempt_once(flow):
    contracts = _contracts(flow)
    ports = flow.world.ports
    pending = ports.webhooks.undispatched(1000)
    publisher = _wanted(flow)
    sender = TimedSender()
    sender.answers[HOOK] = [Answer(500, 3, "busy")] * 5 + [Answer(200, 3, "ok")]
    done = webhook_delivery.dispatch_pending(_delivering(ports, 8, sender))
    assert ports.webhooks.undispatched(1000) == []
    assert done.dispatched == len(pending), "each event out of the outbox once, nobody's included"
    assert done.attempted == len(sender.sent) == len(publisher) == CONTRACTS * 3
    assert sorted(_event_id(s) for s in sender.sent) == sorted(e.id for e in publisher)
    assert (done.succeeded, done.failed) == (len(publisher) - 5, 0)
    ports.clock.now += timedelta(hours=1)  # the five that got a 500 come due, and go out on lanes too
    retried = webhook_delivery.retry_due(_delivering(ports, 8, sender))
    assert (retried.dispatched, retried.attempted, retried.succeeded, retried.failed) == (0, 5, 5, 0)
    assert len({_event_id(s) for s in sender.sent}) == len(publisher) and len(sender.sent) == len(publisher) + 5
    for contract in contracts:
        assert set(_arrived(sender, contract)) == set(_timeline(flow, contract))


def test_a_contract_whose_delivery_breaks_keeps_its_later_events_for_the_next_pass(flow, monkeypatch):
    contracts = _contracts(flow)
    ports = _delivering(flow.world.ports, 4, TimedSender())
    broken = contracts[2]
    dispatch = ports.webhooks.dispatch

    def failing(event, deliveries):
        if event.subject_id == broken and len(_arrived(ports.webhook_sender, broken)) == 1:
            raise RuntimeError("the store went away")
        return dispatch(event, deliveries)

    monkeypatch.setattr(ports.webhooks, "dispatch", failing)
    with pytest.raises(RuntimeError, match="went away"):
        webhook_delivery.dispatch_pending(ports)
    assert len(_arrived(ports.webhook_sender, broken)) == 1, "nothing after the failed event was sent"
    monkeypatch.setattr(ports.webhooks, "dispatch", dispatch)
    webhook_delivery.run_once(ports)
    assert ports.webhooks.undispatched(1000) == []
    for contract in contracts:
        assert _arrived(ports.webhook_sender, contract) == _timeline(flow, contract), contract
