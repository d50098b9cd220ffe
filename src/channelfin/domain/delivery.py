"""The delivery report (procès-verbal de livraison): submitted by the owner, signed by the end client.

The owner is the party the file pays, so its word alone never completes delivery (issue 17):
its submission only says when the software was installed and who signs for the end client;
the report counts once the end client signed it, as the signature provider (or a leaser
admin's override) records it. A report the end client declines is dropped, and the owner may
submit a corrected one.

The `Contract` methods of the same names delegate here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.documents import DocumentStatus
from channelfin.domain.error_codes import CommonCode, FinancingCode
from channelfin.domain.errors import Conflict, InvalidTransition, ValidationError
from channelfin.domain.financing_file import DeliveryReport, DocumentKind, Signature

if TYPE_CHECKING:
    from channelfin.domain.contracts import Contract


# The installation date is a calendar date where the end client is, which the API does not know:
# a French user at 00:30 in Paris is still on yesterday's date in UTC (CI found it, a browser in
# Europe/Paris refused "today"). A date is in the future only once it is so in every time zone.
LATEST_UTC_OFFSET = timedelta(hours=14)


def latest_calendar_date(at: datetime) -> date:
    """The calendar date somewhere on earth at `at` is at most this one (UTC+14, Line Islands)."""
    return (at.astimezone(UTC) + LATEST_UTC_OFFSET).date()


def reported(contract: Contract, report: DeliveryReport) -> Contract:
    """The owner's report, to be signed by the end client (a repeated submission changes nothing)."""
    file = contract._file()
    if file.delivery_report is not None:
        previous = file.delivery_report
        if (previous.installed_at, previous.signed_by) == (report.installed_at, report.signed_by):
            return contract
        raise Conflict("a different delivery report was already submitted")
    if contract.status is not ContractStatus.AWAITING_DELIVERY:
        code = (
            FinancingCode.SIGNATURES_MISSING
            if not contract.signatures_complete
            else FinancingCode.NOT_AWAITING_DELIVERY
        )
        raise InvalidTransition(
            "the delivery report comes after the sale and lease contracts are signed, while the contract "
            f"awaits delivery; this one is {contract.status.value}",
            code=code,
        )
    if report.installed_at > latest_calendar_date(report.submitted_at):
        raise ValidationError(
            "the installation date is in the future", code=CommonCode.INVALID_DATE, field=["installedAt"]
        )
    return contract._with_financing(replace(file, delivery_report=report))


def signed(contract: Contract, signature: Signature) -> Contract:
    """The end client's signature of the submitted report (idempotent for the same signer)."""
    existing = contract.signature_of(DocumentKind.DELIVERY_REPORT)
    if existing is not None:
        if existing.signed_by == signature.signed_by:
            return contract
        raise Conflict(f"the delivery report is already signed by {existing.signed_by}")
    file = contract._file()
    if contract.status is not ContractStatus.AWAITING_DELIVERY or file.delivery_report is None:
        raise InvalidTransition(
            "the end client signs the delivery report the owner submitted, while the contract awaits delivery",
            code=FinancingCode.DELIVERY_REPORT_NOT_SUBMITTED,
        )
    return replace(contract, signatures=(*contract.signatures, signature), version=contract.version + 1)


def declined(contract: Contract, *, note: str, at: datetime, actor: str) -> Contract:
    """The end client refuses to sign the report: it is dropped (the owner submits a corrected one).

    The contract stays AWAITING_DELIVERY; the refusal is kept in its timeline.
    """
    file = contract._file()
    if contract.status is not ContractStatus.AWAITING_DELIVERY or file.delivery_report is None:
        raise InvalidTransition(
            "only a submitted delivery report awaiting the end client's signature can be declined",
            code=FinancingCode.DELIVERY_REPORT_NOT_SUBMITTED,
        )
    if contract.signature_of(DocumentKind.DELIVERY_REPORT) is not None:
        raise InvalidTransition(
            "the end client already signed the delivery report", code=FinancingCode.NOT_AWAITING_DELIVERY
        )
    document = contract.document(DocumentKind.DELIVERY_REPORT)
    dropped = contract._with_financing(replace(file, delivery_report=None)).noted(note, at=at, actor=actor)
    if document is not None and document.status is DocumentStatus.SENT:
        dropped = dropped.with_document(document.declined(by=actor, at=at, reason=note))
    return dropped
