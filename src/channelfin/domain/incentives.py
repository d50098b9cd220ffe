"""A vendor's reseller-support plan (seed 002): incentive campaigns and distributor credit lines.

A campaign is in force from `starts_at` (included) to `ends_at` (excluded) and applies to
what falls in its scope: partner roles, distributor, product family or references,
licence program; a scope left empty matches everything.

Overlapping campaigns compose as follows (the README repeats it; tests pin it):
Credit campaigns (CREDIT_GUARANTEE, ORDER_CREDIT) name a distributor and count only once
that distributor accepted them: a vendor cannot raise the credit a distributor extends.

- CREDIT_GUARANTEE: every guarantee in force at the distributor adds up.
- ORDER_CREDIT: each campaign counts its own firm orders (its licence program, placed
  within its period) and adds `amount` per full `per_order_amount`; campaigns add up.
- DISCOUNT: the best rate in force for a line applies; discounts never stack.
- REBATE: the highest base rate in force for the seller's role and product family.
- REBATE_MULTIPLIER: the highest multiplier in force applies; multipliers do not compound
  (a doubled back-margin and a family that counts double make ×2, not ×4).
- FINANCING_REFERRAL: the highest rate in force; one REFERRAL payout per contract.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from channelfin.domain.error_codes import CommonCode, IncentiveCode
from channelfin.domain.errors import Conflict, PermissionDenied, ValidationError
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole, clean_name
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus

DEFAULT_REFERRAL_SLA_HOURS = 48
MAX_MULTIPLIER = Decimal(10)
MAX_REFERENCES = 100


class CampaignKind(enum.Enum):
    CREDIT_GUARANTEE = "CREDIT_GUARANTEE"
    ORDER_CREDIT = "ORDER_CREDIT"
    DISCOUNT = "DISCOUNT"
    REBATE = "REBATE"
    REBATE_MULTIPLIER = "REBATE_MULTIPLIER"
    FINANCING_REFERRAL = "FINANCING_REFERRAL"


CREDIT_KINDS = frozenset({CampaignKind.CREDIT_GUARANTEE, CampaignKind.ORDER_CREDIT})

# What each kind needs and what it may not carry (so a misplaced figure is refused, not ignored).
_FIGURES = ("amount", "per_order_amount", "rate", "multiplier", "payout_sla_hours")
_NEEDS: dict[CampaignKind, tuple[str, ...]] = {
    CampaignKind.CREDIT_GUARANTEE: ("amount", "distributor_id"),
    CampaignKind.ORDER_CREDIT: ("amount", "per_order_amount", "distributor_id"),
    CampaignKind.DISCOUNT: ("rate",),
    CampaignKind.REBATE: ("rate",),
    CampaignKind.REBATE_MULTIPLIER: ("multiplier",),
    CampaignKind.FINANCING_REFERRAL: ("rate",),
}
_ALLOWED_FIGURES: dict[CampaignKind, frozenset[str]] = {
    kind: frozenset(n for n in needs if n in _FIGURES) for kind, needs in _NEEDS.items()
}
_ALLOWED_FIGURES[CampaignKind.FINANCING_REFERRAL] |= {"payout_sla_hours"}

_CAMEL = {
    "amount": "amount",
    "per_order_amount": "perOrderAmount",
    "rate": "rate",
    "multiplier": "multiplier",
    "payout_sla_hours": "payoutSlaHours",
    "distributor_id": "distributorId",
}


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


@dataclass(frozen=True, slots=True)
class IncentiveCampaign:
    id: str
    vendor_id: str
    name: str
    kind: CampaignKind
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    created_by: str
    partner_roles: frozenset[PartnerRole] = frozenset()
    distributor_id: str | None = None
    product_family: str | None = None
    product_references: tuple[str, ...] = ()
    licence_program: str | None = None
    amount: Money | None = None
    per_order_amount: Money | None = None
    rate: Decimal | None = None
    multiplier: Decimal | None = None
    payout_sla_hours: int | None = None
    accepted_by: str | None = None  # credit campaigns: the distributor's user who accepted it
    accepted_at: datetime | None = None

    @property
    def needs_distributor_acceptance(self) -> bool:
        """Credit at a distributor is the distributor's to extend: a vendor's offer counts once it accepts."""
        return self.kind in CREDIT_KINDS

    @property
    def counts(self) -> bool:
        return not self.needs_distributor_acceptance or self.accepted_at is not None

    def accepted(self, *, by: str, at: datetime) -> IncentiveCampaign:
        if not self.needs_distributor_acceptance:
            raise ValidationError(
                f"a {self.kind.value} campaign needs no distributor's acceptance", code=IncentiveCode.NOTHING_TO_ACCEPT
            )
        if self.accepted_at is not None:
            return self
        return replace(self, accepted_by=by, accepted_at=at)

    @classmethod
    def create(cls, **values: object) -> IncentiveCampaign:
        """A campaign whose figures fit its kind; every refusal names the input field."""
        campaign = cls(**values)  # type: ignore[arg-type]
        kind = campaign.kind
        name = clean_name(campaign.name, field=["name"])
        if campaign.ends_at <= campaign.starts_at:
            raise ValidationError("a campaign ends after it starts", code=CommonCode.INVALID_PERIOD, field=["endsAt"])
        for needed in _NEEDS[kind]:
            if getattr(campaign, needed) is None:
                raise ValidationError(
                    f"a {kind.value} campaign needs {_CAMEL[needed]}", code=CommonCode.REQUIRED, field=[_CAMEL[needed]]
                )
        for figure in _FIGURES:
            if getattr(campaign, figure) is not None and figure not in _ALLOWED_FIGURES[kind]:
                raise ValidationError(
                    f"{_CAMEL[figure]} has no meaning for a {kind.value} campaign",
                    code=IncentiveCode.NOT_FOR_THIS_KIND,
                    field=[_CAMEL[figure]],
                )
        for figure in ("amount", "per_order_amount"):
            money = getattr(campaign, figure)
            if money is not None and money.amount <= 0:
                raise ValidationError(
                    f"{_CAMEL[figure]} must be positive", code=CommonCode.INVALID_AMOUNT, field=[_CAMEL[figure]]
                )
        if campaign.rate is not None and not Decimal(0) < campaign.rate <= 1:
            raise ValidationError(
                'rate is a fraction in (0, 1], e.g. "0.10"', code=CommonCode.INVALID_RATE, field=["rate"]
            )
        if campaign.multiplier is not None and not Decimal(0) < campaign.multiplier <= MAX_MULTIPLIER:
            raise ValidationError(
                f"multiplier is in (0, {MAX_MULTIPLIER}]", code=IncentiveCode.INVALID_MULTIPLIER, field=["multiplier"]
            )
        sla = campaign.payout_sla_hours
        if kind is CampaignKind.FINANCING_REFERRAL:
            sla = DEFAULT_REFERRAL_SLA_HOURS if sla is None else sla
            if not 1 <= sla <= 24 * 30:
                raise ValidationError(
                    "payoutSlaHours is between 1 and 720", code=CommonCode.INVALID_SLA, field=["payoutSlaHours"]
                )
        references = tuple(dict.fromkeys(r.strip() for r in campaign.product_references if r.strip()))
        if len(references) > MAX_REFERENCES:
            raise ValidationError(
                f"at most {MAX_REFERENCES} product references", code=CommonCode.TOO_MANY, field=["productReferences"]
            )
        return replace(
            campaign,
            name=name,
            product_references=references,
            product_family=(campaign.product_family or "").strip() or None,
            licence_program=(campaign.licence_program or "").strip() or None,
            amount=campaign.amount.rounded() if campaign.amount else None,
            per_order_amount=campaign.per_order_amount.rounded() if campaign.per_order_amount else None,
            payout_sla_hours=sla,
        )

    def in_force(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at

    def covers_roles(self, roles: Iterable[PartnerRole]) -> bool:
        return not self.partner_roles or bool(self.partner_roles.intersection(roles))

    def covers_product(self, family: str | None, reference: str | None = None) -> bool:
        if self.product_family is not None and not _same(self.product_family, family):
            return False
        return not self.product_references or any(_same(r, reference) for r in self.product_references)

    def covers_programme(self, licence_program: str | None) -> bool:
        return self.licence_program is None or _same(self.licence_program, licence_program)

    def covers_distributor(self, distributor_id: str) -> bool:
        return self.distributor_id is None or self.distributor_id == distributor_id


def in_force(campaigns: Iterable[IncentiveCampaign], kind: CampaignKind, at: datetime) -> list[IncentiveCampaign]:
    """Campaigns of `kind` in force at `at` (credit campaigns only once their distributor accepted them)."""
    return [c for c in campaigns if c.kind is kind and c.in_force(at) and c.counts]


# ---------------------------------------------------------------- credit lines


class CreditChangeAction(enum.Enum):
    OPENED = "OPENED"  # the first limit of a line
    APPLIED = "APPLIED"  # a raise or a moderate cut, in force at once
    HELD = "HELD"  # a cut to zero or by more than half, waiting for a second user
    CONFIRMED = "CONFIRMED"  # the held cut, confirmed by a different user: now in force
    WITHDRAWN = "WITHDRAWN"  # the held cut, dropped: the old limit stays


@dataclass(frozen=True, slots=True)
class CreditLineEvent:
    action: CreditChangeAction
    at: datetime
    by: str
    from_limit: Money
    to_limit: Money


@dataclass(frozen=True, slots=True)
class PendingCreditChange:
    from_limit: Money
    to_limit: Money
    requested_by: str
    requested_at: datetime


def is_drastic_cut(old: Money, new: Money) -> bool:
    """The credit-insurer guard: to zero, or by more than half (a cut to exactly half applies)."""
    return new < old and (new.amount == 0 or new.amount * 2 < old.amount)


# A cut is measured against the highest limit in force over this window, so that a cut made in
# steps (20,000 → 10,000 → 5,000 → 2,500, each by half) is held like the cut it adds up to.
CUT_LOOKBACK = timedelta(days=30)
IN_FORCE_ACTIONS = frozenset({"OPENED", "APPLIED", "CONFIRMED"})


@dataclass(frozen=True, slots=True)
class CreditPosition:
    """What a reseller may still order at a distributor at one moment."""

    insured_limit: Money
    guarantees: Money
    order_extras: Money
    outstanding: Money

    @property
    def available(self) -> Money:
        return self.insured_limit + self.guarantees + self.order_extras - self.outstanding


class MovementKind(enum.Enum):
    FIRM_ORDER = "FIRM_ORDER"  # charges the line
    RESELLER_PAYMENT = "RESELLER_PAYMENT"  # the reseller paid the distributor: reduces the outstanding


@dataclass(frozen=True, slots=True)
class CreditMovement:
    id: str
    credit_line_id: str
    kind: MovementKind
    amount: Money
    at: datetime
    by: str
    licence_program: str | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class CreditLine:
    """A reseller's credit (encours) at one distributor; one line per pair."""

    id: str
    distributor_id: str
    reseller_id: str
    insured_limit: Money
    outstanding: Money
    created_at: datetime
    pending_change: PendingCreditChange | None = None
    history: tuple[CreditLineEvent, ...] = ()
    version: int = 1

    @staticmethod
    def id_for(distributor_id: str, reseller_id: str) -> str:
        return f"{distributor_id}.{reseller_id}"

    @classmethod
    def open(cls, *, distributor_id: str, reseller_id: str, limit: Money, by: str, at: datetime) -> CreditLine:
        _check_limit(limit)
        limit = limit.rounded()
        return cls(
            id=cls.id_for(distributor_id, reseller_id),
            distributor_id=distributor_id,
            reseller_id=reseller_id,
            insured_limit=limit,
            outstanding=Money.zero(limit.currency),
            created_at=at,
            history=(CreditLineEvent(CreditChangeAction.OPENED, at, by, Money.zero(limit.currency), limit),),
        )

    def _next(self, **changes: object) -> CreditLine:
        """Every change moves the version, which the store's conditional write checks."""
        return replace(self, version=self.version + 1, **changes)  # type: ignore[arg-type]

    def _logged(
        self, action: CreditChangeAction, by: str, at: datetime, old: Money, new: Money
    ) -> tuple[CreditLineEvent, ...]:
        return (*self.history, CreditLineEvent(action, at, by, old, new))

    def highest_limit_since(self, since: datetime) -> Money:
        """The highest insured limit in force at any time from `since` until now."""
        in_force_then = Money.zero(self.insured_limit.currency)
        limits = [self.insured_limit]
        for event in self.history:  # oldest first
            if event.action.value not in IN_FORCE_ACTIONS:
                continue
            if event.at <= since:
                in_force_then = event.to_limit
            else:
                limits.append(event.to_limit)
        return max([in_force_then, *limits])

    def set_limit(self, limit: Money, *, by: str, at: datetime, lookback: timedelta = CUT_LOOKBACK) -> CreditLine:
        """A raise or a moderate cut applies at once; a drastic cut is held for a second user.

        Drastic against the highest limit in force over `lookback`, not only the current one.
        """
        _check_limit(limit)
        limit = limit.rounded()
        if self.pending_change is not None:
            raise Conflict(
                "a cut of this line waits for confirmation: confirm or withdraw it first",
                code=IncentiveCode.CHANGE_PENDING,
                field=["insuredLimit"],
            )
        old = self.insured_limit
        if limit == old:
            return self
        if limit < old and is_drastic_cut(self.highest_limit_since(at - lookback), limit):
            return self._next(
                pending_change=PendingCreditChange(old, limit, by, at),
                history=self._logged(CreditChangeAction.HELD, by, at, old, limit),
            )
        return self._next(insured_limit=limit, history=self._logged(CreditChangeAction.APPLIED, by, at, old, limit))

    def confirm_change(self, *, by: str, at: datetime) -> CreditLine:
        pending = self._pending()
        if by == pending.requested_by:
            raise PermissionDenied(
                "a held cut is confirmed by a different user than the one who asked for it",
                field=["creditLineId"],
            )
        return self._next(
            insured_limit=pending.to_limit,
            pending_change=None,
            history=self._logged(CreditChangeAction.CONFIRMED, by, at, pending.from_limit, pending.to_limit),
        )

    def withdraw_change(self, *, by: str, at: datetime) -> CreditLine:
        pending = self._pending()
        return self._next(
            pending_change=None,
            history=self._logged(CreditChangeAction.WITHDRAWN, by, at, pending.from_limit, pending.to_limit),
        )

    def _pending(self) -> PendingCreditChange:
        if self.pending_change is None:
            raise Conflict("no change of this line waits for confirmation", code=IncentiveCode.NO_PENDING_CHANGE)
        return self.pending_change

    def position(self, guarantees: Money, order_extras: Money) -> CreditPosition:
        return CreditPosition(self.insured_limit, guarantees, order_extras, self.outstanding)

    def charge(self, amount: Money, position: CreditPosition) -> CreditLine:
        """A firm order: refused, nothing changed, if it does not fit the credit available before it."""
        _check_movement(amount)
        if amount > position.available:
            raise Conflict(
                f"the order ({amount.rounded()}) exceeds the credit available ({position.available.rounded()})",
                code=IncentiveCode.CREDIT_LIMIT_EXCEEDED,
                field=["amount"],
            )
        return self._next(outstanding=self.outstanding + amount.rounded())

    def repay(self, amount: Money) -> CreditLine:
        _check_movement(amount)
        if amount > self.outstanding:
            raise ValidationError(
                f"the payment ({amount.rounded()}) is more than the outstanding ({self.outstanding})",
                code=IncentiveCode.PAYMENT_EXCEEDS_OUTSTANDING,
                field=["amount"],
            )
        return self._next(outstanding=self.outstanding - amount.rounded())


