"""GraphQL types of a financed contract's documents and their signatures."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.node import presenter
from channelfin.domain import contracts as dc
from channelfin.domain import documents as ddoc
from channelfin.domain import financing_file as dff
from channelfin.domain.documents import DocumentStatus
from channelfin.domain.financing_file import DocumentKind, SignatureSource
from channelfin.services import documents as document_service


@strawberry.type(description="A document of the contract's file: produced, sent for signature, signed.")
class Document:
    kind: DocumentKind = strawberry.field(description="Which document of the file.")
    status: DocumentStatus | None = strawberry.field(description="Null while the document is not produced yet.")
    sha256: str | None = strawberry.field(description="SHA-256 of the PDF as produced and sent (hex).")
    signing_url: str | None = strawberry.field(description="Where the end client signs, while SENT.")
    signed_by: str | None = strawberry.field(description="The end client's signer (or who declined).")
    signed_at: dt.datetime | None = strawberry.field(description="When it was signed (UTC), once signed.")
    decline_reason: str | None = strawberry.field(default=None, description="Why a signer declined, if one did.")
    signature_source: SignatureSource | None = strawberry.field(
        default=None,
        description="Who vouches for the signature: PROVIDER (the e-signature provider) or OVERRIDE (a leaser-admin).",
    )
    override_reason: str | None = strawberry.field(default=None, description="Why a leaser-admin overrode.")
    file: strawberry.Private[ddoc.FileDocument | None] = None

    @strawberry.field(description="A link to the PDF valid for 5 minutes (presigned), for the contract's parties.")
    def download_url(self, info: strawberry.Info[Context, None]) -> str | None:
        if self.file is None:
            return None
        return document_service.download_url(info.context.ports, self.file)

    @classmethod
    def list_from(cls, c: dc.Contract) -> "list[Document]":
        """The sale contract always; the lease contract and delivery report once financing is requested."""
        f = c.financing
        kinds = (
            [*dff.SIGNED_BEFORE_DELIVERY, dff.DocumentKind.DELIVERY_REPORT] if f else [dff.DocumentKind.SALE_CONTRACT]
        )
        documents = []
        for kind in kinds:
            file = c.document(kind)
            signature = c.signature_of(kind)  # the delivery report too: the end client's, never the owner's
            signed_by = signature.signed_by if signature else None
            signed_at = signature.signed_at if signature else None
            if file is not None and file.status is ddoc.DocumentStatus.DECLINED:
                signed_by, signed_at = file.signed_by, file.signed_at
            documents.append(
                cls(
                    kind=kind,
                    status=file.status if file else None,
                    sha256=file.sha256 if file else None,
                    signing_url=file.signing_url if file and file.status is ddoc.DocumentStatus.SENT else None,
                    signed_by=signed_by,
                    signed_at=signed_at,
                    decline_reason=file.decline_reason if file else None,
                    signature_source=signature.source if signature else None,
                    override_reason=signature.override_reason if signature else None,
                    file=file,
                )
            )
        return documents


presenter("Documents", Document.list_from)
