"""Incentive campaigns: what each kind gives, its scope and period, which ones are in force."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from channelfin.domain.error_codes import CommonCode, IncentiveCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole, clean_name

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
    CampaignKind.FINANCING_REFERRAL: (),  # a 48-hour payment promise; a bonus `rate` is an option
}
_ALLOWED_FIGURES: dict[CampaignKind, frozenset[str]] = {
    kind: frozenset(n for n in needs if n in _FIGURES) for kind, needs in _NEEDS.items()
}
_ALLOWED_FIGURES[CampaignKind.FINANCING_REFERRAL] |= {"payout_sla_hours", "rate"}

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
            if money is not None and money.rounded().amount <= 0:  # stored to the cent: 0.001 would be 0.00
                raise ValidationError(
                    f"{_CAMEL[figure]} must be at least 0.01", code=CommonCode.INVALID_AMOUNT, field=[_CAMEL[figure]]
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
