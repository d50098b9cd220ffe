"""Root query fields of partners and financing agreements."""

from __future__ import annotations

from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.partners.inputs import PartnerFilter
from channelfin.api.partners.types import FinancingAgreement, Partner, Viewer
from channelfin.services import partners as partner_service


@strawberry.type
class PartnersQueries:
    @strawberry.field(description="The caller.")
    def viewer(self, info: Info) -> Viewer:
        p = info.context.principal
        return Viewer(sub=p.sub, roles=sorted(r.value for r in p.roles), partner_id=p.partner_id)

    @strawberry.field(description="A partner: your own, or any for leaser staff; null otherwise.")
    def partner(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")]
    ) -> Partner | None:
        ctx = info.context
        found = partner_service.visible_partner(ctx.ports, ctx.principal, local_id(id, "Partner", field=["id"]))
        return Partner.from_domain(found) if found else None

    @strawberry.field(description="Partners by name (leaser staff: all; a partner's users: their own).")
    def partners(
        self,
        info: Info,
        filter: Annotated[
            PartnerFilter | None,
            strawberry.argument(
                description="Which partners (a partner's users: their own, or every reseller with role RESELLER)."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Partner]:
        ctx = info.context
        request = paging(info, first, after)
        page = partner_service.list_partners(
            ctx.ports, ctx.principal, role=filter.role if filter else None, page=request.request
        )
        return Connection[Partner].from_page(page, Partner.from_domain, request)


node_loader("Partner", partner_service.visible_partner, Partner.from_domain)
node_loader("FinancingAgreement", partner_service.visible_agreement, FinancingAgreement.from_domain)
