"""Signatures and the delivery report: what completes a file, and who may vouch for it.

The owner is the party the file pays, so nothing it says completes the file (issue 17): a
signature counts only when the signature provider records it — its webhook
(`signature_events`), or the platform's connector (`recordSignature`) — as the end client's,
or when a leaser admin overrides with a reason, kept on the signature and in the audit trail.
The owner's `submitDeliveryReport` only submits the report; the workflow sends it to the end
client for signature and moves on once the signed report is recorded.

Each use case records the fact on the contract first (a version-conditioned write) and then,
if the workflow waits for it, completes or fails its task token.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from channelfin.domain.access import Principal, Role, require, require_acting_for
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import CommonCode, DocumentCode, FinancingCode
from channelfin.domain.errors import InvalidTransition, ValidationError
from channelfin.domain.financing_file import (
    SIGNED_BEFORE_DELIVERY,
    DeliveryReport,
    DocumentKind,
    Signature,
    SignatureSource,
    WaitStep,
)
from channelfin.domain.partners import MAX_REASON_LENGTH, clean_name
from channelfin.services.contracts import contract_for, update_contract
from channelfin.services.ports import Ports, TaskTokenRejected
from channelfin.services.programs import register_sale

SIGNATURE_DECLINED = "SignatureDeclined"  # the error names the definition catches
DELIVERY_REPORT_DECLINED = "DeliveryReportDeclined"


def resume(ports: Ports, token: str | None, output: dict[str, object]) -> None:
    if token is None:
        return
    try:
        ports.workflows.resume(token, output)
    except TaskTokenRejected as exc:
        raise InvalidTransition(
            "the financing workflow no longer waits for this step", code=FinancingCode.STEP_CLOSED
        ) from exc


def _fail(ports: Ports, token: str | None, error: str, cause: str) -> None:
    if token is None:
        return
    try:
        ports.workflows.fail(token, error, cause)
    except TaskTokenRejected as exc:
        raise InvalidTransition("the signature step is closed", code=FinancingCode.STEP_CLOSED) from exc


def _require_signature_connector(principal: Principal, action: str) -> None:
    if not (principal.is_platform_connector or principal.has_any(Role.LEASER_ADMIN)):
        require(principal, Role.LEASER_ADMIN, action=f"{action} (or the e-signature connector's integration token)")


def _source(principal: Principal, override_reason: str | None) -> tuple[SignatureSource, str | None]:
    """The provider's word (the connector, no reason), or a leaser admin's override (a reason)."""
    _require_signature_connector(principal, "recordSignature")
    reason = " ".join((override_reason or "").split()) or None
    if principal.is_platform_connector:
        if reason is not None:
            raise ValidationError(
                "the connector records what the provider saw the end client sign; only a leaser-admin overrides",
                code=DocumentCode.OVERRIDE_NOT_ALLOWED,
                field=["overrideReason"],
            )
        return SignatureSource.PROVIDER, None
    if reason is None:
        raise ValidationError(
            "a leaser-admin records a signature only as an override: say why (e.g. signed on paper)",
            code=DocumentCode.OVERRIDE_REASON_REQUIRED,
            field=["overrideReason"],
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            f"at most {MAX_REASON_LENGTH} characters", code=CommonCode.TOO_LONG, field=["overrideReason"]
        )
    return SignatureSource.OVERRIDE, reason


def record_signature(
    ports: Ports,
    principal: Principal,
    *,
    contract_id: str,
    document: DocumentKind,
    signed_by: str,
    signed_at: datetime | None,
    override_reason: str | None = None,
) -> Contract:
    """The end client signed `document`: the file moves on when the workflow waited for it."""
    source, reason = _source(principal, override_reason)
    signer = signed_by.strip()
    if not signer:
        raise ValidationError("signedBy is the signer's name", code=CommonCode.REQUIRED, field=["signedBy"])
    at = signed_at or ports.clock()
    if at > ports.clock():
        raise ValidationError("signedAt is in the future", code=CommonCode.INVALID_DATE, field=["signedAt"])
    signature = Signature(document, signer, at, source, principal.sub, reason)
    token: str | None = None

    def record(current: Contract) -> Contract:
        nonlocal token
        token = None
        signed = current.signed(signature, actor=principal.sub)
        file = signed.financing
        if file is None or file.task_token is None:
            return signed
        report_awaited = document is DocumentKind.DELIVERY_REPORT and file.waiting_for is WaitStep.DELIVERY_SIGNATURE
        contracts_awaited = signed.signatures_complete and file.waiting_for is WaitStep.SIGNATURES
        if report_awaited or (document in SIGNED_BEFORE_DELIVERY and contracts_awaited):
            token = file.task_token
        return signed.done_waiting() if token else signed

    contract = update_contract(ports, contract_id, record)
    if document is DocumentKind.DELIVERY_REPORT:
        resume(ports, token, {"deliveryReportSigned": True})
    else:
        resume(ports, token, {"signed": [d.value for d in SIGNED_BEFORE_DELIVERY]})
    if document is DocumentKind.SALE_CONTRACT:
        register_sale(ports, contract)  # idempotent: a repeated event numbers and pays nothing twice
    return contract


def decline_signature(
    ports: Ports, principal: Principal, *, contract_id: str, document: DocumentKind, declined_by: str, reason: str
) -> Contract:
    """The end client refuses to sign: the sale or lease contract cancels the file; a refused delivery
    report is dropped, and the workflow waits for the owner's corrected one."""
    _require_signature_connector(principal, "declineSignature")
    note = f"{declined_by.strip() or 'the end client'} declined the {document.value}: {reason.strip() or 'no reason'}"
    if document is DocumentKind.DELIVERY_REPORT:
        return _decline_delivery_report(ports, principal, contract_id, note[:MAX_REASON_LENGTH])
    token: str | None = None

    def record(current: Contract) -> Contract:
        nonlocal token
        file = current.financing
        if file is None or current.status not in (ContractStatus.APPROVED, ContractStatus.AWAITING_SIGNATURES):
            raise InvalidTransition(
                "only a document awaiting signature can be declined", code=FinancingCode.NOT_AWAITING_SIGNATURES
            )
        if file.declined:
            return current
        token = file.task_token if file.waiting_for is WaitStep.SIGNATURES else None
        file = replace(file, declined=note, waiting_for=None if token else file.waiting_for, task_token=None)
        return replace(current, financing=file, version=current.version + 1)

    contract = update_contract(ports, contract_id, record)
    _fail(ports, token, SIGNATURE_DECLINED, note)
    return contract


