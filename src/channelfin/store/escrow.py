"""Escrow agreements on DynamoDB (the partners table).

  ESCROW#<id>    / ESCROW             the agreement      gsi1: PUBLISHER#<p>#ESCROWS / <signedAt>#<id>

Access pattern: agreement by id (GetItem). A change is a put conditioned on the version read.
An item of the old form (the agreement as one JSON `body`) is read by `legacy_json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from channelfin.domain.escrow import EscrowAgreement, EscrowEvent, EscrowStatus, Notification
from channelfin.domain.events import Event
from channelfin.store import legacy_json, reads
from channelfin.store.dynamo import (
    IsoDateTimeAttribute,
    PartnersTableItem,
    TableMeta,
    put_with_copies,
    save_if,
    sort_stamp,
)
from channelfin.store.outbox import outbox_items


class EscrowEventMap(MapAttribute[str, Any]):
    step = UnicodeAttribute()
    at = IsoDateTimeAttribute()
    actor = UnicodeAttribute()
    note = UnicodeAttribute(null=True)


class NotificationMap(MapAttribute[str, Any]):
    recipient_id = UnicodeAttribute()
    recipient_kind = UnicodeAttribute()
    subject = UnicodeAttribute()
    sent_at = IsoDateTimeAttribute()
    contract_id = UnicodeAttribute(null=True)


class EscrowRecord(PartnersTableItem):
    """An escrow agreement (the partners table)."""

    class Meta(TableMeta):
        table_name = "partners"

    leaser_id = UnicodeAttribute()
    publisher_id = UnicodeAttribute()
    host_id = UnicodeAttribute()
    continuity_provider_id = UnicodeAttribute()
    products = ListAttribute(of=UnicodeAttribute)
    deposit_reference = UnicodeAttribute()
    last_deposit_at = IsoDateTimeAttribute()
    signed_at = IsoDateTimeAttribute()
    signed_by = UnicodeAttribute()
    status = UnicodeAttribute()
    default_reason = UnicodeAttribute(null=True)
    declared_by = UnicodeAttribute(null=True)
    declarations = NumberAttribute(default=0)
    confirmed_by = UnicodeAttribute(null=True)
    deposit_released_at = IsoDateTimeAttribute(null=True)
    history = ListAttribute(of=EscrowEventMap, default=list)
    notifications = ListAttribute(of=NotificationMap, default=list)
    taken_over = ListAttribute(of=UnicodeAttribute, default=list)  # contracts now under continuity
    task_token = UnicodeAttribute(null=True)
    version = NumberAttribute()
    legacy_body = UnicodeAttribute(null=True, attr_name="body")  # the old form, never written


def _record(a: EscrowAgreement) -> EscrowRecord:
    return EscrowRecord(
        pk=f"ESCROW#{a.id}",
        sk="ESCROW",
        gsi1pk=f"PUBLISHER#{a.publisher_id}#ESCROWS",
        gsi1sk=f"{sort_stamp(a.signed_at)}#{a.id}",
        leaser_id=a.leaser_id,
        publisher_id=a.publisher_id,
        host_id=a.host_id,
        continuity_provider_id=a.continuity_provider_id,
        products=list(a.products),
        deposit_reference=a.deposit_reference,
        last_deposit_at=a.last_deposit_at,
        signed_at=a.signed_at,
        signed_by=a.signed_by,
        status=a.status.value,
        default_reason=a.default_reason,
        declared_by=a.declared_by,
        declarations=a.declarations,
        confirmed_by=a.confirmed_by,
        deposit_released_at=a.deposit_released_at,
        history=[EscrowEventMap(step=e.step, at=e.at, actor=e.actor, note=e.note) for e in a.history],
        notifications=[
            NotificationMap(
                recipient_id=n.recipient_id,
                recipient_kind=n.recipient_kind,
                subject=n.subject,
                sent_at=n.sent_at,
                contract_id=n.contract_id,
            )
            for n in a.notifications
        ],
        taken_over=list(a.taken_over),
        task_token=a.task_token,
        version=a.version,
    )


def _escrow(record: Any) -> EscrowAgreement:
    agreement_id = record.pk.removeprefix("ESCROW#")
    if record.legacy_body is not None:
        return legacy_json.escrow(record.legacy_body, agreement_id=agreement_id, version=int(record.version))
    return EscrowAgreement(
        id=agreement_id,
        leaser_id=record.leaser_id,
        publisher_id=record.publisher_id,
        host_id=record.host_id,
        continuity_provider_id=record.continuity_provider_id,
        products=tuple(record.products),
        deposit_reference=record.deposit_reference,
        last_deposit_at=record.last_deposit_at,
        signed_at=record.signed_at,
        signed_by=record.signed_by,
        status=EscrowStatus(record.status),
        default_reason=record.default_reason,
        declared_by=record.declared_by,
        declarations=int(record.declarations),
        confirmed_by=record.confirmed_by,
        deposit_released_at=record.deposit_released_at,
        history=tuple(EscrowEvent(e.step, e.at, e.actor, e.note) for e in record.history),
        notifications=tuple(
            Notification(n.recipient_id, n.recipient_kind, n.subject, n.sent_at, n.contract_id)
            for n in record.notifications
        ),
        taken_over=tuple(record.taken_over),
        task_token=record.task_token,
        version=int(record.version),
    )


class DynamoEscrowRepository:
    def add(self, agreement: EscrowAgreement) -> None:
        _record(agreement).save(condition=EscrowRecord.pk.does_not_exist())

    def save(self, agreement: EscrowAgreement, *, expected_version: int, events: Sequence[Event] = ()) -> None:
        condition, conflict = (
            EscrowRecord.version == expected_version,
            "the escrow agreement was changed by someone else",
        )
        if events:  # with its events (the outbox), in one transaction
            put_with_copies(_record(agreement), condition, [], conflict, also=outbox_items(events))
        else:
            save_if(_record(agreement), condition, conflict)

    def get(self, agreement_id: str) -> EscrowAgreement | None:
        found = reads.get(EscrowRecord, f"ESCROW#{agreement_id}", "ESCROW")
        return _escrow(found) if found else None
