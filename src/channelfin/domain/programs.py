"""A publisher's partner program (seed 001): four tiers, their rules and what each sale earns.

"First annuity" is the first 12 months of the client contract's recurring fees (software
plus support per period), or the whole term if shorter. Sales are numbered per partner
within one program in the order their sale contracts are signed.

- AFFILIATE: onboarding by and invoiced by the partner, which holds the recurring
  contract and gives support; the publisher charges it 50% of every annual fee.
- INTEGRATOR_AFFILIATE: onboarding by the partner as a subcontractor, invoiced by the
  publisher, which holds the contract and gives support; 70% of the first annuity, from
  the partner's 2nd sale on.
- INDEPENDENT_INTEGRATOR: onboarding by and invoiced by the partner; the publisher holds
  the contract and gives support; 50% of the first annuity, from the 2nd sale on.
- PRESCRIBER: the publisher does everything; 15% of the first annuity, from the 1st sale.

Evolutive maintenance always stays with the publisher. Every rule is a program setting:
a new program may change any of them, within bounds: no tier's rate above its default here,
no charge above the affiliate's 50%, no entry-fee rate above 5% — unless a leaser-admin
creates the program (the leaser raises the bound).

An enrolment is the publisher's offer: it counts once the enrolled partner accepts it
(`domain.relations`); the entry fee is charged then, and no sale is attributed before.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import CommonCode, ConsentCode, ProgramCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.money import Money
from channelfin.domain.partners import clean_name
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus, entry_fee_id
from channelfin.domain.relations import ConsentStatus, answer


class PartnerTier(enum.Enum):
    AFFILIATE = "AFFILIATE"
    INTEGRATOR_AFFILIATE = "INTEGRATOR_AFFILIATE"
    INDEPENDENT_INTEGRATOR = "INDEPENDENT_INTEGRATOR"
    PRESCRIBER = "PRESCRIBER"


class Actor(enum.Enum):
    PARTNER = "PARTNER"
    PUBLISHER = "PUBLISHER"


class RewardKind(enum.Enum):
    COMMISSION = "COMMISSION"  # the publisher pays the partner once per sale
    RECURRING_CHARGE = "RECURRING_CHARGE"  # the partner holds the contract; the publisher charges it yearly


PARTNER_BENEFITS = (
    "partner instance at 50% off the recurring subscription",
    "technical training",
    "privileged access to the technical team",
    "two partner seminars a year",
)


@dataclass(frozen=True, slots=True)
class TierRules:
    onboarding_by: Actor
    onboarding_invoiced_by: Actor
    contract_held_by: Actor
    support_by: Actor
    reward: RewardKind
    rate: Decimal
    from_sale: int
    needs_technical_qualification: bool
    benefits: tuple[str, ...]
    evolutive_maintenance_by: Actor = Actor.PUBLISHER


P, PUB = Actor.PARTNER, Actor.PUBLISHER
DEFAULT_TIERS: dict[PartnerTier, TierRules] = {
    PartnerTier.AFFILIATE: TierRules(
        P, P, P, P, RewardKind.RECURRING_CHARGE, Decimal("0.50"), 1, False, PARTNER_BENEFITS
    ),
    PartnerTier.INTEGRATOR_AFFILIATE: TierRules(
        P, PUB, PUB, PUB, RewardKind.COMMISSION, Decimal("0.70"), 2, True, PARTNER_BENEFITS
    ),
    PartnerTier.INDEPENDENT_INTEGRATOR: TierRules(
        P, P, PUB, PUB, RewardKind.COMMISSION, Decimal("0.50"), 2, True, PARTNER_BENEFITS
    ),
    PartnerTier.PRESCRIBER: TierRules(PUB, PUB, PUB, PUB, RewardKind.COMMISSION, Decimal("0.15"), 1, False, ()),
}
DEFAULT_AFFILIATE_MIN_SALES_PER_YEAR = 15
# What a publisher may set without the leaser: the defaults of DESIGN 1.2 at most, and no entry
# fee above 5% of the segment potential. A charge (the partner pays) is bounded by the affiliate's.
MAX_ENTRY_FEE_RATE = Decimal("0.05")
MAX_CHARGE_RATE = DEFAULT_TIERS[PartnerTier.AFFILIATE].rate


def _rate(value: Decimal, field: list[str]) -> Decimal:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValidationError("a rate is a fraction between 0 and 1", code=CommonCode.INVALID_RATE, field=field)
    return value


@dataclass(frozen=True, slots=True)
class PartnerProgram:
    id: str
    publisher_id: str
    name: str
    entry_fee_rate: Decimal
    affiliate_min_sales_per_year: int
    tiers: dict[PartnerTier, TierRules]
    created_at: datetime
    created_by: str

    @classmethod
    def create(
        cls,
        *,
        id: str,
        publisher_id: str,
        name: str,
        entry_fee_rate: Decimal,
        affiliate_min_sales_per_year: int | None,
        tier_overrides: dict[PartnerTier, dict[str, object]] | None,
        created_at: datetime,
        created_by: str,
    ) -> PartnerProgram:
        minimum = (
            DEFAULT_AFFILIATE_MIN_SALES_PER_YEAR
            if affiliate_min_sales_per_year is None
            else (affiliate_min_sales_per_year)
        )
        if minimum < 0:
            raise ValidationError(
                "a minimum is not negative", code=ProgramCode.INVALID_MINIMUM, field=["affiliateMinSalesPerYear"]
            )
        tiers = dict(DEFAULT_TIERS)
        for tier, changes in (tier_overrides or {}).items():
            changed = replace(tiers[tier], **changes)  # type: ignore[arg-type]
            _rate(changed.rate, ["tiers", tier.value, "rate"])
            if changed.from_sale < 1:
                raise ValidationError(
                    "sales are counted from 1", code=ProgramCode.INVALID_RULE, field=["tiers", tier.value]
                )
            tiers[tier] = changed
        return cls(
            id=id,
            publisher_id=publisher_id,
            name=clean_name(name, field=["name"]),
            entry_fee_rate=_rate(entry_fee_rate, ["entryFeeRate"]),
            affiliate_min_sales_per_year=minimum,
            tiers=tiers,
            created_at=created_at,
            created_by=created_by,
        )

    def require_within_bounds(self) -> None:
        """Rates a publisher may set itself (a leaser-admin may go above them)."""
        if self.entry_fee_rate > MAX_ENTRY_FEE_RATE:
            raise ValidationError(
                f"an entry-fee rate above {MAX_ENTRY_FEE_RATE} needs a leaser-admin",
                code=ProgramCode.RATE_ABOVE_BOUND,
                field=["entryFeeRate"],
            )
        for tier, rules in self.tiers.items():
            bound = DEFAULT_TIERS[tier].rate
            if rules.reward is RewardKind.RECURRING_CHARGE:
                bound = min(bound, MAX_CHARGE_RATE)
            if rules.rate > bound:
                raise ValidationError(
                    f"the {tier.value} rate may not exceed {bound} without a leaser-admin",
                    code=ProgramCode.RATE_ABOVE_BOUND,
                    field=["tiers", tier.value, "rate"],
                )


@dataclass(frozen=True, slots=True)
class Enrollment:
    id: str
    program_id: str
    publisher_id: str
    partner_id: str
    tier: PartnerTier
    rules: TierRules
    entry_fee: Money | None
    segment_potential: Money | None
    technically_qualified: bool
    enrolled_at: datetime
    enrolled_by: str
    sales_count: int = 0
    status: ConsentStatus = ConsentStatus.PENDING
    answered_by: str | None = None
    answered_at: datetime | None = None

    @classmethod
    def enroll(
        cls,
        *,
        id: str,
        program: PartnerProgram,
        partner_id: str,
        tier: PartnerTier,
        segment_potential: Money | None,
        enrolled_at: datetime,
        enrolled_by: str,
    ) -> Enrollment:
        entry_fee = None
        if tier is PartnerTier.AFFILIATE:
            if segment_potential is None:
                raise ValidationError(
                    "an affiliate's entry fee is computed on its segment's potential",
                    code=ProgramCode.SEGMENT_POTENTIAL_REQUIRED,
                    field=["segmentPotential"],
                )
            if segment_potential.is_negative:
                raise ValidationError(
                    "segmentPotential is not negative", code=CommonCode.INVALID_AMOUNT, field=["segmentPotential"]
                )
            entry_fee = (segment_potential * program.entry_fee_rate).rounded()
        return cls(
            id=id,
            program_id=program.id,
            publisher_id=program.publisher_id,
            partner_id=partner_id,
            tier=tier,
            rules=program.tiers[tier],
            entry_fee=entry_fee,
            segment_potential=segment_potential,
            technically_qualified=False,
            enrolled_at=enrolled_at,
            enrolled_by=enrolled_by,
        )

    def answered(self, *, accept: bool, by: str, at: datetime) -> Enrollment:
        """The enrolled partner's answer to the publisher's offer, given once."""
        status = answer(self.status, accept=accept, what="enrolment")
        return replace(self, status=status, answered_by=by, answered_at=at)

    @property
    def is_accepted(self) -> bool:
        return self.status is ConsentStatus.ACCEPTED

    def require_accepted(self) -> None:
        if not self.is_accepted:
            raise ValidationError(
                f"the enrolled partner has not accepted this enrolment ({self.status.value})",
                code=ConsentCode.ENROLLMENT_NOT_ACCEPTED,
                field=["enrollmentId"],
            )

    @property
    def may_onboard(self) -> bool:
        return self.technically_qualified or not self.rules.needs_technical_qualification

    def require_may_onboard(self) -> None:
        if not self.may_onboard:
            raise ValidationError(
                "an integrator needs its technical qualification before a contract is attributed to it",
                code=ProgramCode.NOT_TECHNICALLY_QUALIFIED,
                field=["enrollmentId"],
            )

    @property
    def partner_holds_contracts(self) -> bool:
        """The enrolled partner holds (and collects) the recurring contracts attributed to it, and
        pays the publisher its share of them (affiliates: DESIGN 1.2)."""
        return self.rules.contract_held_by is Actor.PARTNER or self.rules.reward is RewardKind.RECURRING_CHARGE

    def require_held_by(self, owner_id: str) -> None:
        """Only a contract the partner holds is attributed to an enrolment whose partner holds them:
        another's would charge the partner for a contract it neither holds nor collects."""
        if self.partner_holds_contracts and owner_id != self.partner_id:
            raise ValidationError(
                "in this tier the enrolled partner holds the contracts attributed to it: it must own this one",
                code=ProgramCode.PARTNER_HOLDS_CONTRACT,
                field=["enrollmentId"],
            )


