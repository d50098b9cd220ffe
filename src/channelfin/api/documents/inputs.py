"""Inputs of the file's documents and signatures (names binding per DESIGN 4)."""

import datetime as dt

import strawberry

from channelfin.domain.financing_file import DocumentKind


@strawberry.input(description="The input of `recordSignature`.")
class RecordSignatureInput:
    contract_id: strawberry.ID = strawberry.field(description="The contract whose document was signed.")
    document: DocumentKind = strawberry.field(
        description="SALE_CONTRACT, LEASE_CONTRACT, or DELIVERY_REPORT once the owner submitted it."
    )
    signed_by: str = strawberry.field(description="The end client's signer.")
    signed_at: dt.datetime | None = strawberry.field(default=None, description="Default: now.")
    override_reason: str | None = strawberry.field(
        default=None,
        description="A leaser-admin records a signature only as an override, saying why (500 characters); "
        "the connector never sends one.",
    )


@strawberry.input(description="The input of `declineSignature`.")
class DeclineSignatureInput:
    contract_id: strawberry.ID = strawberry.field(description="The contract whose document was declined.")
    document: DocumentKind = strawberry.field(description="Which document.")
    declined_by: str = strawberry.field(description="Who declined, as the e-signature provider names them.")
    reason: str = strawberry.field(description="Why, if the signer said.")