def _check_limit(limit: Money) -> None:
    if limit.is_negative:
        raise ValidationError(
            "insuredLimit may not be negative", code=CommonCode.INVALID_AMOUNT, field=["insuredLimit"]
        )


def _check_movement(amount: Money) -> None:
    if amount.amount <= 0:
        raise ValidationError("amount must be positive", code=CommonCode.INVALID_AMOUNT, field=["amount"])
    if amount.rounded() != amount:
        raise ValidationError("amount is in whole cents", code=CommonCode.INVALID_AMOUNT, field=["amount"])


def credit_guarantees(
    campaigns: Iterable[IncentiveCampaign], *, distributor_id: str, reseller_roles: Iterable[PartnerRole], at: datetime
) -> Money:
    roles = frozenset(reseller_roles)
    found = [
        c.amount
        for c in in_force(campaigns, CampaignKind.CREDIT_GUARANTEE, at)
        if c.amount is not None and c.covers_distributor(distributor_id) and c.covers_roles(roles)
    ]
    return sum(found, Money.zero())


def order_extras(
    campaigns: Iterable[IncentiveCampaign],
    orders: Iterable[CreditMovement],
    *,
    distributor_id: str,
    reseller_roles: Iterable[PartnerRole],
    at: datetime,
) -> Money:
    """Per ORDER_CREDIT campaign in force: `amount` × the full `per_order_amount`s of its firm orders."""
    roles = frozenset(reseller_roles)
    orders = [o for o in orders if o.kind is MovementKind.FIRM_ORDER]
    extras = Money.zero()
    for c in in_force(campaigns, CampaignKind.ORDER_CREDIT, at):
        if not (c.covers_distributor(distributor_id) and c.covers_roles(roles)):
            continue
        assert c.amount is not None and c.per_order_amount is not None
        counted = sum(
            (o.amount for o in orders if c.starts_at <= o.at < c.ends_at and c.covers_programme(o.licence_program)),
            Money.zero(),
        )
        extras += c.amount * int(counted.amount // c.per_order_amount.amount)
    return extras


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


def rebate_payout(
    *, id: str, seller_id: str, rebate: Rebate, created_at: datetime, due_by: datetime | None = None
) -> Payout:
    return Payout(
        id=id,
        kind=PayoutKind.REBATE,
        status=PayoutStatus.SCHEDULED,
        amount=rebate.amount,
        beneficiary_id=seller_id,
        created_at=created_at,
        due_by=due_by,
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
    covering = [c for c in in_force(campaigns, CampaignKind.FINANCING_REFERRAL, activated_at) if c.covers_roles(roles)]
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
        created_at=activated_at,
        contract_id=contract_id,
        due_by=activated_at + timedelta(hours=best.payout_sla_hours or DEFAULT_REFERRAL_SLA_HOURS),
    )
