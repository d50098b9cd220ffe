"""Contracts on DynamoDB (the contracts table): the contract and a copy of it per party.

  CONTRACT#<id>  / CONTRACT           the contract       gsi1: CONTRACTS / <createdAt>#<id>
                                                         gsi2: STATUS#<status> / <createdAt>#<id>
  CONTRACT#<id>  / PARTY#<partnerId>  a copy per party   gsi1: PARTY#<pid> / <createdAt>#<id>
                                                         gsi2: PARTY#<pid>#STATUS#<status> / <createdAt>#<id>

The party copies carry the whole contract plus `partyRoles`, so a partner's list is one
Query; every write puts the contract and its copies in one transaction, conditioned on the
contract's `version`. The items also carry the ids of the contract's payouts (added by the
payouts repository), so a page of contracts reads its payouts with BatchGetItem.

Access patterns: contract by id (GetItem), contracts by id (BatchGetItem), all contracts
newest first (Query gsi1 CONTRACTS), by status (Query gsi2 STATUS#s), a partner's contracts
(Query gsi1 PARTY#p, role filtered on `partyRoles`), a partner's contracts in a status
(Query gsi2).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pynamodb.expressions.condition import Condition

from channelfin.domain.contracts import Contract, ContractStatus, Customer, PartyRole, ResellerRole, TimelineEvent
from channelfin.domain.documents import DocumentStatus, FileDocument
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
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.dynamo import put_with_copies, query_page, sort_stamp
from channelfin.store.records import (
    ContractRecord,
    CustomerMap,
    DecisionMap,
    DeliveryReportMap,
    FinancingMap,
    SignatureMap,
    TimelineEntryMap,
)


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
        return query_page(
            index,
            hash_key,
            key_names=self.KEYS[number],
            page=page,
            to_domain=_contract,
            filter_condition=ContractRecord.party_roles.contains(role.value) if role else None,
        )
