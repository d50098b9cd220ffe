"""The contract's file on DynamoDB: its financing (decision, delivery report), signatures and documents.

These are nested in every item of a contract (`contracts.ContractRecord`): the maps below and
the conversions between them and the domain's `ContractFinancing`, `Signature` and
`FileDocument`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from channelfin.domain.documents import DocumentStatus, FileDocument
from channelfin.domain.financing import DecisionMode
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


class DecisionMap(MapAttribute[str, Any]):
    outcome = UnicodeAttribute()
    reasons = ListAttribute(of=UnicodeAttribute, default=list)
    decided_at = UTCDateTimeAttribute()
    decided_by = UnicodeAttribute()


class DeliveryReportMap(MapAttribute[str, Any]):
    installed_at = UnicodeAttribute()
    signed_by = UnicodeAttribute()
    submitted_at = UTCDateTimeAttribute()


class FinancingMap(MapAttribute[str, Any]):
    agreement_id = UnicodeAttribute()
    financed_amount_cents = NumberAttribute()
    upfront_payout_cents = NumberAttribute()
    leaser_fees_cents = NumberAttribute()
    decision_mode = UnicodeAttribute()
    decision = DecisionMap()
    payout_sla_hours = NumberAttribute()
    requested_at = UTCDateTimeAttribute()
    requested_by = UnicodeAttribute()
    delivery_report = DeliveryReportMap(null=True)
    transmitted_at = UTCDateTimeAttribute(null=True)
    declined = UnicodeAttribute(null=True)
    waiting_for = UnicodeAttribute(null=True)
    task_token = UnicodeAttribute(null=True)


class SignatureMap(MapAttribute[str, Any]):
    document = UnicodeAttribute()
    signed_by = UnicodeAttribute()
    signed_at = UTCDateTimeAttribute()


def signature_maps(signatures: Iterable[Signature]) -> list[SignatureMap] | None:
    return [
        SignatureMap(document=s.document.value, signed_by=s.signed_by, signed_at=s.signed_at) for s in signatures
    ] or None


def signatures(maps: Iterable[Any] | None) -> tuple[Signature, ...]:
    return tuple(Signature(DocumentKind(s.document), s.signed_by, s.signed_at) for s in maps or ())


def documents_json(documents: tuple[FileDocument, ...]) -> str | None:
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


def documents(text: str | None) -> tuple[FileDocument, ...]:
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


def financing_map(f: ContractFinancing) -> FinancingMap:
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


def financing(m: FinancingMap, currency: str) -> ContractFinancing:
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
