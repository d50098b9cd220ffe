"""The leaser's financing formulas (DESIGN 2).

Rents are paid in advance (terme à échoir). With `i = annualRate / periodsPerYear` and
`n = termMonths / monthsPerPeriod`:

- financed amount  PV = fee × (1 − (1+i)^−n) / i × (1+i)   (fee × n when i = 0)
- upfront payout   = PV − fileFee
- leaser fees      = fee × n − upfront payout
- decision         PV < instantDecisionLimit → IMMEDIATE, otherwise CREDIT_REVIEW
- rent for a PV    = PV × i / ((1 − (1+i)^−n) × (1+i))

Intermediate figures keep 34 significant digits; PV and rent are rounded half-up to
the cent because they are shown and paid.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal, localcontext

from channelfin.domain.error_codes import CommonCode, FinancingCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.money import Money


class Periodicity(enum.Enum):
    MONTHLY = 12
    QUARTERLY = 4
    ANNUAL = 1

    @property
    def periods_per_year(self) -> int:
        return self.value

    @property
    def months_per_period(self) -> int:
        return 12 // self.value


class DecisionMode(enum.Enum):
    IMMEDIATE = "IMMEDIATE"
    CREDIT_REVIEW = "CREDIT_REVIEW"


MAX_TERM_MONTHS = 120


def period_count(periodicity: Periodicity, term_months: int) -> int:
    """Number of rents over the term; the term must be a whole number of periods."""
    if term_months <= 0:
        raise ValidationError(
            "the term must be at least one period", code=FinancingCode.INVALID_TERM, field=["termMonths"]
        )
    if term_months > MAX_TERM_MONTHS:
        raise ValidationError(
            f"the term may not exceed {MAX_TERM_MONTHS} months", code=FinancingCode.INVALID_TERM, field=["termMonths"]
        )
    if term_months % periodicity.months_per_period:
        raise ValidationError(
            f"a {periodicity.name.lower()} term must be a multiple of {periodicity.months_per_period} months",
            code=FinancingCode.INVALID_TERM,
            field=["termMonths"],
        )
    return term_months // periodicity.months_per_period


def validate_annual_rate(rate: Decimal) -> Decimal:
    if rate < 0 or rate >= 1:
        raise ValidationError(
            "annualRate is a yearly fraction between 0 (inclusive) and 1 (e.g. 0.06 for 6%)",
            code=CommonCode.INVALID_RATE,
            field=["annualRate"],
        )
    return rate


@dataclass(frozen=True, slots=True)
class LeaseTerms:
    periodicity: Periodicity
    term_months: int
    annual_rate: Decimal

    def __post_init__(self) -> None:
        period_count(self.periodicity, self.term_months)
        validate_annual_rate(self.annual_rate)

    @property
    def periods(self) -> int:
        return period_count(self.periodicity, self.term_months)

    @property
    def period_rate(self) -> Decimal:
        return self.annual_rate / self.periodicity.periods_per_year

    def _annuity_factor(self) -> Decimal:
        """Present value of 1 paid in advance each period: (1 − (1+i)^−n) / i × (1+i)."""
        i, n = self.period_rate, self.periods
        if i == 0:
            return Decimal(n)
        return (1 - (1 + i) ** -n) / i * (1 + i)

    def present_value(self, rent: Money) -> Money:
        with localcontext() as ctx:
            ctx.prec = 34
            return Money(rent.amount * self._annuity_factor(), rent.currency).rounded()

    def rent_for(self, financed_amount: Money) -> Money:
        with localcontext() as ctx:
            ctx.prec = 34
            return Money(financed_amount.amount / self._annuity_factor(), financed_amount.currency).rounded()


def decision_mode(financed_amount: Money, instant_decision_limit: Money) -> DecisionMode:
    return DecisionMode.IMMEDIATE if financed_amount < instant_decision_limit else DecisionMode.CREDIT_REVIEW


@dataclass(frozen=True, slots=True)
class LeaseQuote:
    financed_amount: Money
    rent: Money
    upfront_payout: Money
    leaser_fees: Money
    decision_mode: DecisionMode
    periods: int


def quote(
    terms: LeaseTerms,
    *,
    file_fee: Money,
    instant_decision_limit: Money,
    software_fee: Money | None = None,
    financed_amount: Money | None = None,
) -> LeaseQuote:
    """The calculator: from the rent (softwareFee) or, the other way round, from a wanted PV."""
    if (software_fee is None) == (financed_amount is None):
        raise ValidationError(
            "give exactly one of softwareFee and financedAmount",
            code=FinancingCode.EXACTLY_ONE_OF,
            field=["softwareFee", "financedAmount"],
        )
    if software_fee is not None:
        rent = software_fee.rounded()  # checked once rounded: 0.001 would quote on a rent of 0.00
        if rent.amount <= 0:
            raise ValidationError(
                "softwareFee must be at least 0.01", code=CommonCode.INVALID_AMOUNT, field=["softwareFee"]
            )
        pv = terms.present_value(rent)
    else:
        assert financed_amount is not None
        pv = financed_amount.rounded()
        if pv.amount <= 0:
            raise ValidationError(
                "financedAmount must be at least 0.01", code=CommonCode.INVALID_AMOUNT, field=["financedAmount"]
            )
        rent = terms.rent_for(pv)
    upfront = pv - file_fee
    return LeaseQuote(
        financed_amount=pv,
        rent=rent,
        upfront_payout=upfront,
        leaser_fees=rent * terms.periods - upfront,
        decision_mode=decision_mode(pv, instant_decision_limit),
        periods=terms.periods,
    )
