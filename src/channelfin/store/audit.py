"""The audit trail on DynamoDB: one item per mutation in the partners table, one partition per UTC day;
and the ids of the e-signature events already processed.

  AUDIT#<yyyy-mm-dd> / <at>#<id>    the entry
  WEBHOOK#<event id> / EVENT        an e-signature event processed (replays are dropped)

Access patterns: a day's entries newest first (Query on the day's key, paged); whether an
event was processed (Query on its key, limit 1). An entry of the old form (one JSON `body`)
is read by `legacy_json`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from pynamodb.attributes import ListAttribute, UnicodeAttribute

from channelfin.domain.audit import AuditEntry, AuditOutcome
from channelfin.services.paging import Page, PageRequest
from channelfin.store import legacy_json
from channelfin.store.dynamo import IsoDateTimeAttribute, PartnersTableItem, TableMeta, query_page, sort_stamp


class AuditRecord(PartnersTableItem):
    """Audit entries and the e-signature events processed (the partners table)."""

    class Meta(TableMeta):
        table_name = "partners"

    at = IsoDateTimeAttribute(null=True)  # an entry's, or when an event was processed
    entry_id = UnicodeAttribute(null=True)
    actor = UnicodeAttribute(null=True)
    roles = ListAttribute(of=UnicodeAttribute, null=True)
    partner_id = UnicodeAttribute(null=True)
    operation = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute(null=True)
    arguments = UnicodeAttribute(null=True)  # JSON as the domain keeps it (the client's arguments, cut)
    codes = ListAttribute(of=UnicodeAttribute, null=True)
    legacy_body = UnicodeAttribute(null=True, attr_name="body")  # the old form, never written


def _day_key(day: date) -> str:
    return f"AUDIT#{day.isoformat()}"


def _entry(record: Any) -> AuditEntry:
    if record.legacy_body is not None:
        return legacy_json.audit_entry(record.legacy_body)
    return AuditEntry(
        id=record.entry_id,
        at=record.at,
        actor=record.actor,
        roles=tuple(record.roles or ()),
        partner_id=record.partner_id,
        operation=record.operation,
        outcome=AuditOutcome(record.outcome),
        arguments=record.arguments,
        codes=tuple(record.codes or ()),
    )


class DynamoAuditLog:
    def record(self, entry: AuditEntry) -> None:
        day = entry.at.astimezone(UTC).date()
        AuditRecord(
            pk=_day_key(day),
            sk=f"{sort_stamp(entry.at)}#{entry.id}",
            at=entry.at,
            entry_id=entry.id,
            actor=entry.actor,
            roles=list(entry.roles),
            partner_id=entry.partner_id,
            operation=entry.operation,
            outcome=entry.outcome.value,
            arguments=entry.arguments,
            codes=list(entry.codes),
        ).save(condition=AuditRecord.pk.does_not_exist())

    def entries_of_day(self, day: date, page: PageRequest) -> Page[AuditEntry]:
        return query_page(AuditRecord, _day_key(day), key_names=("pk", "sk"), page=page, to_domain=_entry)


class DynamoWebhookEvents:
    """Ids of the e-signature events already processed (partners table, WEBHOOK#<id>), for replay protection."""

    def seen(self, event_id: str) -> bool:
        return AuditRecord.count(f"WEBHOOK#{event_id}", AuditRecord.sk == "EVENT", limit=1) > 0

    def remember(self, event_id: str, at: datetime) -> None:
        AuditRecord(pk=f"WEBHOOK#{event_id}", sk="EVENT", at=at).save()