def entry_fee(enrollment: Enrollment) -> Payout | None:
    """An affiliate's entry fee: a charge of its enrolment, owed to the publisher once the affiliate accepts."""
    if enrollment.entry_fee is None or enrollment.entry_fee.amount <= 0:
        return None
    if not enrollment.is_accepted:
        return None
    charged_at = enrollment.answered_at or enrollment.enrolled_at  # enrolments older than consent: at enrolment
    return Payout(
        id=entry_fee_id(enrollment.id),
        kind=PayoutKind.ENTRY_FEE,
        status=PayoutStatus.SCHEDULED,
        amount=enrollment.entry_fee,
        beneficiary_id=enrollment.publisher_id,
        payer_id=enrollment.partner_id,
        created_at=charged_at,
        due_by=charged_at,
        program_id=enrollment.program_id,
        enrollment_id=enrollment.id,
    )


@dataclass(frozen=True, slots=True)
class Sale:
    """A contract counted as the partner's `number`-th sale in the program."""

    enrollment_id: str
    contract_id: str
    number: int
    sold_at: datetime
    cancelled: bool = False


def recurring_fee(contract: Contract) -> Money:
    return contract.software_fee + contract.support_fee


def first_annuity(contract: Contract) -> Money:
    """The first 12 months of recurring fees, or the whole term if shorter."""
    periods = min(contract.periods, contract.periodicity.periods_per_year)
    return recurring_fee(contract) * periods


def commission_for(rules: TierRules, sale_number: int, contract: Contract) -> Money | None:
    """What the publisher owes the partner for its `sale_number`-th sale (None: nothing)."""
    if rules.reward is not RewardKind.COMMISSION or sale_number < rules.from_sale:
        return None
    return (first_annuity(contract) * rules.rate).rounded()


@dataclass(frozen=True, slots=True)
class YearlyCharge:
    year: int  # 1-based contract year
    amount: Money
    due_on: date


def partner_charges(rules: TierRules, contract: Contract) -> list[YearlyCharge]:
    """An affiliate holds the contract: one charge per contract year, the share of that year's fees."""
    if rules.reward is not RewardKind.RECURRING_CHARGE:
        return []
    per_year = contract.periodicity.periods_per_year
    charges = []
    for year, first_period in enumerate(range(0, contract.periods, per_year), start=1):
        periods = min(per_year, contract.periods - first_period)
        amount = (recurring_fee(contract) * periods * rules.rate).rounded()
        charges.append(YearlyCharge(year, amount, _anniversary(contract.start_date, year - 1)))
    return charges


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return start.replace(year=start.year + years, day=28)
