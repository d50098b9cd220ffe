"""Price quotes under discounts, rebates on licence sales and financing referrals."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from channelfin.domain.error_codes import CommonCode, IncentiveCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.incentives.campaigns import DEFAULT_REFERRAL_SLA_HOURS, CampaignKind, IncentiveCampaign, in_force
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus

# ---------------------------------------------------------------- discounts


@dataclass(frozen=True, slots=True)
class OrderLine:
    reference: str
    licence_program: str | None
    quantity: int
    unit_price: Money
    product_family: str | None = None


@dataclass(frozen=True, slots=True)
class PricedLine:
    line: OrderLine
    list_amount: Money
    discount_rate: Decimal
    discount: Money
    campaign: IncentiveCampaign | None

    @property
    def net(self) -> Money:
        return self.list_amount - self.discount


@dataclass(frozen=True, slots=True)
class PriceQuote:
    at: datetime
    lines: tuple[PricedLine, ...]

    @property
    def list_total(self) -> Money:
        return sum((p.list_amount for p in self.lines), Money.zero())

    @property
    def discount_total(self) -> Money:
        return sum((p.discount for p in self.lines), Money.zero())

    @property
    def net_total(self) -> Money:
        return self.list_total - self.discount_total


def price_lines(campaigns: Iterable[IncentiveCampaign], lines: Iterable[OrderLine], at: datetime) -> PriceQuote:
    """Each line at list price less the best DISCOUNT in force that covers it (rounded per line)."""
    discounts = in_force(campaigns, CampaignKind.DISCOUNT, at)
    priced = []
    for k, line in enumerate(lines):
        if line.quantity <= 0:
            raise ValidationError(
                "quantity must be positive", code=IncentiveCode.INVALID_QUANTITY, field=["lines", str(k)]
            )
        if line.unit_price.is_negative:
            raise ValidationError(
                "unitPrice may not be negative", code=CommonCode.INVALID_AMOUNT, field=["lines", str(k)]
            )
        list_amount = (line.unit_price * line.quantity).rounded()
        covering = [
            c
            for c in discounts
            if c.covers_product(line.product_family, line.reference) and c.covers_programme(line.licence_program)
        ]
        best = max(covering, key=lambda c: (c.rate, c.id), default=None)
        rate = best.rate if best and best.rate is not None else Decimal(0)
        priced.append(PricedLine(line, list_amount, rate, (list_amount * rate).rounded(), best))
    return PriceQuote(at, tuple(priced))


# ---------------------------------------------------------------- rebates and referrals


@dataclass(frozen=True, slots=True)
class Rebate:
    base: IncentiveCampaign
    multiplier: IncentiveCampaign | None
    amount: Money

    @property
    def base_rate(self) -> Decimal:
        assert self.base.rate is not None
        return self.base.rate

    @property
    def factor(self) -> Decimal:
        return self.multiplier.multiplier if self.multiplier and self.multiplier.multiplier else Decimal(1)


def rebate_for(
    campaigns: Iterable[IncentiveCampaign],
    *,
    seller_roles: Iterable[PartnerRole],
    product_family: str,
    amount: Money,
    sold_at: datetime,
) -> Rebate | None:
    """amount × the best base rate × the best multiplier, both in force at `sold_at`; None if no base rate."""
    campaigns = list(campaigns)
    roles = frozenset(seller_roles)

    def covering(kind: CampaignKind) -> list[IncentiveCampaign]:
        return [
            c for c in in_force(campaigns, kind, sold_at) if c.covers_roles(roles) and c.covers_product(product_family)
        ]

    base = max(covering(CampaignKind.REBATE), key=lambda c: (c.rate, c.id), default=None)
    if base is None:
        return None
    multiplier = max(covering(CampaignKind.REBATE_MULTIPLIER), key=lambda c: (c.multiplier, c.id), default=None)
    rebate = Rebate(base, multiplier, Money.zero(amount.currency))
    return replace(rebate, amount=(amount * rebate.base_rate * rebate.factor).rounded())


def rebate_id(
    *, vendor_id: str, seller_id: str, sale_reference: str | None, product_family: str, amount: Money, sold_at: datetime
) -> str:
    """A reported sale's payout id: reporting the same sale again finds the same payout.

    A sale is the seller's invoice (`sale_reference`, unique per seller, not across sellers) or,
    without one, what the report says of it: product family, amount and instant of sale.
    """
    if sale_reference is not None:
        return f"rebate-{vendor_id}-{seller_id}-{sale_reference}"
    instant = sold_at.astimezone(UTC).isoformat()
    said = (product_family, f"{amount.amount:.2f}", amount.currency, instant)
    digest = hashlib.sha256("\x1f".join(said).encode()).hexdigest()
    return f"rebate-{vendor_id}-{seller_id}-sale-{digest[:32]}"


def legacy_rebate_id(vendor_id: str, sale_reference: str) -> str:
    """The id a referenced sale's payout had before references were per seller."""
    return f"rebate-{vendor_id}-{sale_reference}"


def rebate_payout(
    *, id: str, seller_id: str, vendor_id: str, rebate: Rebate, created_at: datetime, due_by: datetime | None = None
) -> Payout:
    """The vendor owes the seller its back-margin, due when the sale is recorded."""
    return Payout(
        id=id,
        kind=PayoutKind.REBATE,
        status=PayoutStatus.SCHEDULED,
        amount=rebate.amount,
        beneficiary_id=seller_id,
        payer_id=vendor_id,
        created_at=created_at,
        due_by=due_by or created_at,
    )


def referral_id(contract_id: str) -> str:
    return f"referral-{contract_id}"


def referral_for(
    campaigns: Iterable[IncentiveCampaign],
    *,
    contract_id: str,
    reseller_id: str,
    reseller_roles: Iterable[PartnerRole],
    financed_amount: Money,
    activated_at: datetime,
) -> Payout | None:
    """The REFERRAL payout to the reseller that brought a financed contract, due within the campaign's SLA."""
    roles = frozenset(reseller_roles)
    covering = [
        c
        for c in in_force(campaigns, CampaignKind.FINANCING_REFERRAL, activated_at)
        if c.covers_roles(roles) and c.rate is not None  # the bonus is an option of the campaign
    ]
    best = max(covering, key=lambda c: (c.rate, c.id), default=None)
    if best is None or best.rate is None:
        return None
    amount = (financed_amount * best.rate).rounded()
    if amount.amount <= 0:
        return None
    return Payout(
        id=referral_id(contract_id),
        kind=PayoutKind.REFERRAL,
        status=PayoutStatus.SCHEDULED,
        amount=amount,
        beneficiary_id=reseller_id,
        payer_id=best.vendor_id,
        created_at=activated_at,
        contract_id=contract_id,
        due_by=activated_at + timedelta(hours=best.payout_sla_hours or DEFAULT_REFERRAL_SLA_HOURS),
    )


def fast_payment_hours(
    campaigns: Iterable[IncentiveCampaign], *, owner_roles: Iterable[PartnerRole], at: datetime
) -> int | None:
    """Seed 002's promise: a reseller that brings a client to the vendor's financing offer is paid what
    the sale earns it within the campaign's hours (48) of the file being complete. The shortest such
    promise in force for the contract's owner; None when no FINANCING_REFERRAL campaign covers it."""
    roles = frozenset(owner_roles)
    hours = [
        c.payout_sla_hours or DEFAULT_REFERRAL_SLA_HOURS
        for c in in_force(campaigns, CampaignKind.FINANCING_REFERRAL, at)
        if c.covers_roles(roles)
    ]
    return min(hours, default=None)
