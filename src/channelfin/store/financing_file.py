"""The contract's file on DynamoDB: its financing (decision, delivery report), signatures and documents.

These are nested in every item of a contract (`contracts.ContractRecord`): the maps below and
the conversions between them and the domain's `ContractFinancing`, `Signature` and
`FileDocument`. Documents stored in the old form (a JSON string) are read by `legacy_json`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

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
    SignatureSource,
    WaitStep,
)
from channelfin.domain.money import Money
from channelfin.store import legacy_json
from channelfin.store.dynamo import IsoDateTimeAttribute


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
    payout_released_by = UnicodeAttribute(null=True)
    unconfirmed_signer = UnicodeAttribute(null=True)
    task_token = UnicodeAttribute(null=True)
    leaser_id = UnicodeAttribute(null=True)  # absent from files stored before payers: read from the agreement


class SignatureMap(MapAttribute[str, Any]):
    document = UnicodeAttribute()
    signed_by = UnicodeAttribute()
    signed_at = UTCDateTimeAttribute()
    source = UnicodeAttribute(null=True)  # absent on signatures older than the field: the provider's
    recorded_by = UnicodeAttribute(null=True)
    override_reason = UnicodeAttribute(null=True)


class FileDocumentMap(MapAttribute[str, Any]):
    """A document of the file (its PDF is in the PDF store under `storage_key`)."""

    kind = UnicodeAttribute()
    status = UnicodeAttribute()
    sha256 = UnicodeAttribute()
    storage_key = UnicodeAttribute()
    generated_at = IsoDateTimeAttribute()
    signing_request_id = UnicodeAttribute(null=True)
    signing_url = UnicodeAttribute(null=True)
    signed_by = UnicodeAttribute(null=True)
    signed_at = IsoDateTimeAttribute(null=True)
    decline_reason = UnicodeAttribute(null=True)


def signature_maps(signatures: Iterable[Signature]) -> list[SignatureMap] | None:
    return [
        SignatureMap(
            document=s.document.value,
            signed_by=s.signed_by,
            signed_at=s.signed_at,
            source=s.source.value,
            recorded_by=s.recorded_by or None,
            override_reason=s.override_reason,
        )
        for s in signatures
    ] or None


def signatures(maps: Iterable[Any] | None) -> tuple[Signature, ...]:
    return tuple(
        Signature(
            DocumentKind(s.document),
            s.signed_by,
            s.signed_at,
            SignatureSource(s.source) if s.source else SignatureSource.PROVIDER,
            s.recorded_by or "",
            s.override_reason,
        )
        for s in maps or ()
    )


def document_maps(documents: Iterable[FileDocument]) -> list[FileDocumentMap] | None:
    return [
        FileDocumentMap(
            kind=d.kind.value,
            status=d.status.value,
            sha256=d.sha256,
            storage_key=d.storage_key,
            generated_at=d.generated_at,
            signing_request_id=d.signing_request_id,
            signing_url=d.signing_url,
            signed_by=d.signed_by,
            signed_at=d.signed_at,
            decline_reason=d.decline_reason,
        )
        for d in documents
    ] or None


def documents(maps: Iterable[Any] | None, old_json: str | None) -> tuple[FileDocument, ...]:
    """The file's documents: from the maps, or from the JSON string of the old form."""
    if maps is None:
        return legacy_json.contract_documents(old_json) if old_json else ()
    return tuple(
        FileDocument(
            kind=DocumentKind(d.kind),
            status=DocumentStatus(d.status),
            sha256=d.sha256,
            storage_key=d.storage_key,
            generated_at=d.generated_at,
            signing_request_id=d.signing_request_id,
            signing_url=d.signing_url,
            signed_by=d.signed_by,
            signed_at=d.signed_at,
            decline_reason=d.decline_reason,
        )
        for d in maps
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
        payout_released_by=f.payout_released_by,
        unconfirmed_signer=f.unconfirmed_signer,
        task_token=f.task_token,
        leaser_id=f.leaser_id or None,
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
            tuple(cast(list[str], m.decision.reasons) or ()),
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
        payout_released_by=m.payout_released_by,
        unconfirmed_signer=m.unconfirmed_signer,
        task_token=m.task_token,
        leaser_id=m.leaser_id or "",
    )
