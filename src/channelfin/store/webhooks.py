"""Webhook endpoints and deliveries on DynamoDB (the events table, beside the outbox).

  ENDPOINT#<id> / ENDPOINT            an endpoint          gsi2: PARTNER#<pid>#ENDPOINTS / <createdAt>#<id>
  ENDPOINT#<id> / DELIVERY#<dlvId>    one event to it      gsi1: DUE / <nextAttemptAt>#<dlvId>
                                                           (sparse: PENDING deliveries only)

Access patterns: an endpoint (GetItem), a partner's endpoints (Query gsi2), an endpoint's
deliveries newest first (Query on its partition; delivery ids sort by time), the deliveries
due by a time (Query gsi1 DUE, oldest first), the partner's events (`outbox`). Writes are
conditioned on the version read; an event is dispatched (taken off the OUTBOX index) in the
transaction that creates its deliveries, so two dispatchers cannot both create them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from channelfin.domain.events import Event, EventType
from channelfin.domain.webhook_deliveries import Attempt, Delivery, DeliveryStatus
from channelfin.domain.webhooks import MAX_ENDPOINTS_PER_PARTNER, EndpointStatus, SigningSecret, WebhookEndpoint
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.dynamo import TableMeta, connection, query_page, save_if, sort_stamp
from channelfin.store.outbox import OUTBOX, EventRecord, EventsTableItem, event, feed_key

DUE = "DUE"


class SecretMap(MapAttribute[str, Any]):
    value = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute(null=True)


class EndpointRecord(EventsTableItem):
    class Meta(TableMeta):
        table_name = "events"

    endpoint_id = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    url = UnicodeAttribute()
    event_types = ListAttribute(of=UnicodeAttribute, null=True)  # absent: every type
    description = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    secrets = ListAttribute(of=SecretMap)
    status = UnicodeAttribute()
    failed_in_a_row = NumberAttribute(default=0)
    disabled_at = UTCDateTimeAttribute(null=True)
    disabled_reason = UnicodeAttribute(null=True)
    version = NumberAttribute()


class AttemptMap(MapAttribute[str, Any]):
    number = NumberAttribute()
    at = UTCDateTimeAttribute()
    status_code = NumberAttribute(null=True)
    duration_ms = NumberAttribute()
    response_body = UnicodeAttribute(null=True)  # the first 2 KB
    error = UnicodeAttribute(null=True)


class DeliveryRecord(EventsTableItem):
    class Meta(TableMeta):
        table_name = "events"

    delivery_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    subject_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    status = UnicodeAttribute()
    attempts = ListAttribute(of=AttemptMap, null=True)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute()


def _endpoint_key(endpoint_id: str) -> str:
    return f"ENDPOINT#{endpoint_id}"


def _endpoint_record(e: WebhookEndpoint) -> EndpointRecord:
    return EndpointRecord(
        pk=_endpoint_key(e.id),
        sk="ENDPOINT",
        gsi2pk=f"PARTNER#{e.partner_id}#ENDPOINTS",
        gsi2sk=f"{sort_stamp(e.created_at)}#{e.id}",
        endpoint_id=e.id,
        partner_id=e.partner_id,
        url=e.url,
        event_types=sorted(t.value for t in e.event_types) if e.event_types is not None else None,
        description=e.description,
        created_at=e.created_at,
        created_by=e.created_by,
        secrets=[SecretMap(value=s.value, created_at=s.created_at, expires_at=s.expires_at) for s in e.secrets],
        status=e.status.value,
        failed_in_a_row=e.failed_in_a_row,
        disabled_at=e.disabled_at,
        disabled_reason=e.disabled_reason,
        version=e.version,
    )


def _endpoint(r: Any) -> WebhookEndpoint:
    types = r.event_types
    return WebhookEndpoint(
        id=r.endpoint_id,
        partner_id=r.partner_id,
        url=r.url,
        event_types=frozenset(EventType(t) for t in types) if types is not None else None,
        description=r.description,
        created_at=r.created_at,
        created_by=r.created_by,
        secrets=tuple(SigningSecret(s.value, s.created_at, s.expires_at) for s in r.secrets),
        status=EndpointStatus(r.status),
        failed_in_a_row=int(r.failed_in_a_row or 0),
        disabled_at=r.disabled_at,
        disabled_reason=r.disabled_reason,
        version=int(r.version),
    )


def _delivery_record(d: Delivery) -> DeliveryRecord:
    due = d.status is DeliveryStatus.PENDING and d.next_attempt_at is not None
    return DeliveryRecord(
        pk=_endpoint_key(d.endpoint_id),
        sk=f"DELIVERY#{d.id}",
        gsi1pk=DUE if due else None,
        gsi1sk=f"{sort_stamp(d.next_attempt_at)}#{d.id}" if due and d.next_attempt_at else None,
        delivery_id=d.id,
        endpoint_id=d.endpoint_id,
        partner_id=d.partner_id,
        event_id=d.event_id,
        event_type=d.event_type.value,
        subject_id=d.subject_id,
        created_at=d.created_at,
        status=d.status.value,
        attempts=[
            AttemptMap(
                number=a.number,
                at=a.at,
                status_code=a.status_code,
                duration_ms=a.duration_ms,
                response_body=a.response_body or None,
                error=a.error,
            )
            for a in d.attempts
        ]
        or None,
        next_attempt_at=d.next_attempt_at,
        version=d.version,
    )


def _delivery(r: Any) -> Delivery:
    return Delivery(
        id=r.delivery_id,
        endpoint_id=r.endpoint_id,
        partner_id=r.partner_id,
        event_id=r.event_id,
        event_type=EventType(r.event_type),
        subject_id=r.subject_id,
        created_at=r.created_at,
        status=DeliveryStatus(r.status),
        attempts=tuple(
            Attempt(
                int(a.number),
                a.at,
                int(a.status_code) if a.status_code is not None else None,
                int(a.duration_ms),
                a.response_body or "",
                a.error,
            )
            for a in r.attempts or ()
        ),
        next_attempt_at=r.next_attempt_at,
        version=int(r.version),
    )


class DynamoWebhookStore:
    FEED_KEYS = ("pk", "sk")

    # ---------------------------------------------------------------- endpoints

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        save_if(_endpoint_record(endpoint), EndpointRecord.pk.does_not_exist(), "this endpoint exists already")

    def save_endpoint(self, endpoint: WebhookEndpoint, *, expected_version: int) -> None:
        save_if(
            _endpoint_record(endpoint),
            EndpointRecord.version == expected_version,
            "the endpoint was changed by someone else; read it again",
        )

    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint | None:
        found = reads.get(EndpointRecord, _endpoint_key(endpoint_id), "ENDPOINT")
        return _endpoint(found) if found else None

    def endpoints_of(self, partner_id: str) -> list[WebhookEndpoint]:
        records = reads.query(
            EndpointRecord,
            f"PARTNER#{partner_id}#ENDPOINTS",
            index=EndpointRecord.gsi2,
            scan_index_forward=True,
            limit=MAX_ENDPOINTS_PER_PARTNER + 1,
        )
        return [_endpoint(r) for r in records]

    # ---------------------------------------------------------------- events

    def get_event(self, partner_id: str, event_id: str) -> Event | None:
        found = reads.get(EventRecord, feed_key(partner_id), event_id)
        return event(found) if found else None

    def feed(
        self, partner_id: str, *, since: str, types: frozenset[EventType] | None, page: PageRequest
    ) -> Page[Event]:
        return query_page(
            EventRecord,
            feed_key(partner_id),
            key_names=self.FEED_KEYS,
            page=page,
            to_domain=event,
            newest_first=False,
            range_condition=EventRecord.sk >= since,
            filter_condition=EventRecord.event_type.is_in(*sorted(t.value for t in types)) if types else None,
        )

    def undispatched(self, limit: int) -> list[Event]:
        records = reads.query(
            EventRecord, OUTBOX, index=EventRecord.gsi1, scan_index_forward=True, limit=limit, page_size=limit
        )
        return [event(r) for r in records]

    def dispatch(self, e: Event, deliveries: Sequence[Delivery]) -> bool:
        return self._leave_outbox([e], deliveries)

    def dispatch_unwanted(self, events: Sequence[Event]) -> bool:
        return self._leave_outbox(events, ())

    def _leave_outbox(self, events: Sequence[Event], deliveries: Sequence[Delivery]) -> bool:
        """The events out of the outbox and the deliveries created, in one transaction; False if another
        worker dispatched one of the events first (then nothing changed)."""
        try:
            with TransactWrite(connection=connection(EventRecord)) as tx:
                for e in events:
                    tx.update(
                        EventRecord(pk=feed_key(e.partner_id), sk=e.id),
                        actions=[EventRecord.gsi1pk.remove(), EventRecord.gsi1sk.remove()],
                        condition=EventRecord.gsi1pk == OUTBOX,
                    )
                for delivery in deliveries:
                    tx.save(_delivery_record(delivery), condition=DeliveryRecord.pk.does_not_exist())
        except TransactWriteError as exc:
            # The events' conditions come first in the cancellation reasons; a delivery's is a real error.
            reasons = (exc.cancellation_reasons or [])[: len(events)]
            if any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons):
                return False
            raise
        return True

    # ---------------------------------------------------------------- deliveries

    def add_delivery(self, delivery: Delivery) -> None:
        save_if(_delivery_record(delivery), DeliveryRecord.pk.does_not_exist(), "this delivery exists already")

    def save_delivery(self, delivery: Delivery, *, expected_version: int) -> None:
        save_if(_delivery_record(delivery), DeliveryRecord.version == expected_version, "the delivery moved on")

    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None:
        found = reads.get(DeliveryRecord, _endpoint_key(endpoint_id), f"DELIVERY#{delivery_id}")
        return _delivery(found) if found else None

    def due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        records = reads.query(
            DeliveryRecord,
            DUE,
            DeliveryRecord.gsi1sk <= f"{sort_stamp(now)}#~",
            index=DeliveryRecord.gsi1,
            scan_index_forward=True,
            limit=limit,
            page_size=limit,
        )
        return [_delivery(r) for r in records]

    def deliveries_of(self, endpoint_id: str, page: PageRequest) -> Page[Delivery]:
        return query_page(
            DeliveryRecord,
            _endpoint_key(endpoint_id),
            key_names=("pk", "sk"),
            page=page,
            to_domain=_delivery,
            range_condition=DeliveryRecord.sk.startswith("DELIVERY#"),
        )
