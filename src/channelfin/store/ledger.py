"""Ledger entries on DynamoDB (in the payouts table, beside the payouts they journal).

  ENTRY#<fact>   / HOLDER#<partner>   one party's entry  gsi1: LEDGER#<partner> / <at>#<fact>
                                                         gsi3: JOURNAL / <at>#<fact>#<partner>

A fact (a payout scheduled, paid, failed, cancelled, an offset) has one entry in the books of
each party it concerns, written in the same transaction as the payout's change, never
changed afterwards (a condition refuses a second write of the same fact). Access patterns:
a party's entries up to a time (Query gsi1), every entry up to a time for the trial balance
(Query gsi3: one partition, in time order).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from channelfin.domain.ledger import Account, Entry, Line
from channelfin.store import reads
from channelfin.store.dynamo import PayoutsTableItem, TableMeta, sort_stamp


class LineMap(MapAttribute[str, Any]):
    account = UnicodeAttribute()  # Account.key: holder|TYPE|counterparty|kind
    debit = NumberAttribute()  # cents
    credit = NumberAttribute()


class LedgerEntryRecord(PayoutsTableItem):
    class Meta(TableMeta):
        table_name = "payouts"

    entry_id = UnicodeAttribute()
    holder = UnicodeAttribute()
    counterparty = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    description = UnicodeAttribute()
    currency = UnicodeAttribute()
    payout_id = UnicodeAttribute(null=True)
    contract_id = UnicodeAttribute(null=True)
    run_id = UnicodeAttribute(null=True)
    lines = ListAttribute(of=LineMap)


def entry_record(entry: Entry) -> LedgerEntryRecord:
    stamp = sort_stamp(entry.at)
    return LedgerEntryRecord(
        pk=f"ENTRY#{entry.id}",
        sk=f"HOLDER#{entry.holder}",
        gsi1pk=f"LEDGER#{entry.holder}",
        gsi1sk=f"{stamp}#{entry.id}",
        gsi3pk="JOURNAL",
        gsi3sk=f"{stamp}#{entry.id}#{entry.holder}",
        entry_id=entry.id,
        holder=entry.holder,
        counterparty=entry.counterparty,
        at=entry.at,
        description=entry.description,
        currency=entry.currency,
        payout_id=entry.payout_id,
        contract_id=entry.contract_id,
        run_id=entry.run_id,
        lines=[LineMap(account=line.account.key, debit=line.debit, credit=line.credit) for line in entry.lines],
    )


def _entry(record: Any) -> Entry:
    return Entry(
        id=record.entry_id,
        holder=record.holder,
        counterparty=record.counterparty,
        at=record.at,
        description=record.description,
        lines=tuple(Line(Account.parse(line.account), int(line.debit), int(line.credit)) for line in record.lines),
        currency=record.currency,
        payout_id=record.payout_id,
        contract_id=record.contract_id,
        run_id=record.run_id,
    )


class DynamoLedger:
    def entries_of(self, holder: str, *, until: datetime | None = None) -> list[Entry]:
        """A party's entries, oldest first (up to `until` included, when given)."""
        condition = LedgerEntryRecord.gsi1sk <= f"{sort_stamp(until)}#~" if until is not None else None
        records = reads.query(
            LedgerEntryRecord, f"LEDGER#{holder}", condition, index=LedgerEntryRecord.gsi1, scan_index_forward=True
        )
        return [_entry(r) for r in records]

    def journal_until(self, at: datetime) -> list[Entry]:
        """Every entry of every party up to `at` included, in time order."""
        condition = LedgerEntryRecord.gsi3sk <= f"{sort_stamp(at)}#~"
        records = reads.query(
            LedgerEntryRecord, "JOURNAL", condition, index=LedgerEntryRecord.gsi3, scan_index_forward=True
        )
        return [_entry(r) for r in records]
