"""Mutations of the file's documents and signatures: each returns the changed object and `userErrors`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from channelfin.api.core.ids import contract_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import ContractPayload, contract_payload
from channelfin.api.documents.inputs import DeclineSignatureInput, RecordSignatureInput
from channelfin.services import financing as financing_service


@strawberry.type(description="What `recordSignature` answers: what it changed, or its userErrors.")
class RecordSignaturePayload(ContractPayload):
    pass


@strawberry.type(description="What `declineSignature` answers: what it changed, or its userErrors.")
class DeclineSignaturePayload(ContractPayload):
    pass


@strawberry.type
class DocumentsMutations:
    @strawberry.mutation(
        description="Record the end client's signature of the sale or lease contract "
        "(the e-signature connector's integration token, or leaser-admin)."
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
            lambda: financing_service.record_signature(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                document=input.document,
                signed_by=input.signed_by,
                signed_at=input.signed_at,
            ),
        )

    @strawberry.mutation(
        description="Record that the end client declined to sign: the file is CANCELLED "
        "(the e-signature connector, or leaser-admin)."
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
            lambda: financing_service.decline_signature(
                ctx.ports,
                ctx.principal,
                contract_id=contract_id(input.contract_id),
                document=input.document,
                declined_by=input.declined_by,
                reason=input.reason,
            ),
        )
