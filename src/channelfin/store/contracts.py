"""Contracts on DynamoDB (the contracts table): the contract and a copy of it per party.

  CONTRACT#<id>  / CONTRACT           the contract       gsi1: CONTRACTS / <createdAt>#<id>
                                                         gsi2: STATUS#<status> / <createdAt>#<id>
  CONTRACT#<id>  / PARTY#<partnerId>  a copy per party   gsi1: PARTY#<pid> / <createdAt>#<id>
                                                         gsi2: PARTY#<pid>#STATUS#<status> / <createdAt>#<id>
  EXPOSURE#<leaser>#<siren> / EXPOSURE  an end client's open files with that leaser (`credit_exposure`)
  SIGNATORY#<siren> / SIGNATORY       who signs for that end client (`store/signatories.py`)

The party copies carry the whole contract plus `partyRoles`, so a partner's list is one
Query; every write puts the contract and its copies in one transaction, conditioned on the
contract's `version`. The items also carry the ids of the contract's payouts (added by the
payouts repository), so a page of contracts reads its payouts with BatchGetItem.

Access patterns: contract by id (GetItem), contracts by id (BatchGetItem), all contracts
newest first (Query gsi1 CONTRACTS), by status (Query gsi2 STATUS#s), a partner's contracts
(Query gsi1 PARTY#p, role filtered on `partyRoles`), a partner's contracts in a status
(Query gsi2), an end client's exposure with a leaser (GetItem). A contract whose file enters or
leaves its end client's exposure is written in one transaction with that exposure, conditioned
on the exposure's version too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract, PartyRole, ResellerRole, TimelineEvent
from channelfin.domain.credit_exposure import CreditExposure, ExposureKey
from channelfin.domain.customers import Customer
from channelfin.domain.events import Event
from channelfin.domain.financing import Periodicity
from channelfin.domain.money import Money
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.dynamo import ContractsTableItem, Gsi1, Gsi2, TableMeta, put_with_copies, query_page, sort_stamp
from channelfin.store.financing_file import (
    FileDocumentMap,
    FinancingMap,
    SignatureMap,
    document_maps,
    documents,
    financing,
    financing_map,
    signature_maps,
    signatures,
)
from channelfin.store.outbox import outbox_items
from channelfin.store.signatories import DynamoSignatories


class CustomerMap(MapAttribute[str, Any]):
    name = UnicodeAttribute()
    registration_number = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)


class TimelineEntryMap(MapAttribute[str, Any]):
    status = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()
    note = UnicodeAttribute(null=True)


class ContractRecord(Model):
    class Meta(TableMeta):
        table_name = "contracts"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi2pk = UnicodeAttribute()
    gsi2sk = UnicodeAttribute()
    gsi1 = Gsi1()
    gsi2 = Gsi2()

    party_roles = ListAttribute(of=UnicodeAttribute, null=True)  # only on the party copies

    contract_id = UnicodeAttribute()
    owner_id = UnicodeAttribute()
    publisher_id = UnicodeAttribute()
    reseller_id = UnicodeAttribute(null=True)
    reseller_role = UnicodeAttribute(null=True)
    customer = CustomerMap()
    periodicity = UnicodeAttribute()
    term_months = NumberAttribute()
    start_date = UnicodeAttribute()
    software_fee_cents = NumberAttribute()
    support_fee_cents = NumberAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    timeline = ListAttribute(of=TimelineEntryMap)
    under_continuity = NumberAttribute(default=0)
    financing = FinancingMap(null=True)
    signatures = ListAttribute(of=SignatureMap, null=True)
    support_provider_id = UnicodeAttribute(null=True)
    collected_installments = ListAttribute(of=NumberAttribute, null=True)
    enrollment_id = UnicodeAttribute(null=True)
    program_partner_id = UnicodeAttribute(null=True)
    payout_ids = UnicodeSetAttribute(null=True)  # added to by the payouts repository (set ADD)
    file_documents = ListAttribute(of=FileDocumentMap, null=True)
    legacy_documents = UnicodeAttribute(null=True, attr_name="documents")  # the old form (JSON), never written
    version = NumberAttribute()


class ExposureFileMap(MapAttribute[str, Any]):
    contract_id = UnicodeAttribute()
    cents = NumberAttribute()
    currency = UnicodeAttribute()


class ExposureRecord(ContractsTableItem):
    """An end client's open files with one leaser (the contracts table; in no index)."""

    class Meta(TableMeta):
        table_name = "contracts"

    leaser_id = UnicodeAttribute()
    siren = UnicodeAttribute()
    files = ListAttribute(of=ExposureFileMap, default=list)
    version = NumberAttribute()


