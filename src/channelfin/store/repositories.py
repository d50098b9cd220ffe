"""Repositories: the ports of `services.ports` on DynamoDB, mapping records to domain objects.

Storage errors become typed exceptions here (`Conflict` on a lost conditional write) so
the use cases never see botocore.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import Index
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from channelfin.domain.contracts import Contract, ContractStatus, Customer, PartyRole, ResellerRole, TimelineEvent
from channelfin.domain.documents import DocumentStatus, FileDocument
from channelfin.domain.errors import Conflict
from channelfin.domain.escrow import EscrowAgreement, EscrowEvent, EscrowStatus, Notification
from channelfin.domain.financing import DecisionMode, Periodicity
from channelfin.domain.financing_file import (
    ContractFinancing,
    DecisionOutcome,
    DeliveryReport,
    DocumentKind,
    FinancingDecision,
    Signature,
    WaitStep,
)
from channelfin.domain.money import Money
from channelfin.domain.partners import AgreementStatus, FinancingAgreement, Partner, PartnerRole
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
from channelfin.domain.programs import Actor, Enrollment, PartnerProgram, PartnerTier, RewardKind, Sale, TierRules
from channelfin.services.paging import Page, PageRequest
from channelfin.store import cursors, reads
from channelfin.store.records import (
    ContractRecord,
    CustomerMap,
    DecisionMap,
    DeliveryReportMap,
    DocumentRecord,
    FinancingMap,
    PartnerRecord,
    PayoutRecord,
    ProgramRecord,
    SignatureMap,
    TimelineEntryMap,
)

T = TypeVar("T")


def sort_stamp(at: datetime) -> str:
    """A UTC timestamp that sorts lexicographically (for index sort keys); an offset is converted, not dropped."""
    utc = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    # isoformat pads the year to four digits (strftime's %Y writes year 999 as "999", which sorts after 2026).
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _connection(record: type[Model]) -> Connection:
    # The record's cached connection: building a botocore client per transaction costs ~50 ms.
    return record._get_connection().connection


def _query_page(
    target: type[Model] | Index[Any],
    hash_key: str,
    *,
    key_names: tuple[str, ...],
    page: PageRequest,
    to_domain: Callable[[Any], T],
    newest_first: bool = True,
    filter_condition: Condition | None = None,
    range_condition: Condition | None = None,
) -> Page[T]:
    start = cursors.decode(page.after, key_names) if page.after else None
    record, index = (target._model, target) if isinstance(target, Index) else (target, None)
    records = list(
        reads.query(
            record,
            hash_key,
            range_condition,
            index=index,
            scan_index_forward=not newest_first,
            limit=page.first + 1,
            page_size=page.first + 1,
            last_evaluated_key=start,
            filter_condition=filter_condition,
        )
    )
    shown = records[: page.first]
    return Page(
        items=[to_domain(r) for r in shown],
        cursors=[cursors.encode({k: getattr(r, k) for k in key_names}) for r in shown],
        has_next_page=len(records) > page.first,
    )


def put_with_copies(
    main: Model,
    condition: Condition,
    copies: Iterable[Model],
    conflict: str,
    *,
    also: Iterable[tuple[Model, Condition | None]] = (),
) -> None:
    """Put an item, its copies (for other access patterns) and `also` in one transaction
    conditioned on the item; a failed condition is a `Conflict` with that message."""
    try:
        with TransactWrite(connection=_connection(type(main))) as tx:
            tx.save(main, condition=condition)
            for copy in copies:
                tx.save(copy)
            for item, item_condition in also:
                tx.save(item, condition=item_condition)
    except TransactWriteError as exc:
        raise Conflict(conflict) from exc


# ---------------------------------------------------------------- partners


def _partner_key(partner_id: str) -> str:
    return f"PARTNER#{partner_id}"


def _name_sort(partner: Partner) -> str:
    return f"{partner.name.casefold()}#{partner.id}"


def _partner_record(partner: Partner, *, sk: str, gsi1pk: str) -> PartnerRecord:
    return PartnerRecord(
        pk=_partner_key(partner.id),
        sk=sk,
        gsi1pk=gsi1pk,
        gsi1sk=_name_sort(partner),
        name=partner.name,
        roles=sorted(r.value for r in partner.roles),
        registration_number=partner.registration_number,
        country=partner.country,
        created_at=partner.created_at,
    )


def _partner(record: PartnerRecord) -> Partner:
    return Partner(
        id=record.pk.removeprefix("PARTNER#"),
        name=record.name,
        roles=frozenset(PartnerRole(r) for r in record.roles or ()),
        created_at=record.created_at,
        registration_number=record.registration_number,
        country=record.country,
    )


def _agreement(record: PartnerRecord) -> FinancingAgreement:
    currency = record.currency
    return FinancingAgreement(
        id=record.pk.removeprefix("AGREEMENT#"),
        partner_id=record.partner_id,
        leaser_id=record.leaser_id,
        annual_rate=Decimal(record.annual_rate),
        file_fee=Money.from_cents(int(record.file_fee_cents), currency),
        payout_sla_hours=int(record.payout_sla_hours),
        instant_decision_limit=Money.from_cents(int(record.instant_decision_limit_cents), currency),
        signed_at=record.signed_at,
        signed_by=record.signed_by,
        status=AgreementStatus(record.status),
    )


class DynamoPartnerRepository:
    KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")

    def add(self, partner: Partner) -> None:
        try:
            with TransactWrite(connection=_connection(PartnerRecord)) as tx:
                profile = _partner_record(partner, sk="PROFILE", gsi1pk="PARTNERS")
                tx.save(profile, condition=PartnerRecord.pk.does_not_exist())
                for role in partner.roles:
                    tx.save(_partner_record(partner, sk=f"ROLE#{role.value}", gsi1pk=f"ROLE#{role.value}"))
        except TransactWriteError as exc:
            raise Conflict("this partner already exists") from exc

    def get(self, partner_id: str) -> Partner | None:
        found = reads.get(PartnerRecord, _partner_key(partner_id), "PROFILE")
        return _partner(found) if found else None

    def get_many(self, partner_ids: Iterable[str]) -> dict[str, Partner]:
        keys = [(_partner_key(p), "PROFILE") for p in partner_ids]
        return {p.id: p for p in map(_partner, reads.get_many(PartnerRecord, keys))}

    def list(self, *, role: PartnerRole | None, page: PageRequest) -> Page[Partner]:
        return _query_page(
            PartnerRecord.gsi1,
            f"ROLE#{role.value}" if role else "PARTNERS",
            key_names=self.KEYS,
            page=page,
            to_domain=_partner,
            newest_first=False,
        )

    def add_agreement(self, agreement: FinancingAgreement) -> None:
        if agreement.file_fee.currency != agreement.instant_decision_limit.currency:
            raise ValueError("an agreement has one currency")
        PartnerRecord(
            pk=f"AGREEMENT#{agreement.id}",
            sk="AGREEMENT",
            gsi1pk=f"{_partner_key(agreement.partner_id)}#AGREEMENTS",
            gsi1sk=f"{sort_stamp(agreement.signed_at)}#{agreement.id}",
            partner_id=agreement.partner_id,
            leaser_id=agreement.leaser_id,
            annual_rate=str(agreement.annual_rate),
            file_fee_cents=agreement.file_fee.to_cents(),
            instant_decision_limit_cents=agreement.instant_decision_limit.to_cents(),
            currency=agreement.file_fee.currency,
            payout_sla_hours=agreement.payout_sla_hours,
            status=agreement.status.value,
            signed_at=agreement.signed_at,
            signed_by=agreement.signed_by,
        ).save(condition=PartnerRecord.pk.does_not_exist())

    def get_agreement(self, agreement_id: str) -> FinancingAgreement | None:
        found = reads.get(PartnerRecord, f"AGREEMENT#{agreement_id}", "AGREEMENT")
        return _agreement(found) if found else None

    def get_agreements(self, agreement_ids: Iterable[str]) -> dict[str, FinancingAgreement]:
        keys = [(f"AGREEMENT#{a}", "AGREEMENT") for a in agreement_ids]
        return {a.id: a for a in map(_agreement, reads.get_many(PartnerRecord, keys))}

    def agreements_of(self, partner_id: str) -> list[FinancingAgreement]:
        hash_key = f"{_partner_key(partner_id)}#AGREEMENTS"
        records = reads.query(PartnerRecord, hash_key, index=PartnerRecord.gsi1, scan_index_forward=False)
        return [_agreement(r) for r in records]


# ---------------------------------------------------------------- contracts


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
        financing=_financing_map(contract.financing) if contract.financing else None,
        signatures=[
            SignatureMap(document=s.document.value, signed_by=s.signed_by, signed_at=s.signed_at)
            for s in contract.signatures
        ]
        or None,
        support_provider_id=contract.support_provider_id,
        collected_installments=list(contract.collected_installments) or None,
        enrollment_id=contract.enrollment_id,
        program_partner_id=contract.program_partner_id,
        payout_ids=set(contract.payout_ids) or None,
        documents=_documents_json(contract.documents),
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
        financing=_financing(record.financing, currency) if record.financing else None,
        signatures=tuple(
            Signature(DocumentKind(s.document), s.signed_by, s.signed_at) for s in record.signatures or ()
        ),
        support_provider_id=record.support_provider_id,
        collected_installments=tuple(int(k) for k in record.collected_installments or ()),
        enrollment_id=record.enrollment_id,
        program_partner_id=record.program_partner_id,
        payout_ids=frozenset(record.payout_ids or ()),
        documents=_documents(record.documents),
        version=int(record.version),
    )


def _documents_json(documents: tuple[FileDocument, ...]) -> str | None:
    if not documents:
        return None

    def when(at: datetime | None) -> str | None:
        return at.isoformat() if at else None

    return json.dumps(
        [
            {
                "kind": d.kind.value,
                "status": d.status.value,
                "sha256": d.sha256,
                "storageKey": d.storage_key,
                "generatedAt": d.generated_at.isoformat(),
                "requestId": d.signing_request_id,
                "signingUrl": d.signing_url,
                "signedBy": d.signed_by,
                "signedAt": when(d.signed_at),
                "declineReason": d.decline_reason,
            }
            for d in documents
        ]
    )


def _documents(text: str | None) -> tuple[FileDocument, ...]:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return tuple(
        FileDocument(
            kind=DocumentKind(d["kind"]),
            status=DocumentStatus(d["status"]),
            sha256=d["sha256"],
            storage_key=d["storageKey"],
            generated_at=datetime.fromisoformat(d["generatedAt"]),
            signing_request_id=d["requestId"],
            signing_url=d["signingUrl"],
            signed_by=d["signedBy"],
            signed_at=when(d["signedAt"]),
            decline_reason=d["declineReason"],
        )
        for d in json.loads(text or "[]")
    )


def _financing_map(f: ContractFinancing) -> FinancingMap:
    return FinancingMap(
        agreement_id=f.agreement_id,
        financed_amount_cents=f.financed_amount.to_cents(),
        upfront_payout_cents=f.upfront_payout.to_cents(),
        leaser_fees_cents=f.leaser_fees.to_cents(),
        decision_mode=f.decision_mode.value,
        decision=DecisionMap(
            outcome=f.decision.outcome.value,
            reasons=list(f.decision.reasons),
            decided_at=f.decision.decided_at,
            decided_by=f.decision.decided_by,
        ),
        payout_sla_hours=f.payout_sla_hours,
        requested_at=f.requested_at,
        requested_by=f.requested_by,
        delivery_report=DeliveryReportMap(
            installed_at=f.delivery_report.installed_at.isoformat(),
            signed_by=f.delivery_report.signed_by,
            submitted_at=f.delivery_report.submitted_at,
        )
        if f.delivery_report
        else None,
        transmitted_at=f.transmitted_at,
        declined=f.declined,
        waiting_for=f.waiting_for.value if f.waiting_for else None,
        task_token=f.task_token,
    )


def _financing(m: FinancingMap, currency: str) -> ContractFinancing:
    report = m.delivery_report
    return ContractFinancing(
        agreement_id=m.agreement_id,
        financed_amount=Money.from_cents(int(m.financed_amount_cents), currency),
        upfront_payout=Money.from_cents(int(m.upfront_payout_cents), currency),
        leaser_fees=Money.from_cents(int(m.leaser_fees_cents), currency),
        decision_mode=DecisionMode(m.decision_mode),
        decision=FinancingDecision(
            DecisionOutcome(m.decision.outcome),
            tuple(m.decision.reasons or ()),
            m.decision.decided_at,
            m.decision.decided_by,
        ),
        payout_sla_hours=int(m.payout_sla_hours),
        requested_at=m.requested_at,
        requested_by=m.requested_by,
        delivery_report=DeliveryReport(date.fromisoformat(report.installed_at), report.signed_by, report.submitted_at)
        if report
        else None,
        transmitted_at=m.transmitted_at,
        declined=m.declined,
        waiting_for=WaitStep(m.waiting_for) if m.waiting_for else None,
        task_token=m.task_token,
    )


class DynamoContractRepository:
    KEYS = {1: ("pk", "sk", "gsi1pk", "gsi1sk"), 2: ("pk", "sk", "gsi2pk", "gsi2sk")}

    def add(self, contract: Contract) -> None:
        self._write(contract, ContractRecord.pk.does_not_exist(), "this contract already exists")

    def save(self, contract: Contract, *, expected_version: int) -> None:
        """Replace the contract if nobody changed it since `expected_version` was read."""
        self._write(
            contract,
            ContractRecord.version == expected_version,
            "the contract was changed by someone else; read it again",
        )

    def _write(self, contract: Contract, condition: Condition, conflict: str) -> None:
        main, *copies = _contract_records(contract)
        put_with_copies(main, condition, copies, conflict)

    def get(self, contract_id: str) -> Contract | None:
        found = reads.get(ContractRecord, f"CONTRACT#{contract_id}", "CONTRACT")
        return _contract(found) if found else None

    def get_many(self, contract_ids: Iterable[str]) -> dict[str, Contract]:
        keys = [(f"CONTRACT#{c}", "CONTRACT") for c in contract_ids]
        return {c.id: c for c in map(_contract, reads.get_many(ContractRecord, keys))}

    def list(
        self,
        *,
        party_id: str | None,
        role: PartyRole | None,
        status: ContractStatus | None,
        page: PageRequest,
    ) -> Page[Contract]:
        if party_id is None:
            index, number, hash_key = (
                (ContractRecord.gsi2, 2, f"STATUS#{status.value}") if status else (ContractRecord.gsi1, 1, "CONTRACTS")
            )
        elif status is not None:
            index, number, hash_key = ContractRecord.gsi2, 2, f"PARTY#{party_id}#STATUS#{status.value}"
        else:
            index, number, hash_key = ContractRecord.gsi1, 1, f"PARTY#{party_id}"
        return _query_page(
            index,
            hash_key,
            key_names=self.KEYS[number],
            page=page,
            to_domain=_contract,
            filter_condition=ContractRecord.party_roles.contains(role.value) if role else None,
        )


# ---------------------------------------------------------------- payouts


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


def _condition_failed(exc: Exception) -> bool:
    cause = getattr(exc, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"


def _save_if(record: Model, condition: Condition, conflict: str) -> None:
    """Put the item if `condition` holds; a failed condition is a `Conflict` the services understand."""
    try:
        record.save(condition=condition)
    except PutError as exc:
        if _condition_failed(exc):
            raise Conflict(conflict) from exc
        raise


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
            _save_if(record, PayoutRecord.pk.does_not_exist(), f"payout {payout.id} exists already")
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
            with TransactWrite(connection=_connection(PayoutRecord)) as tx:
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
        _save_if(
            _payout_record(payout),
            PayoutRecord.status == expected_status.value,
            f"payout {payout.id} is no longer {expected_status.value}",
        )

    def get(self, payout_id: str) -> Payout | None:
        found = reads.get(PayoutRecord, f"PAYOUT#{payout_id}", "PAYOUT")
        return _payout(found) if found else None

    def list(self, *, contract_id: str | None, beneficiary_id: str | None, page: PageRequest) -> Page[Payout]:
        if contract_id is not None:
            return _query_page(
                PayoutRecord.gsi2,
                f"CONTRACT#{contract_id}",
                key_names=self.KEYS[2],
                page=page,
                to_domain=_payout,
                filter_condition=(PayoutRecord.beneficiary_id == beneficiary_id) if beneficiary_id else None,
            )
        if beneficiary_id is not None:
            return _query_page(
                PayoutRecord.gsi1,
                f"BENEFICIARY#{beneficiary_id}",
                key_names=self.KEYS[1],
                page=page,
                to_domain=_payout,
            )
        return _query_page(PayoutRecord.gsi3, "PAYOUTS", key_names=self.KEYS[3], page=page, to_domain=_payout)

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


# ---------------------------------------------------------------- partner programs


def _tiers_json(tiers: dict[PartnerTier, TierRules]) -> str:
    return json.dumps({tier.value: _rules_dict(rules) for tier, rules in tiers.items()}, sort_keys=True)


def _rules_dict(rules: TierRules) -> dict[str, Any]:
    return {
        "onboardingBy": rules.onboarding_by.value,
        "onboardingInvoicedBy": rules.onboarding_invoiced_by.value,
        "contractHeldBy": rules.contract_held_by.value,
        "supportBy": rules.support_by.value,
        "reward": rules.reward.value,
        "rate": str(rules.rate),
        "fromSale": rules.from_sale,
        "needsTechnicalQualification": rules.needs_technical_qualification,
        "benefits": list(rules.benefits),
        "evolutiveMaintenanceBy": rules.evolutive_maintenance_by.value,
    }


def _rules(data: dict[str, Any]) -> TierRules:
    return TierRules(
        onboarding_by=Actor(data["onboardingBy"]),
        onboarding_invoiced_by=Actor(data["onboardingInvoicedBy"]),
        contract_held_by=Actor(data["contractHeldBy"]),
        support_by=Actor(data["supportBy"]),
        reward=RewardKind(data["reward"]),
        rate=Decimal(data["rate"]),
        from_sale=int(data["fromSale"]),
        needs_technical_qualification=bool(data["needsTechnicalQualification"]),
        benefits=tuple(data["benefits"]),
        evolutive_maintenance_by=Actor(data["evolutiveMaintenanceBy"]),
    )


def _program(record: ProgramRecord) -> PartnerProgram:
    return PartnerProgram(
        id=record.pk.removeprefix("PROGRAM#"),
        publisher_id=record.publisher_id,
        name=record.name,
        entry_fee_rate=Decimal(record.entry_fee_rate),
        affiliate_min_sales_per_year=int(record.affiliate_min_sales_per_year),
        tiers={PartnerTier(t): _rules(r) for t, r in json.loads(record.tiers).items()},
        created_at=record.created_at,
        created_by=record.created_by,
    )


def _enrollment(record: ProgramRecord) -> Enrollment:
    currency = record.currency
    return Enrollment(
        id=record.pk.removeprefix("ENROLLMENT#"),
        program_id=record.program_id,
        publisher_id=record.publisher_id,
        partner_id=record.partner_id,
        tier=PartnerTier(record.tier),
        rules=_rules(json.loads(record.tiers)),
        entry_fee=Money.from_cents(int(record.entry_fee_cents), currency)
        if record.entry_fee_cents is not None
        else None,
        segment_potential=Money.from_cents(int(record.segment_potential_cents), currency)
        if record.segment_potential_cents is not None
        else None,
        technically_qualified=bool(record.technically_qualified),
        enrolled_at=record.created_at,
        enrolled_by=record.created_by,
        sales_count=int(record.sales_count or 0),
    )


def _enrollment_record(e: Enrollment) -> ProgramRecord:
    return ProgramRecord(
        pk=f"ENROLLMENT#{e.id}",
        sk="ENROLLMENT",
        gsi1pk=f"PROGRAM#{e.program_id}#ENROLLMENTS",
        gsi1sk=f"{e.partner_id}#{e.id}",
        program_id=e.program_id,
        publisher_id=e.publisher_id,
        partner_id=e.partner_id,
        tier=e.tier.value,
        tiers=json.dumps(_rules_dict(e.rules), sort_keys=True),
        entry_fee_cents=e.entry_fee.to_cents() if e.entry_fee else None,
        segment_potential_cents=e.segment_potential.to_cents() if e.segment_potential else None,
        currency=(e.entry_fee or e.segment_potential).currency if (e.entry_fee or e.segment_potential) else None,
        technically_qualified=int(e.technically_qualified),
        sales_count=e.sales_count,
        created_at=e.enrolled_at,
        created_by=e.enrolled_by,
    )


def _sale(record: ProgramRecord) -> Sale:
    return Sale(
        enrollment_id=record.pk.removeprefix("ENROLLMENT#"),
        contract_id=record.contract_id,
        number=int(record.sale_number),
        sold_at=record.sold_at,
        cancelled=bool(record.cancelled),
    )


class DynamoProgramRepository:
    def add_program(self, program: PartnerProgram) -> None:
        ProgramRecord(
            pk=f"PROGRAM#{program.id}",
            sk="PROGRAM",
            gsi1pk=f"PUBLISHER#{program.publisher_id}#PROGRAMS",
            gsi1sk=f"{sort_stamp(program.created_at)}#{program.id}",
            publisher_id=program.publisher_id,
            name=program.name,
            entry_fee_rate=str(program.entry_fee_rate),
            affiliate_min_sales_per_year=program.affiliate_min_sales_per_year,
            tiers=_tiers_json(program.tiers),
            created_at=program.created_at,
            created_by=program.created_by,
        ).save(condition=ProgramRecord.pk.does_not_exist())

    def get_program(self, program_id: str) -> PartnerProgram | None:
        found = reads.get(ProgramRecord, f"PROGRAM#{program_id}", "PROGRAM")
        return _program(found) if found else None

    def programs_of(self, publisher_id: str) -> list[PartnerProgram]:
        records = reads.query(ProgramRecord, f"PUBLISHER#{publisher_id}#PROGRAMS", index=ProgramRecord.gsi1)
        return [_program(r) for r in records]

    def add_enrollment(self, enrollment: Enrollment) -> None:
        _enrollment_record(enrollment).save(condition=ProgramRecord.pk.does_not_exist())

    def save_enrollment(self, enrollment: Enrollment) -> None:
        _enrollment_record(enrollment).save(condition=ProgramRecord.sales_count == enrollment.sales_count)

    def get_enrollment(self, enrollment_id: str) -> Enrollment | None:
        found = reads.get(ProgramRecord, f"ENROLLMENT#{enrollment_id}", "ENROLLMENT")
        return _enrollment(found) if found else None

    def enrollments_of(self, program_id: str) -> list[Enrollment]:
        records = reads.query(ProgramRecord, f"PROGRAM#{program_id}#ENROLLMENTS", index=ProgramRecord.gsi1)
        return [_enrollment(r) for r in records]

    def sales_of(self, enrollment_id: str) -> list[Sale]:
        records = reads.query(ProgramRecord, f"ENROLLMENT#{enrollment_id}", ProgramRecord.sk.startswith("SALE#"))
        return sorted(map(_sale, records), key=lambda s: s.number)

    def record_sale(self, enrollment_id: str, contract_id: str, sold_at: datetime) -> Sale:
        """Number the sale once: the enrolment's counter and the sale item move in one transaction."""
        for _ in range(10):
            numbered = reads.get(ProgramRecord, f"ENROLLMENT#{enrollment_id}", f"SALE#{contract_id}")
            if numbered is not None:
                return _sale(numbered)
            enrollment = ProgramRecord.get(f"ENROLLMENT#{enrollment_id}", "ENROLLMENT")
            count = int(enrollment.sales_count or 0)
            sale = ProgramRecord(
                pk=f"ENROLLMENT#{enrollment_id}",
                sk=f"SALE#{contract_id}",
                contract_id=contract_id,
                sale_number=count + 1,
                sold_at=sold_at,
                cancelled=0,
            )
            try:
                with TransactWrite(connection=_connection(ProgramRecord)) as tx:
                    tx.update(
                        enrollment,
                        actions=[ProgramRecord.sales_count.set(count + 1)],
                        condition=ProgramRecord.sales_count == count,
                    )
                    tx.save(sale, condition=ProgramRecord.pk.does_not_exist())
                return _sale(sale)
            except TransactWriteError:
                continue  # another sale was numbered meanwhile, or this one was: read again
        raise Conflict("too many concurrent sales on this enrolment; try again")

    def cancel_sale(self, enrollment_id: str, contract_id: str) -> None:
        try:
            ProgramRecord(pk=f"ENROLLMENT#{enrollment_id}", sk=f"SALE#{contract_id}").update(
                actions=[ProgramRecord.cancelled.set(1)], condition=ProgramRecord.pk.exists()
            )
        except UpdateError as exc:
            if not _condition_failed(exc):  # no sale recorded: nothing to cancel
                raise


# ---------------------------------------------------------------- escrow agreements


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


def _escrow(record: DocumentRecord) -> EscrowAgreement:
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
    def _record(self, a: EscrowAgreement) -> DocumentRecord:
        return DocumentRecord(
            pk=f"ESCROW#{a.id}",
            sk="ESCROW",
            gsi1pk=f"PUBLISHER#{a.publisher_id}#ESCROWS",
            gsi1sk=f"{sort_stamp(a.signed_at)}#{a.id}",
            body=_escrow_body(a),
            version=a.version,
        )

    def add(self, agreement: EscrowAgreement) -> None:
        self._record(agreement).save(condition=DocumentRecord.pk.does_not_exist())

    def save(self, agreement: EscrowAgreement, *, expected_version: int) -> None:
        _save_if(
            self._record(agreement),
            DocumentRecord.version == expected_version,
            "the escrow agreement was changed by someone else",
        )

    def get(self, agreement_id: str) -> EscrowAgreement | None:
        found = reads.get(DocumentRecord, f"ESCROW#{agreement_id}", "ESCROW")
        return _escrow(found) if found else None
