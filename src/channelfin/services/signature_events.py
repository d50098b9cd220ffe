"""What the signature provider tells us: a signer signed, or declined, one document of a file.

Apart from `documents` (which produces and sends the documents) because an event moves the
financing file on (`signatures.record_signature` / `decline_signature`). The provider's word is
the end client's: the webhook records it as the platform's connector would.
"""

from __future__ import annotations

from datetime import datetime

from channelfin.domain.access import Principal
from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import DocumentCode
from channelfin.domain.errors import Conflict, InvalidTransition, NotFound
from channelfin.domain.financing_file import DocumentKind
from channelfin.services.contracts import update_contract
from channelfin.services.ports import Ports
from channelfin.services.signatures import decline_signature, record_signature

# The e-signature webhook acts as the platform's connector (an integration caller with no partner).
WEBHOOK = Principal.platform_connector(sub="esign-webhook")


def receive_signature_event(
    ports: Ports,
    *,
    event_type: str,
    request_id: str,
    contract_id: str,
    kind: DocumentKind,
    signer: str,
    at: datetime,
    sha256: str | None,
    reason: str | None,
) -> Contract:
    """The provider says the signer signed (the bytes with that SHA-256) or declined the document."""
    contract = ports.contracts.get(contract_id)
    document = contract.document(kind) if contract else None
    if contract is None or document is None:
        raise NotFound("no such document awaiting signature", code=DocumentCode.UNKNOWN_DOCUMENT)
    if document.signing_request_id != request_id:
        raise Conflict(
            "this signature request is not the one open for that document", code=DocumentCode.UNKNOWN_REQUEST
        )
    # The signature (or refusal) is recorded first, with every check the contract makes; the document
    # shows it after. The other way round, an event the contract refused (a cancelled file, a time
    # ahead of our clock) left the document SIGNED on a contract without the signature.
    if event_type == "signed":
        signed = document.signed(by=signer, at=at, sha256=sha256 or "")  # refuses other bytes: nothing recorded
        record_signature(ports, WEBHOOK, contract_id=contract_id, document=kind, signed_by=signer, signed_at=at)
        return update_contract(ports, contract_id, lambda c: c.with_document(signed))
    if event_type == "declined":
        declined = document.declined(by=signer, at=at, reason=reason or "no reason given")
        decline_signature(
            ports, WEBHOOK, contract_id=contract_id, document=kind, declined_by=signer, reason=reason or ""
        )
        return update_contract(ports, contract_id, lambda c: c.with_document(declined))
    raise InvalidTransition(f"unknown event type {event_type!r}", code=DocumentCode.UNKNOWN_EVENT)
