"""Root query fields of payouts."""

from typing import Annotated

import strawberry

from channelfin.api.core.ids import optional_local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Before, Connection, First, Last, paging
from channelfin.api.payouts.inputs import PayoutFilter
from channelfin.api.payouts.types import Payout
from channelfin.services import payouts as payout_service


@strawberry.type
class PayoutsQueries:
    @strawberry.field(
        description="Payouts newest first (a partner's users: the ones their partner receives, or with "
        "`payerId`, the ones it pays)."
    )
    def payouts(
        self,
        info: Info,
        filter: Annotated[
            PayoutFilter | None, strawberry.argument(description="Which payouts; none: all the caller may see.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Payout]:
        ctx = info.context
        request = paging(info, first, after, last=last, before=before)
        filter = filter or PayoutFilter()
        page = payout_service.list_payouts(
            ctx.ports,
            ctx.principal,
            contract_id=optional_local_id(filter.contract_id, "Contract", field=["filter", "contractId"]),
            beneficiary_id=optional_local_id(filter.beneficiary_id, "Partner", field=["filter", "beneficiaryId"]),
            payer_id=optional_local_id(filter.payer_id, "Partner", field=["filter", "payerId"]),
            page=request.request,
        )
        return Connection[Payout].from_page(page, Payout.from_domain, request)


node_loader("Payout", payout_service.visible_payout, Payout.from_domain)
