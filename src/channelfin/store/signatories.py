"""End clients' confirmed signatories on DynamoDB (the contracts table, in no index).

  SIGNATORY#<siren> / SIGNATORY   who signs for that end client, as an analyst confirmed it

A new confirmation replaces the last (a company changes its signatory); the audit trail keeps
each confirmation with its author.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from channelfin.domain.signatories import Signatory
from channelfin.store import reads
from channelfin.store.dynamo import ContractsTableItem, TableMeta


class SignatoryRecord(ContractsTableItem):
    class Meta(TableMeta):
        table_name = "contracts"

    siren = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    confirmed_by = UnicodeAttribute()
    confirmed_at = UTCDateTimeAttribute()


def _pk(siren: str) -> str:
    return f"SIGNATORY#{siren}"


def _signatory(record: Any) -> Signatory:
    return Signatory(
        siren=record.siren,
        name=record.name,
        email=record.email,
        confirmed_by=record.confirmed_by,
        confirmed_at=record.confirmed_at,
    )


class DynamoSignatories:
    """The part of the contract repository that keeps end clients' signatories."""

    def signatory(self, siren: str) -> Signatory | None:
        found = reads.get(SignatoryRecord, _pk(siren), "SIGNATORY")
        return _signatory(found) if found else None

    def confirm_signatory(self, signatory: Signatory) -> None:
        SignatoryRecord(
            pk=_pk(signatory.siren),
            sk="SIGNATORY",
            siren=signatory.siren,
            name=signatory.name,
            email=signatory.email,
            confirmed_by=signatory.confirmed_by,
            confirmed_at=signatory.confirmed_at,
        ).save()
