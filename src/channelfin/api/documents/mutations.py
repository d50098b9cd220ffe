"""Mutations of the file's documents and signatures: each returns the changed object and `userErrors`."""

from typing import Annotated

import strawberry

from channelfin.api.core.ids import contract_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import ContractPayload, contract_payload
from channelfin.api.documents.inputs import DeclineSignatureInput, RecordSignatureInput
from channelfin.services import signatures as signature_service


@strawberry.type(description="What `recordSignature` answers: what it changed, or its userErrors.")
class RecordSignaturePayload(ContractPayload):
    pass


@strawberry.type(description="What `declineSignature` answers: what it changed, or its userErrors.")
class DeclineSignaturePayload(ContractPayload):
    pass


@strawberry.type
class DocumentsMutations:
    @strawberry.mutation(
        description="Record the end client's signature of the sale contract, the lease contract or the delivery "
        "report: the e-signature connector (what the provider saw the end client sign), or a leaser-admin "
        "override with overrideReason (kept on the signature and in the audit trail). Never the paid party."
    )
    def record_signature(
        self,
        info: Info,
        input: Annotated[
            RecordSignatureInput, strawberry.argument(description="What to do: see `RecordSignatureInput`.")
        ],
    ) -> RecordSignaturePayload:
        ctx = info.context
        return contract_payload(
            RecordSignaturePayload,
            lambda: signature_service.record_signature(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                document=input.document,
                signed_by=input.signed_by,
                signed_at=input.signed_at,
                override_reason=input.override_reason,
            ),
        )

    @strawberry.mutation(
        description="Record that the end client declined to sign (the e-signature connector, or leaser-admin): "
        "the sale or lease contract cancels the file; a declined delivery report is dropped and the owner "
        "submits a corrected one."
    )
    def decline_signature(
        self,
        info: Info,
        input: Annotated[
            DeclineSignatureInput, strawberry.argument(description="What to do: see `DeclineSignatureInput`.")
        ],
    ) -> DeclineSignaturePayload:
        ctx = info.context
        return contract_payload(
            DeclineSignaturePayload,
            lambda: signature_service.decline_signature(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                document=input.document,
                declined_by=input.declined_by,
                reason=input.reason,
            ),
        )
