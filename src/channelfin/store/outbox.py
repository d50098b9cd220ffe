"""The outbox on DynamoDB (the events table): each partner's copy of an event, written with its fact.

  FEED#<partnerId> / <eventId>        one partner's copy    gsi1: OUTBOX / <eventId>#<partnerId>
                                                            (sparse: until handed to its endpoints)

The aggregates whose writes cause events (contracts, payouts, escrow agreements, credit
lines) put these items in the same TransactWriteItems as the fact (`outbox_items`), each
conditioned on not existing: the fact and its events are written together or not at all.
Event ids sort by time, so a partner's feed (`events(since:)`) is one Query on its partition
and the undispatched events one Query on the OUTBOX index, oldest first. In AWS the table's
stream carries each new item to the delivery queue; `channelfin dev` polls the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model

from channelfin.domain.events import Event, EventType
from channelfin.store.dynamo import Gsi1, Gsi2, TableMeta

OUTBOX = "OUTBOX"


class EventsTableItem(Model):
    """The keys and indexes every record of the events table declares alike (sparse indexes)."""

    class Meta(TableMeta):
        table_name = "events"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()
    gsi2 = Gsi2()


class EventRecord(EventsTableItem):
    class Meta(TableMeta):
        table_name = "events"

    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    subject_id = UnicodeAttribute()
    body = UnicodeAttribute()  # the exact JSON delivered, so a redelivery sends the same bytes


def feed_key(partner_id: str) -> str:
    return f"FEED#{partner_id}"


def event_record(event: Event) -> EventRecord:
    return EventRecord(
        pk=feed_key(event.partner_id),
        sk=event.id,
        gsi1pk=OUTBOX,
        gsi1sk=f"{event.id}#{event.partner_id}",
        event_id=event.id,
        event_type=event.type.value,
        partner_id=event.partner_id,
        at=event.at,
        subject_id=event.subject_id,
        body=event.body,
    )


def outbox_items(events: Iterable[Event]) -> list[tuple[Model, Condition | None]]:
    """The events as items for a fact's transaction (`put_with_copies(also=...)` or `tx.save`)."""
    return [(event_record(e), EventRecord.pk.does_not_exist()) for e in events]


def event(record: Any) -> Event:
    return Event(
        id=record.event_id,
        type=EventType(record.event_type),
        partner_id=record.partner_id,
        at=record.at,
        subject_id=record.subject_id,
        body=record.body,
    )
