"""Escrow agreements on DynamoDB (the partners table).

  ESCROW#<id>    / ESCROW             the agreement      gsi1: PUBLISHER#<p>#ESCROWS / <signedAt>#<id>

Access pattern: agreement by id (GetItem). A change is a put conditioned on the version read.
"""

from __future__ import annotations

import json
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from channelfin.domain.escrow import EscrowAgreement, EscrowEvent, EscrowStatus, Notification
from channelfin.store import reads
from channelfin.store.dynamo import Gsi1, TableMeta, save_if, sort_stamp


class EscrowRecord(Model):
    """An escrow agreement (the partners table)."""

    class Meta(TableMeta):
        table_name = "partners"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()
    body = UnicodeAttribute(null=True)  # JSON
    version = NumberAttribute(null=True)


def _escrow_body(a: EscrowAgreement) -> str:
    return json.dumps(
        {
            "leaserId": a.leaser_id,
            "publisherId": a.publisher_id,
            "hostId": a.host_id,
            "continuityProviderId": a.continuity_provider_id,
            "products": list(a.products),
            "depositReference": a.deposit_reference,
            "lastDepositAt": a.last_deposit_at.isoformat(),
            "signedAt": a.signed_at.isoformat(),
            "signedBy": a.signed_by,
            "status": a.status.value,
            "defaultReason": a.default_reason,
            "declaredBy": a.declared_by,
            "declarations": a.declarations,
            "confirmedBy": a.confirmed_by,
            "depositReleasedAt": a.deposit_released_at.isoformat() if a.deposit_released_at else None,
            "history": [[e.step, e.at.isoformat(), e.actor, e.note] for e in a.history],
            "notifications": [
                [n.recipient_id, n.recipient_kind, n.subject, n.sent_at.isoformat(), n.contract_id]
                for n in a.notifications
            ],
            "takenOver": list(a.taken_over),
            "taskToken": a.task_token,
        }
    )


def _escrow(record: EscrowRecord) -> EscrowAgreement:
    d = json.loads(record.body)
    when = datetime.fromisoformat
    return EscrowAgreement(
        id=record.pk.removeprefix("ESCROW#"),
        leaser_id=d["leaserId"],
        publisher_id=d["publisherId"],
        host_id=d["hostId"],
        continuity_provider_id=d["continuityProviderId"],
        products=tuple(d["products"]),
        deposit_reference=d["depositReference"],
        last_deposit_at=when(d["lastDepositAt"]),
        signed_at=when(d["signedAt"]),
        signed_by=d["signedBy"],
        status=EscrowStatus(d["status"]),
        default_reason=d["defaultReason"],
        declared_by=d["declaredBy"],
        declarations=int(d["declarations"]),
        confirmed_by=d["confirmedBy"],
        deposit_released_at=when(d["depositReleasedAt"]) if d["depositReleasedAt"] else None,
        history=tuple(EscrowEvent(step, when(at), actor, note) for step, at, actor, note in d["history"]),
        notifications=tuple(Notification(r, k, s, when(at), c) for r, k, s, at, c in d["notifications"]),
        taken_over=tuple(d["takenOver"]),
        task_token=d["taskToken"],
        version=int(record.version),
    )


class DynamoEscrowRepository:
    def _record(self, a: EscrowAgreement) -> EscrowRecord:
        return EscrowRecord(
            pk=f"ESCROW#{a.id}",
            sk="ESCROW",
            gsi1pk=f"PUBLISHER#{a.publisher_id}#ESCROWS",
            gsi1sk=f"{sort_stamp(a.signed_at)}#{a.id}",
            body=_escrow_body(a),
            version=a.version,
        )

    def add(self, agreement: EscrowAgreement) -> None:
        self._record(agreement).save(condition=EscrowRecord.pk.does_not_exist())

    def save(self, agreement: EscrowAgreement, *, expected_version: int) -> None:
        save_if(
            self._record(agreement),
            EscrowRecord.version == expected_version,
            "the escrow agreement was changed by someone else",
        )

    def get(self, agreement_id: str) -> EscrowAgreement | None:
        found = reads.get(EscrowRecord, f"ESCROW#{agreement_id}", "ESCROW")
        return _escrow(found) if found else None
