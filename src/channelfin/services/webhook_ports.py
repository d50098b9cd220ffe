"""The ports of webhook delivery: endpoints, the outbox's events and deliveries, the HTTP sender."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from channelfin.domain.events import Event, EventType
from channelfin.domain.webhook_deliveries import Answer, Delivery, RetrySchedule
from channelfin.domain.webhook_urls import UrlPolicy
from channelfin.domain.webhooks import WebhookEndpoint
from channelfin.services.paging import Page, PageRequest


class WebhookStore(Protocol):
    """Endpoints, the events recorded for each partner (the outbox and its feed) and their deliveries."""

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None: ...
    def save_endpoint(self, endpoint: WebhookEndpoint, *, expected_version: int) -> None: ...
    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint | None: ...
    def endpoints_of(self, partner_id: str) -> list[WebhookEndpoint]:
        """A partner's endpoints, oldest first (at most MAX_ENDPOINTS_PER_PARTNER)."""

    def get_event(self, partner_id: str, event_id: str) -> Event | None: ...
    def feed(
        self, partner_id: str, *, since: str, types: frozenset[EventType] | None, page: PageRequest
    ) -> Page[Event]:
        """The partner's events with an id at or after `since`, oldest first."""

    def undispatched(self, limit: int) -> list[Event]:
        """Events not yet handed to their endpoints, oldest first (an index, never a Scan)."""

    def dispatch(self, event: Event, deliveries: Sequence[Delivery]) -> bool:
        """Mark the event dispatched and create its deliveries, in one transaction; False if it was already."""

    def dispatch_unwanted(self, events: Sequence[Event]) -> bool:
        """Mark up to 100 events no endpoint wants dispatched, in one transaction; False (nothing changed)
        if one of them was already."""

    def add_delivery(self, delivery: Delivery) -> None: ...
    def save_delivery(self, delivery: Delivery, *, expected_version: int) -> None:
        """Replace the delivery if it is still at `expected_version`; `Conflict` otherwise (another worker)."""

    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None: ...
    def due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        """PENDING deliveries whose next attempt is due by `now`, the longest waiting first."""

    def deliveries_of(self, endpoint_id: str, page: PageRequest) -> Page[Delivery]:
        """An endpoint's deliveries, newest first."""


class WebhookSender(Protocol):
    def post(self, url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> Answer:
        """POST once (the URL rules checked on the addresses connected to); never raises for the receiver's faults."""


class HostResolver(Protocol):
    def addresses(self, host: str, port: int) -> list[str]:
        """Every address the host resolves to (none when it does not resolve)."""


@dataclass(frozen=True)
class WebhookSettings:
    url_policy: UrlPolicy = UrlPolicy()
    retry: RetrySchedule = RetrySchedule()
    timeout_seconds: float = 10.0
    disable_after: int = 3  # deliveries in a row that ran out of retries
    batch: int = 100  # events or deliveries taken per pass; at most 100, what one transaction takes
    lanes: int = 4  # subjects delivered at once (threads); 1: one event after another

    def __post_init__(self) -> None:
        if self.lanes < 1:
            raise ValueError("webhook delivery needs at least one lane (CHANNELFIN_WEBHOOK_LANES)")
