"""Use cases of a vendor's reseller-support plan: campaigns, credit lines, quotes, rebates, referrals."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from channelfin.domain.access import PARTNER_ROLES, Principal, Role, require, require_acting_for
from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import CommonCode, IncentiveCode
from channelfin.domain.errors import Conflict, NotFound, ValidationError
from channelfin.domain.incentives import (
    CampaignKind,
    CreditLine,
    CreditMovement,
    CreditPosition,
    IncentiveCampaign,
    MovementKind,
    OrderLine,
    PriceQuote,
    Rebate,
    credit_guarantees,
    order_extras,
    price_lines,
    rebate_for,
    rebate_payout,
    referral_for,
)
from channelfin.domain.money import Money
from channelfin.domain.partners import MISSING_ROLE, Partner, PartnerRole
from channelfin.domain.payouts import Payout
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports
from channelfin.services.retry import MAX_WRITE_ATTEMPTS, backoff, optimistic_update

MAX_QUOTE_LINES = 100
MAX_REFERENCE_LENGTH = 100


def _require_admin_of(principal: Principal, partner_id: str, *roles: Role, action: str, field: list[str]) -> None:
    """The partner's own users with one of `roles` (a leaser-admin may act on any partner)."""
    if principal.has_any(Role.LEASER_ADMIN):
        return
    require(principal, *roles, action=action)
    require_acting_for(principal, partner_id, action=action, field=field)


def _partner_with_role(ports: Ports, partner_id: str, role: PartnerRole, field: str) -> Partner:
    partner = ports.partners.get(partner_id)
    if partner is None:
        raise NotFound("no such partner", field=[field])
    if not partner.has_role(role):
        raise ValidationError(
            f"that partner is not a {role.value.lower().replace('_', ' ')}", code=MISSING_ROLE[role], field=[field]
        )
    return partner


# ---------------------------------------------------------------- campaigns


def create_incentive_campaign(
    ports: Ports,
    principal: Principal,
    *,
    vendor_id: str,
    name: str,
    kind: CampaignKind,
    starts_at: datetime,
    ends_at: datetime,
    partner_roles: list[PartnerRole] | None = None,
    distributor_id: str | None = None,
    product_family: str | None = None,
    product_references: list[str] | None = None,
    licence_program: str | None = None,
    amount: Money | None = None,
    per_order_amount: Money | None = None,
    rate: Decimal | None = None,
    multiplier: Decimal | None = None,
    payout_sla_hours: int | None = None,
) -> IncentiveCampaign:
    _require_admin_of(principal, vendor_id, Role.PARTNER_ADMIN, action="createIncentiveCampaign", field=["vendorId"])
    _partner_with_role(ports, vendor_id, PartnerRole.PUBLISHER, "vendorId")
    if distributor_id is not None:
        _partner_with_role(ports, distributor_id, PartnerRole.DISTRIBUTOR, "distributorId")
    campaign = IncentiveCampaign.create(
        id=ports.new_id(),
        vendor_id=vendor_id,
        name=name,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=ports.clock(),
        created_by=principal.sub,
        partner_roles=frozenset(partner_roles or ()),
        distributor_id=distributor_id,
        product_family=product_family,
        product_references=tuple(product_references or ()),
        licence_program=licence_program,
        amount=amount,
        per_order_amount=per_order_amount,
        rate=rate,
        multiplier=multiplier,
        payout_sla_hours=payout_sla_hours,
    )
    ports.incentives.add_campaign(campaign)
    return campaign


def accept_incentive_campaign(ports: Ports, principal: Principal, *, campaign_id: str) -> IncentiveCampaign:
    """The distributor named by a credit campaign agrees to extend that credit (its partner-admin)."""
    campaign = ports.incentives.get_campaign(campaign_id)
    if campaign is None:
        raise NotFound("no such campaign", field=["campaignId"])
    if campaign.distributor_id is None:
        raise ValidationError("only a campaign naming a distributor is accepted", code=IncentiveCode.NOTHING_TO_ACCEPT)
    _require_admin_of(
        principal, campaign.distributor_id, Role.PARTNER_ADMIN, action="acceptIncentiveCampaign", field=["campaignId"]
    )
    accepted = campaign.accepted(by=principal.sub, at=ports.clock())
    if accepted is not campaign:
        ports.incentives.save_campaign(accepted)
    return accepted


