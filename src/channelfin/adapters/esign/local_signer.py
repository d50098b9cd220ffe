"""The local signer of `channelfin dev`: a signature provider a person can use in a browser.

`request_signature` only makes the link: the request id names the contract, the document and
the first bytes of its SHA-256, so the signing page (served by the dev server, see
`local/signing_pages.py`) can show that document and, on "Signer" or "Refuser", call the
same webhook a real provider would, signed with the shared secret.
"""

from __future__ import annotations

from channelfin.domain.financing_file import DocumentKind
from channelfin.services.ports import SignatureRequest


def request_id_for(contract_id: str, kind: DocumentKind, sha256: str) -> str:
    return f"{contract_id}.{kind.value}.{sha256[:12]}"


def parse_request_id(request_id: str) -> tuple[str, DocumentKind, str]:
    """(contract id, document kind, SHA-256 prefix); ValueError for anything we did not issue."""
    contract_id, kind, prefix = request_id.split(".")
    return contract_id, DocumentKind(kind), prefix


class LocalSigner:
    needs_signer_email = False  # its signing page is opened from the file, not from a mail

    def __init__(self, public_url: str) -> None:
        self.public_url = public_url.rstrip("/")

    def request_signature(
        self,
        *,
        contract_id: str,
        kind: DocumentKind,
        document: bytes,
        sha256: str,
        signer_name: str,
        signer_email: str | None,
    ) -> SignatureRequest:
        request_id = request_id_for(contract_id, kind, sha256)
        return SignatureRequest(request_id=request_id, signing_url=f"{self.public_url}/esign/local/{request_id}")
