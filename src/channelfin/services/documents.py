"""Use cases of the file's documents: produce them, send them for signature, take the provider's word back.

Produced once per kind (content-addressed keys, recorded on the contract with their SHA-256);
a retried step finds them there and sends nothing twice. The provider's events come back
through the webhook (`signature_events.receive_signature_event`): a signature counts only for the bytes that
were sent, a refusal cancels the file through the workflow, exactly as the connector's
`recordSignature`/`declineSignature` would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from channelfin.domain.contracts import Contract
from channelfin.domain.document_content import delivery_report_content, lease_contract_content, sale_contract_content
from channelfin.domain.documents import DocumentStatus, FileDocument, sha256_of, storage_key
from channelfin.domain.errors import NotFound
from channelfin.domain.financing_file import SIGNED_BEFORE_DELIVERY, DocumentKind
from channelfin.services.contracts import update_contract
from channelfin.services.ports import Ports

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


def _first(contract: Contract, document: FileDocument) -> Contract:
    """Keep the document unless one of its kind is there already (a concurrent or earlier run)."""
    return contract if contract.document(document.kind) is not None else contract.with_document(document)


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
        document = contract.document(kind)
        if document is None:
            document = _produced(ports, contract, kind, ports.clock())
            contract = update_contract(ports, contract_id, _first_of_its_kind(document))
            document = contract.document(kind)
            assert document is not None
        if document.status is not DocumentStatus.GENERATED:
            continue  # sent (or answered) already: a retried step sends nothing twice
        pdf = ports.document_store.get(document.storage_key)
        if pdf is None:
            raise NotFound(f"document {document.storage_key} is missing from the store")
        request = ports.signatures.request_signature(
            contract_id=contract.id,
            kind=kind,
            document=pdf,
            sha256=document.sha256,
            signer_name=contract.customer.name,
            signer_email=contract.customer.email,
        )

        def mark_sent(current: Contract, kind: DocumentKind = kind, request=request) -> Contract:
            stored = current.document(kind)
            assert stored is not None
            return current.with_document(stored.sent(request_id=request.request_id, signing_url=request.signing_url))

        contract = update_contract(ports, contract_id, mark_sent)
    return contract


def add_delivery_report(ports: Ports, contract_id: str) -> Contract:
    """The delivery report, produced once it is submitted; signed on the spot by the end client's signer."""
    contract = ports.contracts.get(contract_id)
    if contract is None or contract.financing is None or contract.financing.delivery_report is None:
        return contract  # type: ignore[return-value]
    if contract.document(DocumentKind.DELIVERY_REPORT) is not None:
        return contract
    report = contract.financing.delivery_report
    produced = _produced(ports, contract, DocumentKind.DELIVERY_REPORT, ports.clock())
    signed = produced.signed(by=report.signed_by, at=report.submitted_at, sha256=produced.sha256)
    return update_contract(ports, contract_id, lambda c: _first(c, signed))


def _first_of_its_kind(document: FileDocument) -> Callable[[Contract], Contract]:
    """Record the document unless one of its kind was recorded meanwhile (a retried step)."""
    return lambda c: c.with_document(document) if c.document(document.kind) is None else c


def download_url(ports: Ports, document: FileDocument) -> str:
    return ports.document_store.download_url(document.storage_key, expires_in=DOWNLOAD_LINK_SECONDS)