def visible_campaign(ports: Ports, principal: Principal, campaign_id: str) -> IncentiveCampaign | None:
    """Campaigns are the vendor's offers to its channel: every signed-in caller may read them."""
    _ = principal
    return ports.incentives.get_campaign(campaign_id)


def list_campaigns(
    ports: Ports, principal: Principal, *, vendor_id: str, kind: CampaignKind | None, page: PageRequest
) -> Page[IncentiveCampaign]:
    _ = principal
    return ports.incentives.campaigns_of_vendor(vendor_id, kind=kind, page=page)


# ---------------------------------------------------------------- credit lines


def credit_position(ports: Ports, line: CreditLine, at: datetime | None = None) -> CreditPosition:
    """The line's limit plus the vendors' guarantees and order-linked extras in force, less the outstanding."""
    at = at or ports.clock()
    reseller = ports.partners.get(line.reseller_id)
    roles = reseller.roles if reseller else frozenset()
    guarantee_campaigns = ports.incentives.started_campaigns(
        distributor_id=line.distributor_id, kind=CampaignKind.CREDIT_GUARANTEE, at=at
    )
    order_campaigns = ports.incentives.started_campaigns(
        distributor_id=line.distributor_id, kind=CampaignKind.ORDER_CREDIT, at=at
    )
    extras = Money.zero(line.insured_limit.currency)
    live = [c for c in order_campaigns if c.in_force(at)]
    if live:
        earliest = min(c.starts_at for c in live)
        orders = ports.incentives.movements(line.id, start=earliest, end=at)
        extras = order_extras(live, orders, distributor_id=line.distributor_id, reseller_roles=roles, at=at)
    guarantees = credit_guarantees(guarantee_campaigns, distributor_id=line.distributor_id, reseller_roles=roles, at=at)
    return line.position(guarantees, extras)


def _update_line(ports: Ports, line_id: str, change: Callable[[CreditLine], CreditLine]) -> CreditLine:
    return optimistic_update(
        lambda: ports.incentives.get_line(line_id),
        lambda changed, version: ports.incentives.save_line(changed, expected_version=version),
        change,
        what="credit line",
        field=["creditLineId"],
    )


def set_credit_line(
    ports: Ports, principal: Principal, *, distributor_id: str, reseller_id: str, insured_limit: Money
) -> CreditLine:
    """Open the line, or change its insured limit; a drastic cut waits for a second user."""
    _require_admin_of(principal, distributor_id, Role.PARTNER_ADMIN, action="setCreditLine", field=["distributorId"])
    _partner_with_role(ports, distributor_id, PartnerRole.DISTRIBUTOR, "distributorId")
    _partner_with_role(ports, reseller_id, PartnerRole.RESELLER, "resellerId")
    line_id = CreditLine.id_for(distributor_id, reseller_id)
    now = ports.clock()
    if ports.incentives.get_line(line_id) is None:
        line = CreditLine.open(
            distributor_id=distributor_id, reseller_id=reseller_id, limit=insured_limit, by=principal.sub, at=now
        )
        try:
            ports.incentives.add_line(line)
            return line
        except Conflict:
            pass  # opened meanwhile by someone else: this call is a change of it
    lookback = timedelta(days=ports.credit_cut_lookback_days)
    return _update_line(
        ports, line_id, lambda line: line.set_limit(insured_limit, by=principal.sub, at=now, lookback=lookback)
    )


def visible_credit_line(ports: Ports, principal: Principal, line_id: str) -> CreditLine | None:
    """Seen by the distributor's and the reseller's users, and leaser staff."""
    line = ports.incentives.get_line(line_id)
    if line is None or not principal.can_see_any_of((line.distributor_id, line.reseller_id)):
        return None
    return line


def _line_for_distributor(ports: Ports, principal: Principal, line_id: str, *roles: Role, action: str) -> CreditLine:
    line = visible_credit_line(ports, principal, line_id)
    if line is None:
        raise NotFound("no such credit line", field=["creditLineId"])
    _require_admin_of(principal, line.distributor_id, *roles, action=action, field=["creditLineId"])
    return line


def confirm_credit_line_change(ports: Ports, principal: Principal, *, line_id: str) -> CreditLine:
    _line_for_distributor(ports, principal, line_id, Role.PARTNER_ADMIN, action="confirmCreditLineChange")
    now = ports.clock()
    return _update_line(ports, line_id, lambda line: line.confirm_change(by=principal.sub, at=now))


