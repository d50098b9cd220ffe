"""Delivering the outbox: events handed to their endpoints, each POST signed, retried until done or given up.

The same code runs everywhere: in AWS the delivery Lambda gets each new event from the
events table's stream (through SQS) and calls `dispatch_event`, and a scheduled Lambda calls
`dispatch_pending` (events the stream path missed) and `retry_due`; `channelfin dev` runs
both in a process of its own on the same table. At least once: an event leaves the outbox
only in the transaction that creates its deliveries, and a delivery stays due until an
attempt is recorded (a worker that dies mid-attempt leaves it due again after its claim).
Events about the same subject (a contract) are attempted in the order they were recorded;
retries do not hold later events back. Different subjects go out at once, on
`webhook_settings.lanes` threads: an event's ~20 ms (a transaction, a POST, the attempt
recorded) is almost all waiting on DynamoDB and the receiver, and a slow receiver of one
contract's events then holds back only that contract's.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from channelfin.domain import webhooks
from channelfin.domain.errors import Conflict
from channelfin.domain.events import Event
from channelfin.domain.webhook_deliveries import Answer, Delivery, DeliveryStatus
from channelfin.domain.webhooks import WebhookEndpoint
from channelfin.services.lanes import run_on_lanes
from channelfin.services.ports import Ports
from channelfin.services.webhooks import delivery_id, update_endpoint

T = TypeVar("T")


@dataclass
class Pass:
    """What one pass did (logged, and what the bench and tests read).

    Each lane counts on a Pass of its own (`lane`), added up once the lanes are done, so no
    counter is written by two threads; the lanes share the endpoints read (dict reads and
    `setdefault` are atomic: two lanes missing the same partner both read it, one copy is kept).
    """

    dispatched: int = 0
    attempted: int = 0
    succeeded: int = 0
    failed: int = 0
    _endpoints: dict[str, list[WebhookEndpoint]] = field(default_factory=dict)

    def targets(self, ports: Ports, event: Event) -> list[WebhookEndpoint]:
        """The endpoints of the event's partner that want it; a partner's endpoints are read once
        per pass (a pass takes a few seconds at most)."""
        endpoints = self._endpoints.get(event.partner_id)
        if endpoints is None:
            endpoints = self._endpoints.setdefault(event.partner_id, ports.webhooks.endpoints_of(event.partner_id))
        return [e for e in endpoints if e.wants(event.type)]

    def lane(self) -> Pass:
        return Pass(_endpoints=self._endpoints)

    def add(self, lane: Pass) -> None:
        self.dispatched += lane.dispatched
        self.attempted += lane.attempted
        self.succeeded += lane.succeeded
        self.failed += lane.failed


def _claim(ports: Ports) -> timedelta:
    """How long a worker holds a delivery it attempts: past the request's timeout, with room to record it."""
    return timedelta(seconds=ports.webhook_settings.timeout_seconds * 2 + 5)


def dispatch_event(ports: Ports, event: Event, run: Pass | None = None) -> Pass:
    """Take one event out of the outbox: a delivery per endpoint that wants it, each attempted once now."""
    run = run or Pass()
    now = ports.clock()
    targets = run.targets(ports, event)
    deliveries = [
        Delivery(
            id=delivery_id(now, ports.new_id()),
            endpoint_id=endpoint.id,
            partner_id=event.partner_id,
            event_id=event.id,
            event_type=event.type,
            subject_id=event.subject_id,
            created_at=now,
            next_attempt_at=now + _claim(ports),  # created claimed: attempted right below
        )
        for endpoint in targets
    ]
    if not ports.webhooks.dispatch(event, deliveries):
        return run  # another worker took it
    run.dispatched += 1
    for delivery, endpoint in zip(deliveries, targets, strict=True):
        _attempt(ports, delivery, endpoint, event, run)
    return run


def dispatch_pending(ports: Ports, run: Pass | None = None) -> Pass:
    """Every event still in the outbox, oldest first, a batch at a time.

    Most partners have no endpoint: the events nobody wants leave the outbox a batch to a
    transaction instead of one each (2,000 such events, as a payment run leaves: 21 to 44 s
    one at a time on DynamoDB Local, 3 to 4 s batched, on a busy 2-core machine).
    """
    run = run or Pass()
    while True:
        events = ports.webhooks.undispatched(ports.webhook_settings.batch)
        before = run.dispatched
        unwanted = [e for e in events if not run.targets(ports, e)]
        done = set()  # an event's id is shared by its copies in each party's feed: keyed with the partner
        if unwanted and ports.webhooks.dispatch_unwanted(unwanted):
            run.dispatched += len(unwanted)
            done = {(e.partner_id, e.id) for e in unwanted}
        rest = [e for e in events if (e.partner_id, e.id) not in done]
        _on_lanes(ports, run, rest, lambda e: e.subject_id, partial(dispatch_event, ports))
        if len(events) < ports.webhook_settings.batch or run.dispatched == before:
            return run


