"""Mutations of payment runs: each returns the run and `userErrors`."""

from typing import Annotated

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import object_payload
from channelfin.api.payments.inputs import RunPaymentsInput
from channelfin.api.payments.types import PaymentRun
from channelfin.services import payment_runs as run_service


@strawberry.type(description="What `runPayments` answers: what it changed, or its userErrors.")
class RunPaymentsPayload:
    run: PaymentRun | None = strawberry.field(description="The run (the same one when asked again); null if refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type
class PaymentsMutations:
    @strawberry.mutation(
        description="Pay every payout a payer owes, due up to `upTo` (at most 7 days ahead), net of what each "
        "counterparty owes it (treasury for the leaser; a partner's own partner-admin for that partner). The "
        "same payer and `upTo` give the same run, which pays nothing twice."
    )
    def run_payments(
        self,
        info: Info,
        input: Annotated[RunPaymentsInput, strawberry.argument(description="What to do: see `RunPaymentsInput`.")],
    ) -> RunPaymentsPayload:
        ctx = info.context
        return object_payload(
            RunPaymentsPayload,
            "run",
            PaymentRun.from_domain,
            lambda: run_service.run_payments(
                ctx.ports,
                ctx.principal,
                payer_id=local_id(input.payer_id, "Partner", field=["payerId"]),
                up_to=input.up_to,
            ),
        )
