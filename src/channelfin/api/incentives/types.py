"""GraphQL types of a vendor's reseller-support plan (seed 002): campaigns, credit lines, price quotes, rebates."""

import datetime as dt

import strawberry

from channelfin.api.core.ids import to_global_id
from channelfin.api.core.money import Money
from channelfin.api.core.node import Info, Node
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.core.refs import PartnerRef
from channelfin.api.core.scalars import Decimal
from channelfin.domain.incentives import campaigns as dcampaigns
from channelfin.domain.incentives import credit_lines as dcredit
from channelfin.domain.incentives import rewards as drewards
from channelfin.domain.incentives.campaigns import CampaignKind
from channelfin.domain.incentives.credit_lines import CreditChangeAction, MovementKind
from channelfin.domain.money import Money as DomainMoney
from channelfin.domain.partners import PartnerRole
from channelfin.services.incentives import credit_lines as credit_line_service


def _money(value: DomainMoney | None) -> Money | None:
    return Money.from_domain(value) if value is not None else None


async def _partner(info: Info, partner_id: str) -> PartnerRef:
    return await load_partner(info, partner_id)


@strawberry.type(description="A vendor's incentive campaign, in force from startsAt (included) to endsAt (excluded).")
class IncentiveCampaign(Node):
    name: str = strawberry.field(description="A name for people.")
    kind: CampaignKind = strawberry.field(description="What it gives.")
    starts_at: dt.datetime = strawberry.field(description="When it starts (UTC), included.")
    ends_at: dt.datetime = strawberry.field(description="When it ends (UTC), excluded.")
    partner_roles: list[PartnerRole] = strawberry.field(description="Roles it rewards; empty: every role.")
    product_family: str | None = strawberry.field(description="e.g. SQL Server; null: every family.")
    product_references: list[str] = strawberry.field(description="Product references; empty: every reference.")
    licence_program: str | None = strawberry.field(description="e.g. OEM, Open; null: every program.")
    amount: Money | None = strawberry.field(description="Credit added (CREDIT_GUARANTEE, ORDER_CREDIT).")
    per_order_amount: Money | None = strawberry.field(description="ORDER_CREDIT: `amount` per full such order sum.")
    rate: Decimal | None = strawberry.field(description='A fraction: discount, base rebate or referral share ("0.03").')
    multiplier: Decimal | None = strawberry.field(description='REBATE_MULTIPLIER: e.g. "2" doubles the rebate.')
    payout_sla_hours: int | None = strawberry.field(description="FINANCING_REFERRAL: hours to pay after ACTIVE.")
    created_at: dt.datetime = strawberry.field(description="When it was created (UTC).")
    created_by: str = strawberry.field(description="The user (JWT sub) who created it.")
    accepted_by: str | None = strawberry.field(
        description="Credit campaigns: the distributor's user who accepted it; it adds no credit before."
    )
    accepted_at: dt.datetime | None = strawberry.field(description="When its distributor accepted it, if it needs to.")
    domain: strawberry.Private[dcampaigns.IncentiveCampaign]

    @classmethod
    def from_domain(cls, c: dcampaigns.IncentiveCampaign) -> "IncentiveCampaign":
        return cls(
            id=strawberry.ID(to_global_id("IncentiveCampaign", c.id)),
            name=c.name,
            kind=c.kind,
            starts_at=c.starts_at,
            ends_at=c.ends_at,
            partner_roles=sorted(c.partner_roles, key=lambda r: r.value),
            product_family=c.product_family,
            product_references=list(c.product_references),
            licence_program=c.licence_program,
            amount=_money(c.amount),
            per_order_amount=_money(c.per_order_amount),
            rate=c.rate,
            multiplier=c.multiplier,
            payout_sla_hours=c.payout_sla_hours,
            created_at=c.created_at,
            created_by=c.created_by,
            accepted_by=c.accepted_by,
            accepted_at=c.accepted_at,
            domain=c,
        )

    @strawberry.field(description="The vendor (a publisher) that runs the campaign.")
    async def vendor(self, info: Info) -> PartnerRef:
        return await _partner(info, self.domain.vendor_id)

    @strawberry.field(description="The distributor it is limited to (credit campaigns).")
    async def distributor(self, info: Info) -> PartnerRef | None:
        return await _partner(info, self.domain.distributor_id) if self.domain.distributor_id else None