def retry_due(ports: Ports, run: Pass | None = None) -> Pass:
    """Attempt every delivery whose next attempt is due (claimed first, so no two workers send it);
    on lanes as new events, a subject's deliveries one after another, the longest waiting first."""
    run = run or Pass()
    now = ports.clock()
    due = ports.webhooks.due_deliveries(now, ports.webhook_settings.batch)
    _on_lanes(ports, run, due, lambda d: d.subject_id, partial(_retry, ports, now))
    return run


def _retry(ports: Ports, now: datetime, due: Delivery, run: Pass) -> None:
    claimed = due.claimed(now, _claim(ports))
    try:
        ports.webhooks.save_delivery(claimed, expected_version=due.version)
    except Conflict:
        return  # another worker has it
    endpoint = ports.webhooks.get_endpoint(due.endpoint_id)
    event = ports.webhooks.get_event(due.partner_id, due.event_id)
    if endpoint is None or event is None or not endpoint.enabled:
        reason = "the endpoint is disabled" if endpoint is not None else "the endpoint is gone"
        _record(ports, claimed, claimed.abandoned(reason, now), endpoint, run)
        return
    _attempt(ports, claimed, endpoint, event, run)


def _on_lanes(
    ports: Ports, run: Pass, items: Sequence[T], subject: Callable[[T], str], deliver: Callable[[T, Pass], object]
) -> None:
    """Deliver the items, a subject's one after another in their order, up to `lanes` subjects at
    once (a subject per task rather than a fixed lane per subject: within the batch a slow subject
    holds back only itself). Returns once every subject is done, so the next batch never overtakes
    this one.
    With one lane every item is delivered here, one after another in the order given."""
    lanes = ports.webhook_settings.lanes
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(subject(item) if lanes > 1 else "", []).append(item)
    counted = [(group, run.lane()) for group in groups.values()]

    def deliver_all(group: list[T], lane: Pass) -> None:
        for item in group:
            deliver(item, lane)

    try:
        run_on_lanes([partial(deliver_all, group, lane) for group, lane in counted], lanes)
    finally:
        for _, lane in counted:
            run.add(lane)


def run_once(ports: Ports) -> Pass:
    """One pass of the worker: the outbox, then the retries due."""
    run = dispatch_pending(ports)
    return retry_due(ports, run)


def send(ports: Ports, endpoint: WebhookEndpoint, event: Event) -> Answer:
    """One signed POST (Standard Webhooks headers; every valid secret signs)."""
    now = ports.clock()
    headers = webhooks.headers(endpoint.signing_secrets(now), event.id, int(now.timestamp()), event.body)
    return ports.webhook_sender.post(
        endpoint.url, headers, event.body.encode(), timeout=ports.webhook_settings.timeout_seconds
    )


def _attempt(ports: Ports, claimed: Delivery, endpoint: WebhookEndpoint, event: Event, run: Pass) -> None:
    answer = send(ports, endpoint, event)
    run.attempted += 1
    done = claimed.attempted(answer, at=ports.clock(), schedule=ports.webhook_settings.retry, jitter=random.random())
    _record(ports, claimed, done, endpoint, run)


def _record(ports: Ports, claimed: Delivery, done: Delivery, endpoint: WebhookEndpoint | None, run: Pass) -> None:
    try:
        ports.webhooks.save_delivery(done, expected_version=claimed.version)
    except Conflict:
        return  # taken over meanwhile (our claim ran out): the other worker's attempt is the one kept
    if done.status is DeliveryStatus.SUCCEEDED:
        run.succeeded += 1
        if endpoint is not None and endpoint.failed_in_a_row:
            update_endpoint(ports, endpoint.id, lambda e: e.delivery_succeeded())
    elif done.status is DeliveryStatus.FAILED:
        run.failed += 1
        last = done.attempts[-1]
        error = f"HTTP {last.status_code}" if last.status_code is not None else (last.error or "no answer")
        if endpoint is not None and endpoint.enabled:
            limit, at = ports.webhook_settings.disable_after, ports.clock()
            changed = update_endpoint(
                ports, endpoint.id, lambda e: e.delivery_failed(at, disable_after=limit, last_error=error)
            )
            if not changed.enabled:
                ports.metrics.count("WebhookEndpointDisabled")
        ports.metrics.count("WebhookDeliveryFailed")
