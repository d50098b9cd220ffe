"""Use cases of the file's documents: produce them, send them for signature, take the provider's word back.

Produced once per kind (content-addressed keys, recorded on the contract with their SHA-256);
a retried step finds them there and sends nothing twice. The delivery report is produced once
the owner submitted it and sent to the end client like the two contracts (anew after a refusal).
The provider's events come back through the webhook (`signature_events.receive_signature_event`):
a signature counts only for the bytes that were sent; a refusal of a contract cancels the file
through the workflow, exactly as the connector's `recordSignature`/`declineSignature` would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from channelfin.domain.contracts import Contract
from channelfin.domain.document_content import delivery_report_content, lease_contract_content, sale_contract_content
from channelfin.domain.documents import DocumentStatus, FileDocument, sha256_of, storage_key
from channelfin.domain.errors import NotFound
from channelfin.domain.financing_file import NO_ADDRESS, SIGNED_BEFORE_DELIVERY, DocumentKind
from channelfin.services.contracts import update_contract
from channelfin.services.ports import Ports
from channelfin.services.signatories import signatory_for

DOWNLOAD_LINK_SECONDS = 300


def _content(ports: Ports, contract: Contract, kind: DocumentKind) -> bytes:
    partners = ports.partners.get_many(
        p for p in (contract.owner_id, contract.publisher_id, contract.reseller_id) if p is not None
    )
    if kind is DocumentKind.SALE_CONTRACT:
        reseller = partners.get(contract.reseller_id) if contract.reseller_id else None
        content = sale_contract_content(
            contract, partners[contract.owner_id], partners[contract.publisher_id], reseller
        )
    elif kind is DocumentKind.LEASE_CONTRACT:
        assert contract.financing is not None
        agreement = ports.partners.get_agreement(contract.financing.agreement_id)
        if agreement is None:
            raise NotFound(f"no agreement {contract.financing.agreement_id}")
        leaser = ports.partners.get(agreement.leaser_id)
        if leaser is None:
            raise NotFound(f"no leaser {agreement.leaser_id}")
        content = lease_contract_content(contract, leaser, agreement)
    else:
        assert contract.financing is not None and contract.financing.delivery_report is not None
        content = delivery_report_content(contract, partners[contract.owner_id], contract.financing.delivery_report)
    return ports.renderer.render(content)


def _produced(ports: Ports, contract: Contract, kind: DocumentKind, at: datetime) -> FileDocument:
    """The document's PDF, stored under its content address; its record on the contract, GENERATED."""
    pdf = _content(ports, contract, kind)
    digest = sha256_of(pdf)
    key = storage_key(contract.id, kind, digest)
    ports.document_store.put(key, pdf)
    return FileDocument(kind=kind, status=DocumentStatus.GENERATED, sha256=digest, storage_key=key, generated_at=at)


def send_for_signature(ports: Ports, contract_id: str) -> Contract:
    """Produce the sale and lease contracts and open a signature request for each, once."""
    contract = ports.contracts.get(contract_id)
    if contract is None:
        raise NotFound(f"no contract {contract_id}")
    for kind in SIGNED_BEFORE_DELIVERY:
        if contract.document(kind) is None:
            document = _produced(ports, contract, kind, ports.clock())
            contract = update_contract(ports, contract_id, _first_of_its_kind(document))
        contract = _sent(ports, contract, kind, contract.customer.name)
    return contract


def send_delivery_report(ports: Ports, contract_id: str) -> Contract:
    """Produce the report the owner submitted and send it to the end client for signature, once.

    A report the end client declined (or one that lapsed) is produced anew for the corrected
    submission; the request is addressed to the signer the report names, at the end client's address.
    """
    contract = ports.contracts.get(contract_id)
    report = contract.financing.delivery_report if contract and contract.financing else None
    if contract is None or report is None:
        raise NotFound(f"no delivery report submitted on contract {contract_id}")
    kind = DocumentKind.DELIVERY_REPORT
    stale = contract.document(kind)
    if stale is None or stale.status in (DocumentStatus.DECLINED, DocumentStatus.EXPIRED):
        document = _produced(ports, contract, kind, ports.clock())
        contract = update_contract(ports, contract_id, _replacing(stale, document))
    return _sent(ports, contract, kind, report.signed_by)


def _sent(ports: Ports, contract: Contract, kind: DocumentKind, signer_name: str) -> Contract:
    """Open the signature request of the document unless it is sent (or answered) already."""
    document = contract.document(kind)
    assert document is not None
    if document.status is not DocumentStatus.GENERATED:
        return contract  # a retried step sends nothing twice
    pdf = ports.document_store.get(document.storage_key)
    if pdf is None:
        raise NotFound(f"document {document.storage_key} is missing from the store")
    # The request goes to the signatory an analyst confirmed for the end client; without one, to
    # the address the owner typed, and the file remembers it so that its upfront payout is held.
    signatory = signatory_for(ports, contract)
    if signatory is not None:
        signer_email: str | None = signatory.email
        if kind is not DocumentKind.DELIVERY_REPORT:
            signer_name = signatory.name
    else:
        signer_email = contract.customer.email
    request = ports.signatures.request_signature(
        contract_id=contract.id,
        kind=kind,
        document=pdf,
        sha256=document.sha256,
        signer_name=signer_name,
        signer_email=signer_email,
    )
    unconfirmed = None if signatory is not None else signer_email or NO_ADDRESS

    def mark_sent(current: Contract) -> Contract:
        stored = current.document(kind)
        assert stored is not None
        sent = current.with_document(stored.sent(request_id=request.request_id, signing_url=request.signing_url))
        file = sent.financing
        if unconfirmed is None or file is None or file.unconfirmed_signer is not None:
            return sent
        return replace(sent, financing=replace(file, unconfirmed_signer=unconfirmed))

    return update_contract(ports, contract.id, mark_sent)


def _replacing(stale: FileDocument | None, document: FileDocument) -> Callable[[Contract], Contract]:
    """Record the new document unless another one replaced `stale` meanwhile (a retried step)."""
    return lambda c: c.with_document(document) if c.document(document.kind) == stale else c


def _first_of_its_kind(document: FileDocument) -> Callable[[Contract], Contract]:
    """Record the document unless one of its kind was recorded meanwhile (a retried step)."""
    return lambda c: c.with_document(document) if c.document(document.kind) is None else c


def download_url(ports: Ports, document: FileDocument) -> str:
    return ports.document_store.download_url(document.storage_key, expires_in=DOWNLOAD_LINK_SECONDS)
