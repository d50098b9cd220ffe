"""Use cases of price quotes, rebates on reported licence sales and financing referrals."""

from __future__ import annotations

import contextlib
from datetime import datetime

from channelfin.domain.access import Principal, Role
from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import CommonCode, IncentiveCode
from channelfin.domain.errors import Conflict, NotFound, ValidationError
from channelfin.domain.incentives.campaigns import CampaignKind
from channelfin.domain.incentives.rewards import (
    OrderLine,
    PriceQuote,
    Rebate,
    legacy_rebate_id,
    price_lines,
    rebate_for,
    rebate_id,
    rebate_payout,
    referral_for,
)
from channelfin.domain.incentives.rewards import fast_payment_hours as fast_payment_for
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import Payout
from channelfin.services.incentives.checks import MAX_QUOTE_LINES, clean_reference, partner_with_role, require_admin_of
from channelfin.services.ports import Ports
from channelfin.services.relations import require_relation


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
    """A sell-out reported to the vendor: one REBATE payout to a seller that agreed to deal with the vendor,
    once per sale (the seller's invoice reference, or without one what the report says of the sale)."""
    require_admin_of(principal, vendor_id, Role.PARTNER_ADMIN, action="recordLicenceSale", field=["vendorId"])
    partner_with_role(ports, vendor_id, PartnerRole.PUBLISHER, "vendorId")
    seller = ports.partners.get(seller_id)
    if seller is None:
        raise NotFound("no such partner", field=["sellerId"])
    require_relation(ports, publisher_id=vendor_id, partner_id=seller.id, field="sellerId", who="seller")
    family = product_family.strip()
    if not family:
        raise ValidationError("name the product family", code=CommonCode.REQUIRED, field=["productFamily"])
    if amount.amount <= 0 or amount.rounded() != amount:
        raise ValidationError("amount is positive, in whole cents", code=CommonCode.INVALID_AMOUNT, field=["amount"])
    sale_reference = clean_reference(sale_reference)
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
    if sale_reference is not None:
        before = ports.payouts.get(legacy_rebate_id(vendor_id, sale_reference))
        if before is not None and before.beneficiary_id == seller.id:
            return before, rebate  # reported, and paid, before references were per seller
    payout_id = rebate_id(
        vendor_id=vendor_id,
        seller_id=seller.id,
        sale_reference=sale_reference,
        product_family=family,
        amount=amount,
        sold_at=sold_at,
    )
    payout = rebate_payout(
        id=payout_id, seller_id=seller.id, vendor_id=vendor_id, rebate=rebate, created_at=ports.clock()
    )
    try:
        ports.payouts.add(payout)
    except Conflict:
        existing = ports.payouts.get(payout_id, consistent=True)
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


def fast_payment_hours(ports: Ports, contract: Contract, at: datetime) -> int | None:
    """The hours within which the owner of a contract financed by a vendor's own offer is paid (seed 002).

    The vendor's offer is an agreement whose leaser is the vendor: it then pays, as leaser, the
    reseller that brought the client (the owner, in buy-resell) within its campaign's hours.
    """
    if contract.financing is None or contract.reseller_id != contract.owner_id:
        return None
    agreement = ports.partners.get_agreement(contract.financing.agreement_id)
    owner = ports.partners.get(contract.owner_id)
    if agreement is None or owner is None:
        return None
    campaigns = ports.incentives.started_campaigns(
        vendor_id=agreement.leaser_id, kind=CampaignKind.FINANCING_REFERRAL, at=at
    )
    return fast_payment_for(campaigns, owner_roles=owner.roles, at=at)