@strawberry.type(description="A change of a credit line's insured limit: who, when, from, to.")
class CreditLineEvent:
    action: CreditChangeAction = strawberry.field(description="What happened to the limit.")
    at: dt.datetime = strawberry.field(description="When (UTC).")
    by: str = strawberry.field(description="The user (JWT `sub`).")
    from_limit: Money = strawberry.field(description="The insured limit before.")
    to_limit: Money = strawberry.field(description="The insured limit after (or asked, for HELD).")


@strawberry.type(description="A cut held until a different user of the distributor confirms it.")
class PendingCreditChange:
    from_limit: Money = strawberry.field(description="The limit in force until the cut is confirmed.")
    to_limit: Money = strawberry.field(description="The limit asked.")
    requested_by: str = strawberry.field(description="The user who asked it; another must confirm.")
    requested_at: dt.datetime = strawberry.field(description="When (UTC).")


@strawberry.type(description="A firm order charged to a credit line, or a reseller payment that repaid it.")
class CreditMovement:
    kind: MovementKind = strawberry.field(
        description="A firm order (charges the line) or a reseller's payment (repays it)."
    )
    amount: Money = strawberry.field(description="How much, positive.")
    at: dt.datetime = strawberry.field(description="When (UTC).")
    by: str = strawberry.field(description="The user (JWT sub) who recorded it.")
    licence_program: str | None = strawberry.field(
        description="The licence program of a firm order, if any (ORDER_CREDIT campaigns count it)."
    )
    reference: str | None = strawberry.field(description="The distributor's order or payment reference.")


@strawberry.type(description="A reseller's credit (encours) at a distributor.")
class CreditLine(Node):
    insured_limit: Money = strawberry.field(description="The credit insurer's limit in force.")
    outstanding: Money = strawberry.field(description="Firm orders not yet paid by the reseller.")
    pending_change: PendingCreditChange | None = strawberry.field(
        description="A cut waiting for a second user's confirmation, if any."
    )
    history: list[CreditLineEvent] = strawberry.field(description="Every change of the limit, oldest first.")
    domain: strawberry.Private[dcredit.CreditLine]
    memo: strawberry.Private[dict[str, dcredit.CreditPosition]]

    @classmethod
    def from_domain(cls, line: dcredit.CreditLine) -> "CreditLine":
        pending = line.pending_change
        return cls(
            id=strawberry.ID(to_global_id("CreditLine", line.id)),
            insured_limit=Money.from_domain(line.insured_limit),
            outstanding=Money.from_domain(line.outstanding),
            pending_change=PendingCreditChange(
                from_limit=Money.from_domain(pending.from_limit),
                to_limit=Money.from_domain(pending.to_limit),
                requested_by=pending.requested_by,
                requested_at=pending.requested_at,
            )
            if pending
            else None,
            history=[
                CreditLineEvent(
                    action=e.action,
                    at=e.at,
                    by=e.by,
                    from_limit=Money.from_domain(e.from_limit),
                    to_limit=Money.from_domain(e.to_limit),
                )
                for e in line.history
            ],
            domain=line,
            memo={},
        )

    def _position(self, info: Info) -> dcredit.CreditPosition:
        # Computed once per object (campaigns and orders are read), only when a figure is asked for.
        if "position" not in self.memo:
            self.memo["position"] = credit_line_service.credit_position(info.context.ports, self.domain)
        return self.memo["position"]

    @strawberry.field(description="Vendor guarantees (CREDIT_GUARANTEE campaigns) in force at this distributor.")
    def guarantees(self, info: Info) -> Money:
        return Money.from_domain(self._position(info).guarantees)

    @strawberry.field(description="ORDER_CREDIT extras earned by firm orders within the campaigns in force.")
    def order_extras(self, info: Info) -> Money:
        return Money.from_domain(self._position(info).order_extras)

    @strawberry.field(description="insuredLimit + guarantees + orderExtras − outstanding (may be negative).")
    def available(self, info: Info) -> Money:
        return Money.from_domain(self._position(info).available)

    @strawberry.field(description="The distributor granting the credit.")
    async def distributor(self, info: Info) -> PartnerRef:
        return await _partner(info, self.domain.distributor_id)

    @strawberry.field(description="The reseller holding it.")
    async def reseller(self, info: Info) -> PartnerRef:
        return await _partner(info, self.domain.reseller_id)

    @strawberry.field(description="Firm orders and reseller payments, newest first.")
    def movements(self, info: Info, first: First = None, after: After = None) -> Connection[CreditMovement]:
        ctx = info.context
        request = paging(info, first, after, bound_to=(self.domain.id,))
        page = credit_line_service.credit_movements(ctx.ports, ctx.principal, self.domain, request.request)
        return Connection[CreditMovement].from_page(page, credit_movement, request)


