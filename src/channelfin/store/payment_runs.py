"""Payment runs on DynamoDB (in the payouts table, beside the payouts they pay).

  RUN#<id>       / RUN                the run            gsi1: RUNS#<payer> / <startedAt>#<id>
  RUN#<id>       / TRANSFER#<pid>     one counterparty's transfer (with its netting plan)

The run's id is deterministic (payer, `upTo`, scope), so starting it twice finds the first.
Access patterns: a run by id (GetItem), a payer's runs (Query gsi1), a run's transfers
(Query the run's partition, in counterparty order).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import UpdateError

from channelfin.domain.errors import Conflict
from channelfin.domain.money import Money
from channelfin.domain.payment_runs import Netting, Offset, PaymentRun, RunStatus, Transfer, TransferStatus
from channelfin.domain.payouts import PayoutKind
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.dynamo import (
    PayoutsTableItem,
    TableMeta,
    condition_failed,
    query_page,
    save_if,
    sort_stamp,
)


class PaymentRunRecord(PayoutsTableItem):
    class Meta(TableMeta):
        table_name = "payouts"

    run_id = UnicodeAttribute()
    payer_id = UnicodeAttribute()
    up_to = UTCDateTimeAttribute()
    requested_by = UnicodeAttribute()
    started_at = UTCDateTimeAttribute()
    status = UnicodeAttribute()
    kinds = UnicodeSetAttribute(null=True)
    program_id = UnicodeAttribute(null=True)
    counterparties = ListAttribute(of=UnicodeAttribute, null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    paid_count = NumberAttribute(default=0)
    paid_cents = NumberAttribute(default=0)
    failed_count = NumberAttribute(default=0)
    netted_cents = NumberAttribute(default=0)
    currency = UnicodeAttribute(default="EUR")
    failure = UnicodeAttribute(null=True)
    claimed_at = UTCDateTimeAttribute(null=True)


class OffsetMap(MapAttribute[str, Any]):
    owed_by_payer = UnicodeAttribute()
    owed_to_payer = UnicodeAttribute()
    cents = NumberAttribute()


class PartMap(MapAttribute[str, Any]):
    payout_id = UnicodeAttribute()
    cents = NumberAttribute()


class TransferRecord(PayoutsTableItem):
    class Meta(TableMeta):
        table_name = "payouts"

    run_id = UnicodeAttribute()
    counterparty_id = UnicodeAttribute()
    payout_ids = ListAttribute(of=UnicodeAttribute, null=True)
    status = UnicodeAttribute()
    currency = UnicodeAttribute(default="EUR")
    amount_cents = NumberAttribute(null=True)
    netted_cents = NumberAttribute(null=True)
    paid_count = NumberAttribute(default=0)
    reference = UnicodeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute(null=True)
    requested_at = UTCDateTimeAttribute(null=True)
    planned = BooleanAttribute(default=False)
    offsets = ListAttribute(of=OffsetMap, null=True)
    parts = ListAttribute(of=PartMap, null=True)
    left_open = ListAttribute(of=PartMap, null=True)


def _run_record(run: PaymentRun) -> PaymentRunRecord:
    return PaymentRunRecord(
        pk=f"RUN#{run.id}",
        sk="RUN",
        gsi1pk=f"RUNS#{run.payer_id}",
        gsi1sk=f"{sort_stamp(run.started_at)}#{run.id}",
        run_id=run.id,
        payer_id=run.payer_id,
        up_to=run.up_to,
        requested_by=run.requested_by,
        started_at=run.started_at,
        status=run.status.value,
        kinds={k.value for k in run.kinds} if run.kinds else None,
        program_id=run.program_id,
        counterparties=list(run.counterparties) or None,
        finished_at=run.finished_at,
        paid_count=run.paid_count,
        paid_cents=run.paid.to_cents(),
        failed_count=run.failed_count,
        netted_cents=run.netted.to_cents(),
        currency=run.paid.currency,
        failure=run.failure,
        claimed_at=run.claimed_at,
    )


def _run(record: Any) -> PaymentRun:
    currency = record.currency
    return PaymentRun(
        id=record.run_id,
        payer_id=record.payer_id,
        up_to=record.up_to,
        requested_by=record.requested_by,
        started_at=record.started_at,
        status=RunStatus(record.status),
        kinds=frozenset(PayoutKind(k) for k in record.kinds) if record.kinds else None,
        program_id=record.program_id,
        counterparties=tuple(record.counterparties or ()),
        finished_at=record.finished_at,
        paid_count=int(record.paid_count),
        paid=Money.from_cents(int(record.paid_cents), currency),
        failed_count=int(record.failed_count),
        netted=Money.from_cents(int(record.netted_cents), currency),
        failure=record.failure,
        claimed_at=record.claimed_at,
    )


def _cents(money: Money | None) -> int | None:
    return money.to_cents() if money is not None else None


def _transfer_record(t: Transfer) -> TransferRecord:
    netting = t.netting
    return TransferRecord(
        pk=f"RUN#{t.run_id}",
        sk=f"TRANSFER#{t.counterparty_id}",
        run_id=t.run_id,
        counterparty_id=t.counterparty_id,
        payout_ids=list(t.payout_ids) or None,
        status=t.status.value,
        currency=t.currency,
        amount_cents=_cents(t.amount),
        netted_cents=_cents(t.netted),
        paid_count=t.paid_count,
        reference=t.reference,
        failure_reason=t.failure_reason,
        at=t.at,
        requested_at=t.requested_at,
        planned=netting is not None,
        offsets=[
            OffsetMap(owed_by_payer=o.owed_by_payer, owed_to_payer=o.owed_to_payer, cents=o.amount.to_cents())
            for o in netting.offsets
        ]
        if netting
        else None,
        parts=[PartMap(payout_id=p, cents=m.to_cents()) for p, m in netting.transfers] if netting else None,
        left_open=[PartMap(payout_id=p, cents=m.to_cents()) for p, m in netting.left_open] if netting else None,
    )


def _transfer(record: Any) -> Transfer:
    currency = record.currency

    def money(cents: Any) -> Money | None:
        return Money.from_cents(int(cents), currency) if cents is not None else None

    netting = None
    if record.planned:
        parts = tuple((p.payout_id, Money.from_cents(int(p.cents), currency)) for p in record.parts or ())
        netting = Netting(
            offsets=tuple(
                Offset(o.owed_by_payer, o.owed_to_payer, Money.from_cents(int(o.cents), currency))
                for o in record.offsets or ()
            ),
            transfers=parts,
            transfer_total=Money.from_cents(sum(m.to_cents() for _, m in parts), currency),
            left_open=tuple((p.payout_id, Money.from_cents(int(p.cents), currency)) for p in record.left_open or ()),
        )
    return Transfer(
        run_id=record.run_id,
        counterparty_id=record.counterparty_id,
        payout_ids=tuple(record.payout_ids or ()),
        status=TransferStatus(record.status),
        currency=currency,
        amount=money(record.amount_cents),
        netted=money(record.netted_cents),
        paid_count=int(record.paid_count),
        reference=record.reference,
        failure_reason=record.failure_reason,
        at=record.at,
        requested_at=record.requested_at,
        netting=netting,
    )


class DynamoPaymentRuns:
    TRANSFER_KEYS = ("pk", "sk")

    def start(self, run: PaymentRun) -> tuple[PaymentRun, bool]:
        """Store a new run, or find the one already started under its id: (the run, whether it is new)."""
        try:
            save_if(_run_record(run), PaymentRunRecord.pk.does_not_exist(), f"run {run.id} exists")
        except Conflict:
            existing = self.get(run.id)
            assert existing is not None
            return existing, False
        return run, True

    def get(self, run_id: str) -> PaymentRun | None:
        found = reads.get(PaymentRunRecord, f"RUN#{run_id}", "RUN")
        return _run(found) if found else None

    def claim(self, run: PaymentRun, at: datetime) -> bool:
        record = PaymentRunRecord(pk=f"RUN#{run.id}", sk="RUN")
        claimed = PaymentRunRecord.claimed_at
        as_read = claimed.does_not_exist() if run.claimed_at is None else claimed == run.claimed_at
        try:
            record.update(
                actions=[claimed.set(at)],
                condition=(PaymentRunRecord.status == RunStatus.RUNNING.value) & as_read,
            )
        except UpdateError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def save(self, run: PaymentRun, *, expected: RunStatus) -> None:
        save_if(_run_record(run), PaymentRunRecord.status == expected.value, f"run {run.id} is no longer {expected}")

    def add_transfer(self, transfer: Transfer) -> None:
        """A counterparty's transfer of the run, once (`Conflict` if the run has it already)."""
        save_if(_transfer_record(transfer), TransferRecord.pk.does_not_exist(), "the transfer exists")

    def get_transfer(self, run_id: str, counterparty_id: str) -> Transfer | None:
        # Consistent: whether the bank was asked, or answered, decides whether its payouts may be released.
        found = reads.get(TransferRecord, f"RUN#{run_id}", f"TRANSFER#{counterparty_id}", consistent=True)
        return _transfer(found) if found else None

    def save_transfer(self, transfer: Transfer, *, expected: Transfer) -> None:
        """Replace the transfer as it was read: its status, whether it was planned, and whether the
        bank was asked or answered (two copies of a step, or a step and FailRun, never both write)."""
        condition = (TransferRecord.status == expected.status.value) & (
            TransferRecord.planned == (expected.netting is not None)
        )
        for attribute, value in ((TransferRecord.requested_at, expected.requested_at),
                                 (TransferRecord.reference, expected.reference)):  # fmt: skip
            condition &= attribute.does_not_exist() if value is None else attribute == value
        save_if(_transfer_record(transfer), condition, f"transfer {transfer.id} changed meanwhile")

    def transfers(self, run_id: str, page: PageRequest) -> Page[Transfer]:
        return query_page(
            TransferRecord,
            f"RUN#{run_id}",
            key_names=self.TRANSFER_KEYS,
            page=page,
            to_domain=_transfer,
            newest_first=False,
            range_condition=TransferRecord.sk.startswith("TRANSFER#"),
        )

    def all_transfers(self, run_id: str) -> list[Transfer]:
        records = reads.query(
            TransferRecord, f"RUN#{run_id}", TransferRecord.sk.startswith("TRANSFER#"), consistent=True
        )
        return [_transfer(r) for r in records]

    def runs_of(self, payer_id: str, page: PageRequest) -> Page[PaymentRun]:
        return query_page(
            PaymentRunRecord.gsi1,
            f"RUNS#{payer_id}",
            key_names=("pk", "sk", "gsi1pk", "gsi1sk"),
            page=page,
            to_domain=_run,
        )