def _decline_delivery_report(ports: Ports, principal: Principal, contract_id: str, note: str) -> Contract:
    token: str | None = None

    def record(current: Contract) -> Contract:
        nonlocal token
        declined = current.delivery_report_declined(note=note, at=ports.clock(), actor=principal.sub)
        file = declined.financing
        token = file.task_token if file and file.waiting_for is WaitStep.DELIVERY_SIGNATURE else None
        return declined.done_waiting() if token else declined

    contract = update_contract(ports, contract_id, record)
    _fail(ports, token, DELIVERY_REPORT_DECLINED, note)
    return contract


LINE_BREAKS = ("\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029")


def submit_delivery_report(
    ports: Ports, principal: Principal, *, contract_id: str, installed_at: date, signed_by: str
) -> Contract:
    """The owner says the software is installed: the report goes to the end client for signature
    (the workflow's next step); it does not complete delivery by itself."""
    contract = contract_for(ports, principal, contract_id)
    require_acting_for(principal, contract.owner_id, action="submitDeliveryReport", field=["contractId"])
    # Printed in the report the end client signs, and sent to the provider as the signer's name: a
    # name as customers' are, on one line, without control or invisible characters (a newline
    # added a second "Réserves" clause to the PDF).
    if any(mark in signed_by.strip() for mark in LINE_BREAKS):
        raise ValidationError(
            "signedBy is a name on one line, without control or invisible characters",
            code=CommonCode.INVALID_INPUT,
            field=["signedBy"],
        )
    signer = clean_name(signed_by, field=["signedBy"])
    report = DeliveryReport(installed_at, signer, ports.clock())
    token: str | None = None

    def record(current: Contract) -> Contract:
        nonlocal token
        reported = current.delivery_reported(report)
        file = reported.financing
        token = file.task_token if file and file.waiting_for is WaitStep.DELIVERY_REPORT else None
        return reported.done_waiting() if token else reported

    contract = update_contract(ports, contract_id, record)
    resume(ports, token, {"installedAt": installed_at.isoformat()})
    return contract
