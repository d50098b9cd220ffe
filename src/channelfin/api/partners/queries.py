"""Root query fields of partners and financing agreements."""

from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.partners.inputs import PartnerFilter
from channelfin.api.partners.types import FinancingAgreement, Partner, ResellerLink, Viewer
from channelfin.domain.relations import ConsentStatus
from channelfin.services import partners as partner_service
from channelfin.services import relations as relation_service


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
            strawberry.argument(description="Which partners (a partner's users: their own only)."),
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

    @strawberry.field(
        description="A partner's reseller links, on its publisher side (default) or, with asReseller, on its "
        "reseller side; optionally of one status (its own users and leaser staff; empty for others)."
    )
    def reseller_links(
        self,
        info: Info,
        partner_id: Annotated[strawberry.ID, strawberry.argument(description="The partner whose links are listed.")],
        as_reseller: Annotated[
            bool, strawberry.argument(description="False: its links as publisher; true: its links as reseller.")
        ] = False,
        status: Annotated[
            ConsentStatus | None, strawberry.argument(description="Only links in this state; none: every state.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[ResellerLink]:
        ctx = info.context
        request = paging(info, first, after)
        page = relation_service.list_links(
            ctx.ports,
            ctx.principal,
            partner_id=local_id(partner_id, "Partner", field=["partnerId"]),
            as_reseller=as_reseller,
            status=status,
            page=request.request,
        )
        return Connection[ResellerLink].from_page(page, ResellerLink.from_domain, request)

    @strawberry.field(
        description="The resellers a publisher may name on its contracts (CreateContractInput.resellerId): those "
        "with an accepted reseller link or an accepted enrolment in one of its programs (the publisher's own "
        "users and leaser staff; empty for others)."
    )
    def nameable_resellers(
        self,
        info: Info,
        publisher_id: Annotated[strawberry.ID, strawberry.argument(description="The publisher naming resellers.")],
        first: First = None,
        after: After = None,
    ) -> Connection[Partner]:
        ctx = info.context
        request = paging(info, first, after)
        page = relation_service.nameable_resellers(
            ctx.ports,
            ctx.principal,
            publisher_id=local_id(publisher_id, "Partner", field=["publisherId"]),
            page=request.request,
        )
        return Connection[Partner].from_page(page, Partner.from_domain, request)


node_loader("Partner", partner_service.visible_partner, Partner.from_domain)
node_loader("FinancingAgreement", partner_service.visible_agreement, FinancingAgreement.from_domain)
node_loader("ResellerLink", relation_service.visible_link, ResellerLink.from_domain)
