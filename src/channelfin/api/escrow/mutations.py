"""Mutations of escrow agreements: each returns the changed object and `userErrors`."""

from typing import Annotated

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import object_payload
from channelfin.api.escrow.inputs import (
    ConfirmEscrowTriggerInput,
    DeclarePublisherDefaultInput,
    SignEscrowAgreementInput,
)
from channelfin.api.escrow.types import EscrowAgreement
from channelfin.services import escrow as escrow_service


@strawberry.type(description="What `signEscrowAgreement` answers: what it changed, or its userErrors.")
class SignEscrowAgreementPayload:
    escrow_agreement: EscrowAgreement | None = strawberry.field(description="The new agreement; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `declarePublisherDefault` answers: what it changed, or its userErrors.")
class DeclarePublisherDefaultPayload:
    escrow_agreement: EscrowAgreement | None = strawberry.field(
        description="The agreement, DEFAULT_DECLARED; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `confirmEscrowTrigger` answers: what it changed, or its userErrors.")
class ConfirmEscrowTriggerPayload:
    escrow_agreement: EscrowAgreement | None = strawberry.field(
        description="The agreement, TRIGGERED; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type
class EscrowMutations:
    @strawberry.mutation(description="Record an escrow agreement (leaser-admin).")
    def sign_escrow_agreement(
        self,
        info: Info,
        input: Annotated[
            SignEscrowAgreementInput, strawberry.argument(description="What to do: see `SignEscrowAgreementInput`.")
        ],
    ) -> SignEscrowAgreementPayload:
        ctx = info.context
        return object_payload(
            SignEscrowAgreementPayload,
            "escrow_agreement",
            EscrowAgreement.from_domain,
            lambda: escrow_service.sign_escrow_agreement(
                ctx.ports,
                ctx.principal,
                leaser_id=local_id(input.leaser_id, "Partner", field=["leaserId"]),
                publisher_id=local_id(input.publisher_id, "Partner", field=["publisherId"]),
                host_id=local_id(input.host_id, "Partner", field=["hostId"]),
                continuity_provider_id=local_id(
                    input.continuity_provider_id, "Partner", field=["continuityProviderId"]
                ),
                products=input.products,
                deposit_reference=input.deposit_reference,
                last_deposit_at=input.last_deposit_at,
            ),
        )

    @strawberry.mutation(
        description="Declare the publisher in default: starts the escrow-trigger workflow, which "
        "waits for a second leaser admin's confirmation (leaser-admin)."
    )
    def declare_publisher_default(
        self,
        info: Info,
        input: Annotated[
            DeclarePublisherDefaultInput,
            strawberry.argument(description="What to do: see `DeclarePublisherDefaultInput`."),
        ],
    ) -> DeclarePublisherDefaultPayload:
        ctx = info.context
        return object_payload(
            DeclarePublisherDefaultPayload,
            "escrow_agreement",
            EscrowAgreement.from_domain,
            lambda: escrow_service.declare_publisher_default(
                ctx.ports,
                ctx.principal,
                agreement_id=local_id(input.escrow_agreement_id, "EscrowAgreement", field=["escrowAgreementId"]),
                reason=input.reason,
            ),
        )

    @strawberry.mutation(
        description="Confirm (or dismiss) a declared default; a different leaser admin than the one who declared it."
    )
    def confirm_escrow_trigger(
        self,
        info: Info,
        input: Annotated[
            ConfirmEscrowTriggerInput, strawberry.argument(description="What to do: see `ConfirmEscrowTriggerInput`.")
        ],
    ) -> ConfirmEscrowTriggerPayload:
        ctx = info.context
        return object_payload(
            ConfirmEscrowTriggerPayload,
            "escrow_agreement",
            EscrowAgreement.from_domain,
            lambda: escrow_service.confirm_escrow_trigger(
                ctx.ports,
                ctx.principal,
                agreement_id=local_id(input.escrow_agreement_id, "EscrowAgreement", field=["escrowAgreementId"]),
                confirm=input.confirm,
            ),
        )