def withdraw_credit_line_change(ports: Ports, principal: Principal, *, line_id: str) -> CreditLine:
    _line_for_distributor(ports, principal, line_id, Role.PARTNER_ADMIN, action="withdrawCreditLineChange")
    now = ports.clock()
    return _update_line(ports, line_id, lambda line: line.withdraw_change(by=principal.sub, at=now))


def list_credit_lines(
    ports: Ports, principal: Principal, *, partner_id: str, as_distributor: bool, page: PageRequest
) -> Page[CreditLine]:
    if not principal.can_see_partner(partner_id):
        return Page(items=[])
    return ports.incentives.lines_of(partner_id, as_distributor=as_distributor, page=page)


def _clean_reference(reference: str | None) -> str | None:
    if reference is None:
        return None
    reference = reference.strip()
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise ValidationError(
            f"at most {MAX_REFERENCE_LENGTH} characters", code=CommonCode.TOO_LONG, field=["reference"]
        )
    return reference or None


def _movement(
    ports: Ports,
    line: CreditLine,
    kind: MovementKind,
    amount: Money,
    at: datetime,
    principal: Principal,
    reference: str | None,
    licence_program: str | None = None,
) -> CreditMovement:
    return CreditMovement(
        id=ports.new_id(),
        credit_line_id=line.id,
        kind=kind,
        amount=amount,
        at=at,
        by=principal.sub,
        licence_program=licence_program,
        reference=reference,
    )


def _move(
    ports: Ports,
    line_id: str,
    build: Callable[[CreditLine, datetime], tuple[CreditLine, CreditMovement]],
) -> tuple[CreditLine, CreditMovement]:
    """Change the line and record the movement in one conditional transaction; re-read on a race."""
    for attempt in range(MAX_WRITE_ATTEMPTS):
        backoff(attempt)
        line = ports.incentives.get_line(line_id)
        if line is None:
            raise NotFound("no such credit line", field=["creditLineId"])
        changed, movement = build(line, ports.clock())
        try:
            ports.incentives.save_line(changed, expected_version=line.version, movement=movement)
        except Conflict:
            continue  # another order or payment moved the line: check again against the new figures
        return changed, movement
    raise Conflict("the credit line is being changed by others; try again")


def record_firm_order(
    ports: Ports,
    principal: Principal,
    *,
    reseller_id: str,
    distributor_id: str,
    amount: Money,
    licence_program: str,
    reference: str | None = None,
) -> tuple[CreditLine, CreditMovement]:
    """Charge a firm order to the line, if it fits the credit available before it (nothing recorded if not)."""
    _require_admin_of(principal, distributor_id, *PARTNER_ROLES, action="recordFirmOrder", field=["distributorId"])
    line_id = CreditLine.id_for(distributor_id, reseller_id)
    if ports.incentives.get_line(line_id) is None:
        raise NotFound("this distributor has no credit line for that reseller", field=["resellerId"])
    programme = licence_program.strip()
    if not programme:
        raise ValidationError(
            "name the licence program (e.g. OEM, Open)", code=CommonCode.REQUIRED, field=["licenceProgram"]
        )
    reference = _clean_reference(reference)

    def order(line: CreditLine, now: datetime) -> tuple[CreditLine, CreditMovement]:
        charged = line.charge(amount, credit_position(ports, line, now))
        return charged, _movement(ports, line, MovementKind.FIRM_ORDER, amount, now, principal, reference, programme)

    return _move(ports, line_id, order)


def record_reseller_payment(
    ports: Ports, principal: Principal, *, line_id: str, amount: Money, reference: str | None = None
) -> tuple[CreditLine, CreditMovement]:
    """The reseller paid the distributor: the outstanding goes down by that amount."""
    _line_for_distributor(ports, principal, line_id, *PARTNER_ROLES, action="recordResellerPayment")
    reference = _clean_reference(reference)

    def pay(line: CreditLine, now: datetime) -> tuple[CreditLine, CreditMovement]:
        return line.repay(amount), _movement(
            ports, line, MovementKind.RESELLER_PAYMENT, amount, now, principal, reference
        )

    return _move(ports, line_id, pay)


