"""Payouts on DynamoDB (the payouts table), written with their ledger entries.

  PAYOUT#<id>    / PAYOUT             the payout         gsi1: BENEFICIARY#<pid> / <valueDate>#<id>
                                                         gsi2: CONTRACT#<cid> / <createdAt>#<id>
                                                         gsi3: PAYOUTS / <createdAt>#<id>
                                                         gsi4: OPEN#<payer> / <valueDate>#<id>
                                                               (sparse: open payouts a payment run pays)
                                                         gsi5: PAYER#<pid> / <valueDate>#<id>

Access patterns: payout by id (GetItem), payouts by id (BatchGetItem), a beneficiary's
payouts (Query gsi1; by value date for statements), a contract's payouts (Query gsi2,
beneficiary filtered for partners), all payouts (gsi3), what a payer owes and a run may pay
up to a date (Query gsi4), a payer's payouts (Query gsi5). A new payout's id is added to
every item of its contract in the same transaction.

Every change of a payout is written in one transaction with the ledger entries it makes
(`domain.payouts.journal`, `store.ledger`) and the events it causes (`store.outbox`: scheduled,
paid, failed), conditioned on the payout as it was read: its status, its settled part and the
run holding it. Items written before payers existed
(no `payer_id`) are completed by `services.migrations`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from channelfin.domain.errors import Conflict
from channelfin.domain.events import EventMaker, payout_events
from channelfin.domain.ledger import Entry
from channelfin.domain.money import Money
from channelfin.domain.payouts import WORKFLOW_KINDS, Payout, PayoutKind, PayoutStatus, journal
from channelfin.services.paging import Page, PageRequest
from channelfin.services.retry import MAX_WRITE_ATTEMPTS, backoff
from channelfin.store import reads
from channelfin.store.contracts import ContractRecord
from channelfin.store.dynamo import (
    PayoutsTableItem,
    TableMeta,
    condition_failed,
    connection,
    query_page,
    sort_stamp,
    transaction_refused,
)
from channelfin.store.ledger import LedgerEntryRecord, entry_record
from channelfin.store.outbox import outbox_items

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's TransactWriteItems limit


class PayoutRecord(PayoutsTableItem):
    class Meta(TableMeta):
        table_name = "payouts"

    payout_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    status = UnicodeAttribute()
    amount_cents = NumberAttribute()
    currency = UnicodeAttribute()
    beneficiary_id = UnicodeAttribute()
    payer_id = UnicodeAttribute(null=True)  # absent on items older than payers, until migrated
    contract_id = UnicodeAttribute(null=True)
    installment = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    due_by = UTCDateTimeAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    transfer_reference = UnicodeAttribute(null=True)
    program_id = UnicodeAttribute(null=True)
    enrollment_id = UnicodeAttribute(null=True)
    settled_cents = NumberAttribute(null=True)
    run_id = UnicodeAttribute(null=True)
    version = NumberAttribute(default=1)


def _payout(record: Any) -> Payout:
    currency = record.currency
    return Payout(
        id=record.payout_id,
        kind=PayoutKind(record.kind),
        status=PayoutStatus(record.status),
        amount=Money.from_cents(int(record.amount_cents), currency),
        beneficiary_id=record.beneficiary_id,
        payer_id=record.payer_id or "",
        created_at=record.created_at,
        contract_id=record.contract_id,
        installment=int(record.installment) if record.installment is not None else None,
        due_by=record.due_by,
        paid_at=record.paid_at,
        failure_reason=record.failure_reason,
        transfer_reference=record.transfer_reference,
        program_id=record.program_id,
        enrollment_id=record.enrollment_id,
        settled=Money.from_cents(int(record.settled_cents), currency) if record.settled_cents is not None else None,
        run_id=record.run_id,
    )


def _payout_record(payout: Payout) -> PayoutRecord:
    stamp = f"{sort_stamp(payout.created_at)}#{payout.id}"
    by_value_date = f"{sort_stamp(payout.value_date)}#{payout.id}"
    runs_pay_it = payout.is_open and payout.kind not in WORKFLOW_KINDS and bool(payout.payer_id)
    return PayoutRecord(
        pk=f"PAYOUT#{payout.id}",
        sk="PAYOUT",
        gsi1pk=f"BENEFICIARY#{payout.beneficiary_id}",
        gsi1sk=by_value_date,
        gsi2pk=f"CONTRACT#{payout.contract_id}" if payout.contract_id else None,
        gsi2sk=stamp if payout.contract_id else None,
        gsi3pk="PAYOUTS",
        gsi3sk=stamp,
        gsi4pk=f"OPEN#{payout.payer_id}" if runs_pay_it else None,
        gsi4sk=by_value_date if runs_pay_it else None,
        gsi5pk=f"PAYER#{payout.payer_id}" if payout.payer_id else None,
        gsi5sk=by_value_date if payout.payer_id else None,
        payout_id=payout.id,
        kind=payout.kind.value,
        status=payout.status.value,
        amount_cents=payout.amount.to_cents(),
        currency=payout.amount.currency,
        beneficiary_id=payout.beneficiary_id,
        payer_id=payout.payer_id or None,
        contract_id=payout.contract_id,
        installment=payout.installment,
        created_at=payout.created_at,
        due_by=payout.due_by,
        paid_at=payout.paid_at,
        failure_reason=payout.failure_reason,
        transfer_reference=payout.transfer_reference,
        program_id=payout.program_id,
        enrollment_id=payout.enrollment_id,
        settled_cents=payout.settled.to_cents() if payout.settled is not None else None,
        run_id=payout.run_id,
    )


def _item(payout: Payout) -> PayoutRecord:
    return PayoutRecord(pk=f"PAYOUT#{payout.id}", sk="PAYOUT")


def _free(run_id: str) -> Condition:
    """Open, and held by no run or by this one."""
    open_ = PayoutRecord.status.is_in(PayoutStatus.SCHEDULED.value, PayoutStatus.FAILED.value)
    return open_ & (PayoutRecord.run_id.does_not_exist() | (PayoutRecord.run_id == run_id))


def _as_read(before: Payout) -> Condition:
    """The payout is still as `before` was read: status, settled part, holding run."""
    condition = PayoutRecord.status == before.status.value
    settled = PayoutRecord.settled_cents
    condition &= settled.does_not_exist() if before.settled is None else settled == before.settled.to_cents()
    held = PayoutRecord.run_id
    condition &= held.does_not_exist() if before.run_id is None else held == before.run_id
    return condition


def _events(changes: Sequence[tuple[Payout | None, Payout]], at: datetime | None) -> list[Any]:
    """The events of these changes (`domain.events.payout_events`), at the time their entries bear."""
    when = at or max((p.paid_at or p.created_at for _, p in changes), default=None)
    if when is None:
        return []
    return payout_events(changes, EventMaker(when, lambda: uuid.uuid4().hex))


def new_payout_writes(tx: TransactWrite, payout: Payout) -> None:
    """A new payout, its ledger entries and its events (the outbox), written in `tx` (the payout must not exist yet)."""
    tx.save(_payout_record(payout), condition=PayoutRecord.pk.does_not_exist())
    for entry in journal(None, payout, payout.created_at):
        tx.save(entry_record(entry), condition=LedgerEntryRecord.pk.does_not_exist())
    for item, condition in outbox_items(_events([(None, payout)], payout.created_at)):
        tx.save(item, condition=condition)


class DynamoPayoutRepository:
    KEYS = {
        1: ("pk", "sk", "gsi1pk", "gsi1sk"),
        2: ("pk", "sk", "gsi2pk", "gsi2sk"),
        3: ("pk", "sk", "gsi3pk", "gsi3sk"),
        5: ("pk", "sk", "gsi5pk", "gsi5sk"),
    }

    def add(self, payout: Payout) -> None:
        """Store a new payout with its ledger entries and, in the same transaction, its id on every
        item of its contract.

        The contract's items carry their payout ids so that a page of contracts reads all its
        payouts with BatchGetItem instead of one Query per contract. The contract's version
        moves too, so a concurrent contract write (conditioned on the version) reads again.
        """
        for attempt in range(MAX_WRITE_ATTEMPTS):
            backoff(attempt)
            try:
                self._add_once(payout)
                return
            except TransactWriteError as exc:
                if self.get(payout.id, consistent=True) is not None:
                    raise Conflict(f"payout {payout.id} exists already") from exc
                # Refused by a concurrent transaction on the contract's items, or a copy of them
                # gone meanwhile (read again): nothing was written, so it is tried again.
                if not transaction_refused(exc) or attempt == MAX_WRITE_ATTEMPTS - 1:
                    raise

    def _add_once(self, payout: Payout) -> None:
        contract = self._contract_record(payout.contract_id)
        keys: list[str] = []
        if contract is not None:
            parties = {
                contract.owner_id,
                contract.publisher_id,
                contract.reseller_id,
                contract.program_partner_id,
                contract.support_provider_id,
            }
            keys = ["CONTRACT", *(f"PARTY#{p}" for p in sorted(p for p in parties if p))]
        with TransactWrite(connection=connection(PayoutRecord)) as tx:
            new_payout_writes(tx, payout)
            for sk in keys:
                tx.update(
                    ContractRecord(pk=f"CONTRACT#{payout.contract_id}", sk=sk),
                    actions=[ContractRecord.payout_ids.add({payout.id}), ContractRecord.version.add(1)],
                    condition=ContractRecord.pk.exists(),
                )

    @staticmethod
    def _contract_record(contract_id: str | None) -> Any | None:
        if contract_id is None:
            return None
        # Consistent: a retried add reads the contract's copies as they are now
        return reads.get(ContractRecord, f"CONTRACT#{contract_id}", "CONTRACT", consistent=True)

    def get_many(self, payout_ids: Iterable[str], *, consistent: bool = False) -> dict[str, Payout]:
        keys = [(f"PAYOUT#{p}", "PAYOUT") for p in payout_ids]
        return {p.id: p for p in map(_payout, reads.get_many(PayoutRecord, keys, consistent=consistent))}

    def save(self, payout: Payout, *, before: Payout, at: datetime) -> None:
        """Replace the payout as it was read (`before`), journaling the change; `Conflict` if it moved."""
        self.settle([(before, payout)], journal(before, payout, at))

    def settle(self, changes: Sequence[tuple[Payout, Payout]], entries: Sequence[Entry]) -> None:
        """Payouts changed as they were read, and these ledger entries, all in one transaction."""
        events = outbox_items(_events(changes, max((e.at for e in entries), default=None)))
        if len(changes) + len(entries) + len(events) > MAX_TRANSACTION_ITEMS:
            raise ValueError(f"{len(changes) + len(entries) + len(events)} items do not fit one transaction")
        try:
            with TransactWrite(connection=connection(PayoutRecord)) as tx:
                for before, after in changes:
                    tx.save(_payout_record(after), condition=_as_read(before))
                for entry in entries:
                    tx.save(entry_record(entry), condition=LedgerEntryRecord.pk.does_not_exist())
                for item, condition in events:
                    tx.save(item, condition=condition)
        except TransactWriteError as exc:
            moved = ", ".join(before.id for before, _ in changes)
            raise Conflict(f"payout {moved} changed meanwhile (or its entries were written)") from exc

    def hold(self, payouts: Sequence[Payout], run_id: str) -> list[Payout]:
        """Those of `payouts` still open and held by no other run, now held by the run.

        A hundred conditional updates per transaction: the items whose condition failed are
        dropped and the rest tried again (the transaction wrote nothing); any other failure
        (a transaction conflict) falls back to one update per item.
        """
        held: list[Payout] = []
        for start in range(0, len(payouts), MAX_TRANSACTION_ITEMS):
            pending = list(payouts[start : start + MAX_TRANSACTION_ITEMS])
            while pending:
                try:
                    with TransactWrite(connection=connection(PayoutRecord)) as tx:
                        for payout in pending:
                            tx.update(_item(payout), actions=[PayoutRecord.run_id.set(run_id)], condition=_free(run_id))
                except TransactWriteError as exc:
                    reasons = exc.cancellation_reasons
                    taken = {n for n, r in enumerate(reasons) if r and r.code == "ConditionalCheckFailed"}
                    if not taken:
                        held += [h for p in pending if (h := self._hold_one(p, run_id)) is not None]
                        break
                    pending = [p for n, p in enumerate(pending) if n not in taken]
                    continue
                held += [p.held_by(run_id) for p in pending]
                break
        return held

    @staticmethod
    def _hold_one(payout: Payout, run_id: str) -> Payout | None:
        try:
            _item(payout).update(actions=[PayoutRecord.run_id.set(run_id)], condition=_free(run_id))
        except UpdateError as exc:
            if condition_failed(exc):
                return None
            raise
        return payout.held_by(run_id)

    def release(self, payout: Payout, run_id: str) -> None:
        """No longer held by the run (a run that failed, a transfer that did not go through)."""
        try:
            _item(payout).update(actions=[PayoutRecord.run_id.remove()], condition=PayoutRecord.run_id == run_id)
        except UpdateError as exc:
            if not condition_failed(exc):
                raise

    def get(self, payout_id: str, *, consistent: bool = False) -> Payout | None:
        found = reads.get(PayoutRecord, f"PAYOUT#{payout_id}", "PAYOUT", consistent=consistent)
        return _payout(found) if found else None

    def find(self, *, contract_id: str | None, beneficiary_id: str | None, page: PageRequest) -> Page[Payout]:
        """A page of the payouts (of a contract, of a beneficiary, or all), newest first."""
        if contract_id is not None:
            return query_page(
                PayoutRecord.gsi2,
                f"CONTRACT#{contract_id}",
                key_names=self.KEYS[2],
                page=page,
                to_domain=_payout,
                filter_condition=(PayoutRecord.beneficiary_id == beneficiary_id) if beneficiary_id else None,
            )
        if beneficiary_id is not None:
            return query_page(
                PayoutRecord.gsi1,
                f"BENEFICIARY#{beneficiary_id}",
                key_names=self.KEYS[1],
                page=page,
                to_domain=_payout,
            )
        return query_page(PayoutRecord.gsi3, "PAYOUTS", key_names=self.KEYS[3], page=page, to_domain=_payout)

    def of_payer(self, payer_id: str, page: PageRequest) -> Page[Payout]:
        """A page of what a partner pays (or owes), newest value date first."""
        return query_page(PayoutRecord.gsi5, f"PAYER#{payer_id}", key_names=self.KEYS[5], page=page, to_domain=_payout)

    def of_party_between(self, partner_id: str, start: datetime, end: datetime) -> list[Payout]:
        """A partner's payouts, paid to it or by it, whose value date is in [start, end), oldest first."""
        window = (sort_stamp(start), sort_stamp(end))
        found: dict[str, Payout] = {}
        for index, sort_key, prefix in (
            (PayoutRecord.gsi1, PayoutRecord.gsi1sk, "BENEFICIARY"),
            (PayoutRecord.gsi5, PayoutRecord.gsi5sk, "PAYER"),
        ):
            condition = sort_key.between(*window)
            records = reads.query(
                PayoutRecord, f"{prefix}#{partner_id}", condition, index=index, scan_index_forward=True
            )
            found.update((p.id, p) for p in map(_payout, records) if p.value_date < end)
        return sorted(found.values(), key=lambda p: (p.value_date, p.id))

    def open_owed_by(self, payer_id: str, up_to: datetime) -> list[Payout]:
        """What the payer owes and a payment run may pay, falling due by `up_to`, oldest first (gsi4)."""
        condition = PayoutRecord.gsi4sk <= f"{sort_stamp(up_to)}#~"
        records = reads.query(
            PayoutRecord, f"OPEN#{payer_id}", condition, index=PayoutRecord.gsi4, scan_index_forward=True
        )
        return [_payout(r) for r in records]
