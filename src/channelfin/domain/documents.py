"""The documents of a contract's file (seed 000): what they say, and where each stands.

The sale contract (owner ↔ end client) and the lease contract (leaser ↔ end client) are
produced when financing is approved and sent for electronic signature; the delivery report
is produced once the end client signed it after installation. Each document's SHA-256 is
recorded when it is produced, so a signature can be checked against the very bytes sent.

What each document says is built in `document_content`.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from channelfin.domain.error_codes import DocumentCode
from channelfin.domain.errors import InvalidTransition
from channelfin.domain.financing_file import DocumentKind


class DocumentStatus(enum.Enum):
    GENERATED = "GENERATED"  # produced and stored, not sent yet
    SENT = "SENT"  # waiting for the signer at the e-signature provider
    SIGNED = "SIGNED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class FileDocument:
    """One document of the file as stored: its bytes are in the document store under `storage_key`."""

    kind: DocumentKind
    status: DocumentStatus
    sha256: str
    storage_key: str
    generated_at: datetime
    signing_request_id: str | None = None
    signing_url: str | None = None
    signed_by: str | None = None
    signed_at: datetime | None = None
    decline_reason: str | None = None

    def sent(self, *, request_id: str, signing_url: str) -> FileDocument:
        if self.status is not DocumentStatus.GENERATED:
            return self
        return replace(self, status=DocumentStatus.SENT, signing_request_id=request_id, signing_url=signing_url)

    def signed(self, *, by: str, at: datetime, sha256: str) -> FileDocument:
        """The signer signed the bytes we sent, or nothing is recorded."""
        if sha256 != self.sha256:
            raise InvalidTransition(
                "the signed document is not the one that was sent (SHA-256 differs)",
                code=DocumentCode.DOCUMENT_HASH_MISMATCH,
            )
        if self.status is DocumentStatus.SIGNED:
            return self
        if self.status not in (DocumentStatus.SENT, DocumentStatus.GENERATED):
            raise InvalidTransition(
                f"a {self.status.value} document cannot be signed", code=DocumentCode.NOT_AWAITING_SIGNATURE
            )
        return replace(self, status=DocumentStatus.SIGNED, signed_by=by, signed_at=at)

    def declined(self, *, by: str, at: datetime, reason: str) -> FileDocument:
        if self.status is DocumentStatus.DECLINED:
            return self
        if self.status is not DocumentStatus.SENT:
            raise InvalidTransition(
                f"a {self.status.value} document cannot be declined", code=DocumentCode.NOT_AWAITING_SIGNATURE
            )
        return replace(self, status=DocumentStatus.DECLINED, signed_by=by, signed_at=at, decline_reason=reason)

    def expired(self) -> FileDocument:
        if self.status in (DocumentStatus.SENT, DocumentStatus.GENERATED):
            return replace(self, status=DocumentStatus.EXPIRED)
        return self


def storage_key(contract_id: str, kind: DocumentKind, sha256: str) -> str:
    """Content-addressed: the same bytes always land at the same key, a new version never overwrites."""
    return f"contracts/{contract_id}/{kind.value.lower()}-{sha256[:16]}.pdf"
