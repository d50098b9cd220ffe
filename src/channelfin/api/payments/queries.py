"""Root query fields of payment runs."""

from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.payments.types import PaymentRun
from channelfin.services import payment_run_reads as run_service


@strawberry.type
class PaymentsQueries:
    @strawberry.field(description="A payer's payment runs, newest first (its users and leaser staff).")
    def payment_runs(
        self,
        info: Info,
        payer_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The paying partner (a leaser or a publisher) whose runs are listed."),
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[PaymentRun]:
        ctx = info.context
        payer = local_id(payer_id, "Partner", field=["payerId"])
        request = paging(info, first, after)
        page = run_service.list_runs(ctx.ports, ctx.principal, payer, request.request)
        return Connection[PaymentRun].from_page(page, PaymentRun.from_domain, request)


node_loader("PaymentRun", run_service.visible_run, PaymentRun.from_domain)
