"""Payouts on DynamoDB (the payouts table).

  PAYOUT#<id>    / PAYOUT             the payout         gsi1: BENEFICIARY#<pid> / <valueDate>#<id>
                                                         gsi2: CONTRACT#<cid> / <createdAt>#<id>
                                                         gsi3: PAYOUTS / <createdAt>#<id>
                                                         gsi4: PROGRAM#<prog>#<kind>#<status> / <valueDate>#<id>
                                                               (sparse: program payouts only)

Access patterns: payout by id (GetItem), payouts by id (BatchGetItem), a beneficiary's
payouts (Query gsi1; by value date for statements), a contract's payouts (Query gsi2,
beneficiary filtered for partners), all payouts (gsi3), a program's scheduled payouts of a
kind due by a date (Query gsi4). A new payout's id is added to every item of its contract in
the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from channelfin.domain.errors import Conflict
from channelfin.domain.money import Money
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.contracts import ContractRecord
from channelfin.store.dynamo import Gsi1, Gsi2, Gsi3, Gsi4, TableMeta, connection, query_page, save_if, sort_stamp


class PayoutRecord(Model):
    class Meta(TableMeta):
        table_name = "payouts"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute()
    gsi3sk = UnicodeAttribute()
    gsi1 = Gsi1()
    gsi2 = Gsi2()
    gsi3 = Gsi3()
    gsi4pk = UnicodeAttribute(null=True)  # sparse: program payouts only
    gsi4sk = UnicodeAttribute(null=True)
    gsi4 = Gsi4()

    payout_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    status = UnicodeAttribute()
    amount_cents = NumberAttribute()
    currency = UnicodeAttribute()
    beneficiary_id = UnicodeAttribute()
    contract_id = UnicodeAttribute(null=True)
    installment = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    due_by = UTCDateTimeAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    transfer_reference = UnicodeAttribute(null=True)
    program_id = UnicodeAttribute(null=True)
    version = NumberAttribute(default=1)


def _payout(record: PayoutRecord) -> Payout:
    return Payout(
        id=record.payout_id,
        kind=PayoutKind(record.kind),
        status=PayoutStatus(record.status),
        amount=Money.from_cents(int(record.amount_cents), record.currency),
        beneficiary_id=record.beneficiary_id,
        created_at=record.created_at,
        contract_id=record.contract_id,
        installment=int(record.installment) if record.installment is not None else None,
        due_by=record.due_by,
        paid_at=record.paid_at,
        failure_reason=record.failure_reason,
        transfer_reference=record.transfer_reference,
        program_id=record.program_id,
    )


def _payout_record(payout: Payout) -> PayoutRecord:
    stamp = f"{sort_stamp(payout.created_at)}#{payout.id}"
    program_key = f"PROGRAM#{payout.program_id}#{payout.kind.value}#{payout.status.value}"
    return PayoutRecord(
        pk=f"PAYOUT#{payout.id}",
        sk="PAYOUT",
        gsi1pk=f"BENEFICIARY#{payout.beneficiary_id}",
        gsi1sk=f"{sort_stamp(payout.value_date)}#{payout.id}",
        gsi4pk=program_key if payout.program_id else None,
        gsi4sk=f"{sort_stamp(payout.value_date)}#{payout.id}" if payout.program_id else None,
        program_id=payout.program_id,
        gsi2pk=f"CONTRACT#{payout.contract_id}" if payout.contract_id else None,
        gsi2sk=stamp if payout.contract_id else None,
        gsi3pk="PAYOUTS",
        gsi3sk=stamp,
        payout_id=payout.id,
        kind=payout.kind.value,
        status=payout.status.value,
        amount_cents=payout.amount.to_cents(),
        currency=payout.amount.currency,
        beneficiary_id=payout.beneficiary_id,
        contract_id=payout.contract_id,
        installment=payout.installment,
        created_at=payout.created_at,
        due_by=payout.due_by,
        paid_at=payout.paid_at,
        failure_reason=payout.failure_reason,
        transfer_reference=payout.transfer_reference,
    )


class DynamoPayoutRepository:
    KEYS = {
        1: ("pk", "sk", "gsi1pk", "gsi1sk"),
        2: ("pk", "sk", "gsi2pk", "gsi2sk"),
        3: ("pk", "sk", "gsi3pk", "gsi3sk"),
    }

    def add(self, payout: Payout) -> None:
        """Store a new payout and, in the same transaction, its id on every item of its contract.

        The contract's items carry their payout ids so that a page of contracts reads all its
        payouts with BatchGetItem instead of one Query per contract. The contract's version
        moves too, so a concurrent contract write (conditioned on the version) reads again.
        """
        record = _payout_record(payout)
        contract = self._contract_record(payout.contract_id)
        if contract is None:
            save_if(record, PayoutRecord.pk.does_not_exist(), f"payout {payout.id} exists already")
            return
        parties = {
            contract.owner_id,
            contract.publisher_id,
            contract.reseller_id,
            contract.program_partner_id,
            contract.support_provider_id,
        }
        keys = ["CONTRACT", *(f"PARTY#{p}" for p in sorted(p for p in parties if p))]
        try:
            with TransactWrite(connection=connection(PayoutRecord)) as tx:
                tx.save(record, condition=PayoutRecord.pk.does_not_exist())
                for sk in keys:
                    tx.update(
                        ContractRecord(pk=contract.pk, sk=sk),
                        actions=[ContractRecord.payout_ids.add({payout.id}), ContractRecord.version.add(1)],
                        condition=ContractRecord.pk.exists(),
                    )
        except TransactWriteError as exc:
            if self.get(payout.id) is not None:
                raise Conflict(f"payout {payout.id} exists already") from exc
            raise

    @staticmethod
    def _contract_record(contract_id: str | None) -> Any | None:
        if contract_id is None:
            return None
        return reads.get(ContractRecord, f"CONTRACT#{contract_id}", "CONTRACT")

    def get_many(self, payout_ids: Iterable[str]) -> dict[str, Payout]:
        keys = [(f"PAYOUT#{p}", "PAYOUT") for p in payout_ids]
        return {p.id: p for p in map(_payout, reads.get_many(PayoutRecord, keys))}

    def save(self, payout: Payout, *, expected_status: PayoutStatus) -> None:
        save_if(
            _payout_record(payout),
            PayoutRecord.status == expected_status.value,
            f"payout {payout.id} is no longer {expected_status.value}",
        )

    def get(self, payout_id: str) -> Payout | None:
        found = reads.get(PayoutRecord, f"PAYOUT#{payout_id}", "PAYOUT")
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

    def of_beneficiary_between(self, beneficiary_id: str, start: datetime, end: datetime) -> list[Payout]:
        """A partner's lines whose value date is in [start, end), oldest first (for statements)."""
        condition = PayoutRecord.gsi1sk.between(sort_stamp(start), sort_stamp(end))
        records = reads.query(
            PayoutRecord, f"BENEFICIARY#{beneficiary_id}", condition, index=PayoutRecord.gsi1, scan_index_forward=True
        )
        return [p for p in map(_payout, records) if p.value_date < end]

    def scheduled_of_program(self, program_id: str, kind: PayoutKind, up_to: datetime) -> list[Payout]:
        """A program's SCHEDULED payouts of one kind falling due by `up_to` (the sparse index gsi4)."""
        condition = PayoutRecord.gsi4sk <= f"{sort_stamp(up_to)}#~"
        hash_key = f"PROGRAM#{program_id}#{kind.value}#{PayoutStatus.SCHEDULED.value}"
        records = reads.query(PayoutRecord, hash_key, condition, index=PayoutRecord.gsi4, scan_index_forward=True)
        return [_payout(r) for r in records]