def _exposure_pk(key: ExposureKey) -> str:
    return f"EXPOSURE#{key.leaser_id}#{key.siren}"


def _exposure_record(exposure: CreditExposure) -> ExposureRecord:
    return ExposureRecord(
        pk=_exposure_pk(exposure.key),
        sk="EXPOSURE",
        leaser_id=exposure.key.leaser_id,
        siren=exposure.key.siren,
        files=[
            ExposureFileMap(contract_id=cid, cents=amount.to_cents(), currency=amount.currency)
            for cid, amount in exposure.files
        ],
        version=exposure.version + 1,
    )


def _exposure(key: ExposureKey, record: Any) -> CreditExposure:
    files = tuple((f.contract_id, Money.from_cents(int(f.cents), f.currency)) for f in record.files or ())
    return CreditExposure(key, files, int(record.version))


def _contract_records(contract: Contract) -> list[ContractRecord]:
    currency = contract.software_fee.currency
    stamp = f"{sort_stamp(contract.created_at)}#{contract.id}"
    common: dict[str, Any] = dict(
        pk=f"CONTRACT#{contract.id}",
        contract_id=contract.id,
        owner_id=contract.owner_id,
        publisher_id=contract.publisher_id,
        reseller_id=contract.reseller_id,
        reseller_role=contract.reseller_role.value if contract.reseller_role else None,
        customer=CustomerMap(
            name=contract.customer.name,
            registration_number=contract.customer.registration_number,
            email=contract.customer.email,
        ),
        periodicity=contract.periodicity.name,
        term_months=contract.term_months,
        start_date=contract.start_date.isoformat(),
        software_fee_cents=contract.software_fee.to_cents(),
        support_fee_cents=contract.support_fee.to_cents(),
        currency=currency,
        status=contract.status.value,
        created_at=contract.created_at,
        created_by=contract.created_by,
        timeline=[
            TimelineEntryMap(status=e.status.value, at=e.at, actor=e.actor, note=e.note) for e in contract.timeline
        ],
        under_continuity=int(contract.under_continuity),
        financing=financing_map(contract.financing) if contract.financing else None,
        signatures=signature_maps(contract.signatures),
        support_provider_id=contract.support_provider_id,
        collected_installments=list(contract.collected_installments) or None,
        enrollment_id=contract.enrollment_id,
        program_partner_id=contract.program_partner_id,
        payout_ids=set(contract.payout_ids) or None,
        file_documents=document_maps(contract.documents),
        version=contract.version,
        gsi1sk=stamp,
        gsi2sk=stamp,
    )
    records = [ContractRecord(sk="CONTRACT", gsi1pk="CONTRACTS", gsi2pk=f"STATUS#{contract.status.value}", **common)]
    for party in sorted(contract.party_ids):
        records.append(
            ContractRecord(
                sk=f"PARTY#{party}",
                gsi1pk=f"PARTY#{party}",
                gsi2pk=f"PARTY#{party}#STATUS#{contract.status.value}",
                party_roles=sorted(r.value for r in contract.roles_of(party)),
                **common,
            )
        )
    return records


def _contract(record: ContractRecord) -> Contract:
    currency = record.currency
    return Contract(
        id=record.contract_id,
        owner_id=record.owner_id,
        publisher_id=record.publisher_id,
        reseller_id=record.reseller_id,
        reseller_role=ResellerRole(record.reseller_role) if record.reseller_role else None,
        customer=Customer(
            name=record.customer.name,
            registration_number=record.customer.registration_number,
            email=record.customer.email,
        ),
        periodicity=Periodicity[record.periodicity],
        term_months=int(record.term_months),
        start_date=date.fromisoformat(record.start_date),
        software_fee=Money.from_cents(int(record.software_fee_cents), currency),
        support_fee=Money.from_cents(int(record.support_fee_cents), currency),
        status=ContractStatus(record.status),
        created_at=record.created_at,
        created_by=record.created_by,
        timeline=tuple(TimelineEvent(ContractStatus(e.status), e.at, e.actor, e.note) for e in record.timeline or ()),
        under_continuity=bool(record.under_continuity),
        financing=financing(record.financing, currency) if record.financing else None,
        signatures=signatures(record.signatures),
        support_provider_id=record.support_provider_id,
        collected_installments=tuple(int(k) for k in cast(list[int], record.collected_installments) or ()),
        enrollment_id=record.enrollment_id,
        program_partner_id=record.program_partner_id,
        payout_ids=frozenset(record.payout_ids or ()),
        documents=documents(record.file_documents, record.legacy_documents),
        version=int(record.version),
    )