def credit_movements(ports: Ports, principal: Principal, line: CreditLine, page: PageRequest) -> Page[CreditMovement]:
    if not principal.can_see_any_of((line.distributor_id, line.reseller_id)):
        return Page(items=[])
    return ports.incentives.movements_page(line.id, page)


# ---------------------------------------------------------------- prices, rebates, referrals


def price_quote(
    ports: Ports, principal: Principal, *, vendor_id: str, at: datetime | None, lines: list[OrderLine]
) -> PriceQuote:
    """List prices less the vendor's DISCOUNT campaigns in force at `at` (now by default). No side effect."""
    _ = principal
    if not lines:
        raise ValidationError("a quote has at least one line", code=CommonCode.REQUIRED, field=["lines"])
    if len(lines) > MAX_QUOTE_LINES:
        raise ValidationError(f"at most {MAX_QUOTE_LINES} lines", code=CommonCode.TOO_MANY, field=["lines"])
    when = at or ports.clock()
    discounts = ports.incentives.started_campaigns(vendor_id=vendor_id, kind=CampaignKind.DISCOUNT, at=when)
    return price_lines(discounts, lines, when)


def record_licence_sale(
    ports: Ports,
    principal: Principal,
    *,
    seller_id: str,
    vendor_id: str,
    product_family: str,
    amount: Money,
    sold_at: datetime,
    sale_reference: str | None = None,
) -> tuple[Payout, Rebate]:
    """A sell-out reported to the vendor: one REBATE payout to the seller (once per sale reference)."""
    _require_admin_of(principal, vendor_id, Role.PARTNER_ADMIN, action="recordLicenceSale", field=["vendorId"])
    _partner_with_role(ports, vendor_id, PartnerRole.PUBLISHER, "vendorId")
    seller = ports.partners.get(seller_id)
    if seller is None:
        raise NotFound("no such partner", field=["sellerId"])
    family = product_family.strip()
    if not family:
        raise ValidationError("name the product family", code=CommonCode.REQUIRED, field=["productFamily"])
    if amount.amount <= 0 or amount.rounded() != amount:
        raise ValidationError("amount is positive, in whole cents", code=CommonCode.INVALID_AMOUNT, field=["amount"])
    sale_reference = _clean_reference(sale_reference)
    campaigns = [
        *ports.incentives.started_campaigns(vendor_id=vendor_id, kind=CampaignKind.REBATE, at=sold_at),
        *ports.incentives.started_campaigns(vendor_id=vendor_id, kind=CampaignKind.REBATE_MULTIPLIER, at=sold_at),
    ]
    rebate = rebate_for(campaigns, seller_roles=seller.roles, product_family=family, amount=amount, sold_at=sold_at)
    if rebate is None:
        raise ValidationError(
            "no REBATE campaign of this vendor covers that seller and product family at that date",
            code=IncentiveCode.NO_REBATE_IN_FORCE,
            field=["soldAt"],
        )
    payout_id = f"rebate-{vendor_id}-{sale_reference}" if sale_reference else f"rebate-{ports.new_id()}"
    payout = rebate_payout(id=payout_id, seller_id=seller.id, rebate=rebate, created_at=ports.clock())
    try:
        ports.payouts.add(payout)
    except Conflict:
        existing = ports.payouts.get(payout_id)
        if existing is None:
            raise
        return existing, rebate  # the same sale reported again: the first payout stands
    return payout, rebate


def register_referral(ports: Ports, contract: Contract, activated_at: datetime) -> Payout | None:
    """The reseller that brought a financed contract earns a REFERRAL payout, once, when it turns ACTIVE."""
    if contract.reseller_id is None or contract.financing is None:
        return None
    reseller = ports.partners.get(contract.reseller_id)
    if reseller is None:
        return None
    campaigns = ports.incentives.started_campaigns(
        vendor_id=contract.publisher_id, kind=CampaignKind.FINANCING_REFERRAL, at=activated_at
    )
    payout = referral_for(
        campaigns,
        contract_id=contract.id,
        reseller_id=reseller.id,
        reseller_roles=reseller.roles,
        financed_amount=contract.financing.financed_amount,
        activated_at=activated_at,
    )
    if payout is None:
        return None
    with contextlib.suppress(Conflict):  # a retried step: the payout is there already
        ports.payouts.add(payout)
    return ports.payouts.get(payout.id)
