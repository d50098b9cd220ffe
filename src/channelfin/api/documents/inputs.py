"""Inputs of the file's documents and signatures (names binding per DESIGN 4)."""

from __future__ import annotations

import datetime as dt

import strawberry

from channelfin.domain.financing_file import DocumentKind


@strawberry.input
class RecordSignatureInput:
    contract_id: strawberry.ID
    document: DocumentKind = strawberry.field(description="SALE_CONTRACT or LEASE_CONTRACT.")
    signed_by: str
    signed_at: dt.datetime | None = strawberry.field(default=None, description="Default: now.")


@strawberry.input
class DeclineSignatureInput:
    contract_id: strawberry.ID
    document: DocumentKind
    declined_by: str
    reason: str