def credit_movement(m: dcredit.CreditMovement) -> CreditMovement:
    return CreditMovement(
        kind=m.kind,
        amount=Money.from_domain(m.amount),
        at=m.at,
        by=m.by,
        licence_program=m.licence_program,
        reference=m.reference,
    )


@strawberry.type(description="One order line at list price less the best discount in force.")
class PriceQuoteLine:
    reference: str = strawberry.field(description="The product reference.")
    licence_program: str | None = strawberry.field(description="Its licence program.")
    quantity: int = strawberry.field(description="How many.")
    unit_price: Money = strawberry.field(description="The list price of one.")
    list_amount: Money = strawberry.field(description="unitPrice × quantity.")
    discount_rate: Decimal = strawberry.field(description='"0" when no DISCOUNT campaign covers the line.')
    discount: Money = strawberry.field(description="The discount on the line.")
    net_amount: Money = strawberry.field(description="The line's price after discount.")
    campaign: IncentiveCampaign | None = strawberry.field(description="The DISCOUNT campaign applied, if any.")


@strawberry.type(description="Prices of order lines on a date, after the vendor's DISCOUNT campaigns. No side effect.")
class PriceQuote:
    at: dt.datetime = strawberry.field(description="The instant the campaigns in force were read at.")
    lines: list[PriceQuoteLine] = strawberry.field(description="Each order line priced.")
    list_total: Money = strawberry.field(description="Before discounts.")
    discount_total: Money = strawberry.field(description="The discounts in all.")
    net_total: Money = strawberry.field(description="After discounts.")

    @classmethod
    def from_domain(cls, q: drewards.PriceQuote) -> "PriceQuote":
        return cls(
            at=q.at,
            lines=[
                PriceQuoteLine(
                    reference=p.line.reference,
                    licence_program=p.line.licence_program,
                    quantity=p.line.quantity,
                    unit_price=Money.from_domain(p.line.unit_price),
                    list_amount=Money.from_domain(p.list_amount),
                    discount_rate=p.discount_rate,
                    discount=Money.from_domain(p.discount),
                    net_amount=Money.from_domain(p.net),
                    campaign=IncentiveCampaign.from_domain(p.campaign) if p.campaign else None,
                )
                for p in q.lines
            ],
            list_total=Money.from_domain(q.list_total),
            discount_total=Money.from_domain(q.discount_total),
            net_total=Money.from_domain(q.net_total),
        )


@strawberry.type(description="How a REBATE payout was computed: amount × baseRate × multiplier.")
class RebateBreakdown:
    base_rate: Decimal = strawberry.field(description="The REBATE campaign's rate.")
    multiplier: Decimal = strawberry.field(description='"1" when no REBATE_MULTIPLIER campaign was in force.')
    base_campaign: IncentiveCampaign = strawberry.field(description="The REBATE campaign applied.")
    multiplier_campaign: IncentiveCampaign | None = strawberry.field(
        description="The REBATE_MULTIPLIER campaign applied, if any."
    )

    @classmethod
    def from_domain(cls, r: drewards.Rebate) -> "RebateBreakdown":
        return cls(
            base_rate=r.base_rate,
            multiplier=r.factor,
            base_campaign=IncentiveCampaign.from_domain(r.base),
            multiplier_campaign=IncentiveCampaign.from_domain(r.multiplier) if r.multiplier else None,
        )
