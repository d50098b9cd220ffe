"""The audit trail on DynamoDB: one item per mutation in the partners table, one partition per UTC day;
and the ids of the e-signature events already processed.

  AUDIT#<yyyy-mm-dd> / <at>#<id>    the entry (JSON document)
  WEBHOOK#<event id> / EVENT        an e-signature event processed (replays are dropped)

Access patterns: a day's entries newest first (Query on the day's key, paged); whether an
event was processed (Query on its key, limit 1).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from channelfin.domain.audit import AuditEntry, AuditOutcome
from channelfin.services.paging import Page, PageRequest
from channelfin.store.dynamo import Gsi1, TableMeta, query_page, sort_stamp


class AuditRecord(Model):
    """Audit entries and the e-signature events processed (the partners table)."""

    class Meta(TableMeta):
        table_name = "partners"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()
    body = UnicodeAttribute(null=True)  # JSON
    version = NumberAttribute(null=True)


def _day_key(day: date) -> str:
    return f"AUDIT#{day.isoformat()}"


def _entry(record: AuditRecord) -> AuditEntry:
    d = json.loads(record.body)
    return AuditEntry(
        id=d["id"],
        at=datetime.fromisoformat(d["at"]),
        actor=d["actor"],
        roles=tuple(d["roles"]),
        partner_id=d["partnerId"],
        operation=d["operation"],
        outcome=AuditOutcome(d["outcome"]),
        arguments=d["arguments"],
        codes=tuple(d["codes"]),
    )


class DynamoAuditLog:
    def record(self, entry: AuditEntry) -> None:
        body = {
            "id": entry.id,
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "roles": list(entry.roles),
            "partnerId": entry.partner_id,
            "operation": entry.operation,
            "outcome": entry.outcome.value,
            "arguments": entry.arguments,
            "codes": list(entry.codes),
        }
        day = entry.at.astimezone(UTC).date()
        AuditRecord(pk=_day_key(day), sk=f"{sort_stamp(entry.at)}#{entry.id}", body=json.dumps(body)).save(
            condition=AuditRecord.pk.does_not_exist()
        )

    def entries_of_day(self, day: date, page: PageRequest) -> Page[AuditEntry]:
        return query_page(AuditRecord, _day_key(day), key_names=("pk", "sk"), page=page, to_domain=_entry)


class DynamoWebhookEvents:
    """Ids of the e-signature events already processed (partners table, WEBHOOK#<id>), for replay protection."""

    def seen(self, event_id: str) -> bool:
        return AuditRecord.count(f"WEBHOOK#{event_id}", AuditRecord.sk == "EVENT", limit=1) > 0

    def remember(self, event_id: str, at: datetime) -> None:
        AuditRecord(pk=f"WEBHOOK#{event_id}", sk="EVENT", body=json.dumps({"at": at.isoformat()})).save()