class DynamoContractRepository(DynamoSignatories):
    KEYS = {1: ("pk", "sk", "gsi1pk", "gsi1sk"), 2: ("pk", "sk", "gsi2pk", "gsi2sk")}

    def add(self, contract: Contract, *, events: Sequence[Event] = ()) -> None:
        self._write(
            contract, ContractRecord.pk.does_not_exist(), "this contract already exists", also=outbox_items(events)
        )

    def save(
        self,
        contract: Contract,
        *,
        expected_version: int,
        events: Sequence[Event] = (),
        dropped_parties: Iterable[str] = (),
        exposure: CreditExposure | None = None,
    ) -> None:
        """Replace the contract if nobody changed it since `expected_version` was read (with its events);
        the copies of `dropped_parties` (no longer parties) are deleted in the same transaction; with
        `exposure`, that exposure is written too if it is still at the version it was read at."""
        gone = sorted(set(dropped_parties) - contract.party_ids)
        also: list[tuple[Model, Condition | None]] = list(outbox_items(events))
        if exposure is not None:
            version = ExposureRecord.version
            condition = version.does_not_exist() if exposure.version == 0 else version == exposure.version
            also.append((_exposure_record(exposure), condition))
        self._write(
            contract,
            ContractRecord.version == expected_version,
            "the contract (or its end client's exposure) was changed by someone else; read it again",
            also=also,
            dropped=[ContractRecord(f"CONTRACT#{contract.id}", f"PARTY#{party}") for party in gone],
        )

    def _write(
        self,
        contract: Contract,
        condition: Condition,
        conflict: str,
        also: Iterable[tuple[Model, Condition | None]] = (),
        dropped: list[ContractRecord] | None = None,
    ) -> None:
        main, *copies = _contract_records(contract)
        put_with_copies(main, condition, copies, conflict, also=also, dropped=dropped or [])

    def exposure(self, key: ExposureKey) -> CreditExposure:
        found = reads.get(ExposureRecord, _exposure_pk(key), "EXPOSURE")
        return _exposure(key, found) if found else CreditExposure(key)

    def get(self, contract_id: str, *, consistent: bool = False) -> Contract | None:
        found = reads.get(ContractRecord, f"CONTRACT#{contract_id}", "CONTRACT", consistent=consistent)
        return _contract(found) if found else None

    def get_many(self, contract_ids: Iterable[str], *, consistent: bool = False) -> dict[str, Contract]:
        keys = [(f"CONTRACT#{c}", "CONTRACT") for c in contract_ids]
        return {c.id: c for c in map(_contract, reads.get_many(ContractRecord, keys, consistent=consistent))}

    def find(
        self,
        *,
        party_id: str | None,
        role: PartyRole | None,
        status: ContractStatus | None,
        page: PageRequest,
    ) -> Page[Contract]:
        """A page of the contracts (of a party, in a role, in a status, or all), newest first."""
        if party_id is None:
            index, number, hash_key = (
                (ContractRecord.gsi2, 2, f"STATUS#{status.value}") if status else (ContractRecord.gsi1, 1, "CONTRACTS")
            )
        elif status is not None:
            index, number, hash_key = ContractRecord.gsi2, 2, f"PARTY#{party_id}#STATUS#{status.value}"
        else:
            index, number, hash_key = ContractRecord.gsi1, 1, f"PARTY#{party_id}"
        return query_page(
            index,
            hash_key,
            key_names=self.KEYS[number],
            page=page,
            to_domain=_contract,
            filter_condition=ContractRecord.party_roles.contains(role.value) if role else None,
        )

    def shares_contract(self, party_id: str, other_id: str) -> bool:
        """One Query of `party_id`'s list, filtered on the other party, stopped at the first match.

        It reads the party's copies until one names the other partner: a partner's whole list
        when they share none (what an unrelated refetch costs).
        """
        names_other = (
            (ContractRecord.owner_id == other_id)
            | (ContractRecord.publisher_id == other_id)
            | (ContractRecord.reseller_id == other_id)
            | (ContractRecord.program_partner_id == other_id)
            | (ContractRecord.support_provider_id == other_id)
        )
        found = reads.query(
            ContractRecord,
            f"PARTY#{party_id}",
            index=ContractRecord.gsi1,
            filter_condition=names_other,
            limit=1,
            page_size=200,
        )
        return next(iter(found), None) is not None
