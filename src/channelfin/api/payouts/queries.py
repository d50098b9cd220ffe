"""Root query fields of payouts."""

from __future__ import annotations

import strawberry

from channelfin.api.core.ids import optional_local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import Connection, page_request
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
        self, info: Info, filter: PayoutFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Payout]:
        ctx = info.context
        filter = filter or PayoutFilter()
        page = payout_service.list_payouts(
            ctx.ports,
            ctx.principal,
            contract_id=optional_local_id(filter.contract_id, "Contract", field=["filter", "contractId"]),
            beneficiary_id=optional_local_id(filter.beneficiary_id, "Partner", field=["filter", "beneficiaryId"]),
            payer_id=optional_local_id(filter.payer_id, "Partner", field=["filter", "payerId"]),
            page=page_request(first, after),
        )
        return Connection[Payout].from_page(page, Payout.from_domain, after=after)


node_loader("Payout", payout_service.visible_payout, Payout.from_domain)
