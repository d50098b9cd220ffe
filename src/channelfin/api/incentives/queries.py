"""Root query fields of reseller support (seed 002)."""

from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.incentives.inputs import PriceQuoteInput
from channelfin.api.incentives.types import CreditLine, IncentiveCampaign, PriceQuote
from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.incentives.campaigns import CampaignKind
from channelfin.domain.incentives.credit_lines import CreditLine as DomainCreditLine
from channelfin.domain.incentives.rewards import OrderLine
from channelfin.domain.money import Money as DomainMoney
from channelfin.services.incentives import campaigns as campaign_service
from channelfin.services.incentives import credit_lines as credit_line_service
from channelfin.services.incentives import rewards as reward_service


@strawberry.type
class IncentivesQueries:
    @strawberry.field(
        description="A credit line by id, or by its distributor and reseller: their users and leaser staff."
    )
    def credit_line(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The credit line's global id (or give distributorId and resellerId)."),
        ] = None,
        distributor_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The distributor of the line, with resellerId.")
        ] = None,
        reseller_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The reseller of the line, with distributorId.")
        ] = None,
    ) -> CreditLine | None:
        ctx = info.context
        if id is not None:
            key = local_id(id, "CreditLine", field=["id"])
        elif distributor_id is not None and reseller_id is not None:
            key = DomainCreditLine.id_for(
                local_id(distributor_id, "Partner", field=["distributorId"]),
                local_id(reseller_id, "Partner", field=["resellerId"]),
            )
        else:
            raise ValidationError("give id, or distributorId and resellerId", code=CommonCode.REQUIRED, field=["id"])
        found = credit_line_service.visible_credit_line(ctx.ports, ctx.principal, key)
        return CreditLine.from_domain(found) if found else None

    @strawberry.field(description="A partner's credit lines: as distributor (default) or as reseller.")
    def credit_lines(
        self,
        info: Info,
        partner_id: Annotated[strawberry.ID, strawberry.argument(description="The partner whose lines are listed.")],
        as_reseller: Annotated[
            bool,
            strawberry.argument(
                description="False: the lines it grants as distributor; true: the lines it holds as reseller."
            ),
        ] = False,
        first: First = None,
        after: After = None,
    ) -> Connection[CreditLine]:
        ctx = info.context
        request = paging(info, first, after)
        page = credit_line_service.list_credit_lines(
            ctx.ports,
            ctx.principal,
            partner_id=local_id(partner_id, "Partner", field=["partnerId"]),
            as_distributor=not as_reseller,
            page=request.request,
        )
        return Connection[CreditLine].from_page(page, CreditLine.from_domain, request)

    @strawberry.field(description="A vendor's incentive campaigns, by kind then start date (any signed-in caller).")
    def incentive_campaigns(
        self,
        info: Info,
        vendor_id: Annotated[
            strawberry.ID, strawberry.argument(description="The vendor (publisher) running the campaigns.")
        ],
        kind: Annotated[
            CampaignKind | None, strawberry.argument(description="Only campaigns of this kind; none: every kind.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[IncentiveCampaign]:
        ctx = info.context
        request = paging(info, first, after)
        page = campaign_service.list_campaigns(
            ctx.ports,
            ctx.principal,
            vendor_id=local_id(vendor_id, "Partner", field=["vendorId"]),
            kind=kind,
            page=request.request,
        )
        return Connection[IncentiveCampaign].from_page(page, IncentiveCampaign.from_domain, request)

    @strawberry.field(description="Order lines priced under the vendor's DISCOUNT campaigns in force. No side effect.")
    def price_quote(
        self,
        info: Info,
        input: Annotated[PriceQuoteInput, strawberry.argument(description="What to do: see `PriceQuoteInput`.")],
    ) -> PriceQuote:
        ctx = info.context
        quote = reward_service.price_quote(
            ctx.ports,
            ctx.principal,
            vendor_id=local_id(input.vendor_id, "Partner", field=["vendorId"]),
            at=input.at,
            lines=[
                OrderLine(
                    reference=line.reference.strip(),
                    licence_program=line.licence_program,
                    quantity=line.quantity,
                    unit_price=DomainMoney(line.unit_price),
                    product_family=line.product_family,
                )
                for line in input.lines
            ],
        )
        return PriceQuote.from_domain(quote)


node_loader("CreditLine", credit_line_service.visible_credit_line, CreditLine.from_domain)
node_loader("IncentiveCampaign", campaign_service.visible_campaign, IncentiveCampaign.from_domain)
