"""In-memory webhook ports for unit tests: the store (outbox, endpoints, deliveries), a scripted sender, a resolver."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from channelfin.domain.errors import Conflict
from channelfin.domain.events import Event, EventType
from channelfin.domain.webhook_deliveries import Answer, Delivery, DeliveryStatus
from channelfin.domain.webhooks import WebhookEndpoint
from channelfin.services.paging import Page, PageRequest, paginate


@dataclass
class FakeWebhookStore:
    endpoints: dict[str, WebhookEndpoint] = field(default_factory=dict)
    events: dict[tuple[str, str], Event] = field(default_factory=dict)  # (partner, event id)
    outbox: set[tuple[str, str]] = field(default_factory=set)  # not yet dispatched
    deliveries: dict[tuple[str, str], Delivery] = field(default_factory=dict)  # (endpoint, delivery id)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def record(self, events: Iterable[Event]) -> None:
        """What a fact's transaction writes beside it; a key written twice fails it whole (Conflict)."""
        events = list(events)
        with self.lock:
            if any((e.partner_id, e.id) in self.events for e in events):
                raise Conflict("an event with that id exists")
            for e in events:
                self.events[(e.partner_id, e.id)] = e
                self.outbox.add((e.partner_id, e.id))

    def all_events(self) -> list[Event]:
        return sorted(self.events.values(), key=lambda e: (e.id, e.partner_id))

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        with self.lock:
            if endpoint.id in self.endpoints:
                raise Conflict("exists")
            self.endpoints[endpoint.id] = endpoint

    def save_endpoint(self, endpoint: WebhookEndpoint, *, expected_version: int) -> None:
        with self.lock:
            if self.endpoints[endpoint.id].version != expected_version:
                raise Conflict("changed")
            self.endpoints[endpoint.id] = endpoint

    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint | None:
        return self.endpoints.get(endpoint_id)

    def endpoints_of(self, partner_id: str) -> list[WebhookEndpoint]:
        with self.lock:  # as every reader that walks a dict: delivery lanes write from other threads
            found = [e for e in self.endpoints.values() if e.partner_id == partner_id]
        return sorted(found, key=lambda e: (e.created_at, e.id))

    def get_event(self, partner_id: str, event_id: str) -> Event | None:
        return self.events.get((partner_id, event_id))

    def feed(
        self, partner_id: str, *, since: str, types: frozenset[EventType] | None, page: PageRequest
    ) -> Page[Event]:
        with self.lock:
            found = [
                e
                for (p, i), e in sorted(self.events.items())
                if p == partner_id and i >= since and (types is None or e.type in types)
            ]
        return paginate(found, lambda e: e.id, page)

    def undispatched(self, limit: int) -> list[Event]:
        with self.lock:
            keys = sorted(self.outbox, key=lambda k: (k[1], k[0]))[:limit]
            return [self.events[k] for k in keys]

    def dispatch(self, event: Event, deliveries: Sequence[Delivery]) -> bool:
        with self.lock:
            key = (event.partner_id, event.id)
            if key not in self.outbox:
                return False
            self.outbox.discard(key)
            for d in deliveries:
                self.deliveries[(d.endpoint_id, d.id)] = d
            return True

    def dispatch_unwanted(self, events: Sequence[Event]) -> bool:
        with self.lock:
            keys = {(e.partner_id, e.id) for e in events}
            if not keys <= self.outbox:
                return False
            self.outbox -= keys
            return True

    def add_delivery(self, delivery: Delivery) -> None:
        with self.lock:
            if (delivery.endpoint_id, delivery.id) in self.deliveries:
                raise Conflict("exists")
            self.deliveries[(delivery.endpoint_id, delivery.id)] = delivery

    def save_delivery(self, delivery: Delivery, *, expected_version: int) -> None:
        with self.lock:
            if self.deliveries[(delivery.endpoint_id, delivery.id)].version != expected_version:
                raise Conflict("moved on")
            self.deliveries[(delivery.endpoint_id, delivery.id)] = delivery

    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None:
        return self.deliveries.get((endpoint_id, delivery_id))

    def due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        with self.lock:
            due = [
                d
                for d in self.deliveries.values()
                if d.status is DeliveryStatus.PENDING and d.next_attempt_at is not None and d.next_attempt_at <= now
            ]
        return sorted(due, key=lambda d: (d.next_attempt_at, d.id))[:limit]

    def deliveries_of(self, endpoint_id: str, page: PageRequest) -> Page[Delivery]:
        with self.lock:
            found = sorted((d for (e, _), d in self.deliveries.items() if e == endpoint_id), key=lambda d: d.id)
        return paginate(list(reversed(found)), lambda d: d.id, page)


Script = Callable[[str, dict[str, str], bytes], Answer]


@dataclass
class Sent:
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeWebhookSender:
    """Answers 200 unless `answers[url]` says otherwise (a list, used in order, its last answer kept)."""

    answers: dict[str, list[Answer]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> Answer:
        with self.lock:
            self.sent.append(Sent(url, dict(headers), body))
            script = self.answers.get(url)
            if not script:
                return Answer(200, 3, "ok")
            return script.pop(0) if len(script) > 1 else script[0]

    def to(self, url: str) -> list[Sent]:
        with self.lock:
            return [s for s in self.sent if s.url == url]


@dataclass
class FakeResolver:
    """Names resolve to a public address unless `names` says otherwise."""

    names: dict[str, list[str]] = field(default_factory=dict)

    def addresses(self, host: str, port: int) -> list[str]:
        return self.names.get(host, ["93.184.216.34"])
