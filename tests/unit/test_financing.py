from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from channelfin.domain.errors import ValidationError
from channelfin.domain.financing import DecisionMode, LeaseTerms, Periodicity, decision_mode, quote
from channelfin.domain.money import CENT, Money

LIMIT = Money.of("50000.00")
FILE_FEE = Money.of("150.00")


def worked_example_terms() -> LeaseTerms:
    return LeaseTerms(Periodicity.MONTHLY, 36, Decimal("0.06"))


def test_worked_example_of_design_section_2():
    q = quote(worked_example_terms(), file_fee=FILE_FEE, instant_decision_limit=LIMIT, software_fee=Money.of("1000.00"))
    assert q.financed_amount == Money.of("33035.37")
    assert q.upfront_payout == Money.of("32885.37")
    assert q.leaser_fees == Money.of("3114.63")
    assert q.decision_mode is DecisionMode.IMMEDIATE
    assert q.periods == 36


def test_calculator_the_other_way_round():
    q = quote(
        worked_example_terms(), file_fee=FILE_FEE, instant_decision_limit=LIMIT, financed_amount=Money.of("50000.00")
    )
    assert q.rent == Money.of("1513.53")
    assert q.decision_mode is DecisionMode.CREDIT_REVIEW


def test_zero_rate_finances_the_plain_sum_of_rents():
    terms = LeaseTerms(Periodicity.QUARTERLY, 24, Decimal("0"))
    assert terms.present_value(Money.of("900.00")) == Money.of("7200.00")
    assert terms.rent_for(Money.of("7200.00")) == Money.of("900.00")


@pytest.mark.parametrize(
    ("periodicity", "term", "periods"),
    [(Periodicity.MONTHLY, 36, 36), (Periodicity.QUARTERLY, 36, 12), (Periodicity.ANNUAL, 36, 3)],
)
def test_periods_follow_the_periodicity(periodicity, term, periods):
    assert LeaseTerms(periodicity, term, Decimal("0.05")).periods == periods


@pytest.mark.parametrize(
    ("periodicity", "term"),
    [(Periodicity.QUARTERLY, 10), (Periodicity.ANNUAL, 18), (Periodicity.MONTHLY, 0), (Periodicity.MONTHLY, -12)],
)
def test_term_must_be_a_whole_number_of_periods(periodicity, term):
    with pytest.raises(ValidationError) as err:
        LeaseTerms(periodicity, term, Decimal("0.05"))
    assert err.value.code == "INVALID_TERM"
    assert err.value.field == ["termMonths"]


@pytest.mark.parametrize("kwargs", [{}, {"software_fee": Money.of("1"), "financed_amount": Money.of("1")}])
def test_exactly_one_of_fee_and_financed_amount(kwargs):
    with pytest.raises(ValidationError) as err:
        quote(worked_example_terms(), file_fee=FILE_FEE, instant_decision_limit=LIMIT, **kwargs)
    assert err.value.code == "EXACTLY_ONE_OF"


def test_negative_fee_is_refused():
    with pytest.raises(ValidationError) as err:
        quote(worked_example_terms(), file_fee=FILE_FEE, instant_decision_limit=LIMIT, software_fee=Money.of("-1.00"))
    assert err.value.code == "INVALID_AMOUNT"


periodicities = st.sampled_from(list(Periodicity))
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.25"), places=4)
fees = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("100000.00"), places=2)


@st.composite
def lease_terms(draw):
    periodicity = draw(periodicities)
    periods = draw(st.integers(min_value=1, max_value=120 // periodicity.months_per_period))
    return LeaseTerms(periodicity, periods * periodicity.months_per_period, draw(rates))


@given(lease_terms(), fees)
def test_rent_of_the_present_value_gives_back_the_fee_within_a_cent(terms, fee):
    pv = terms.present_value(Money(fee))
    assert abs(terms.rent_for(pv).amount - fee) <= CENT


@given(lease_terms(), fees)
def test_figures_reconcile_to_the_cent(terms, fee):
    q = quote(terms, file_fee=FILE_FEE, instant_decision_limit=LIMIT, software_fee=Money(fee))
    assert q.upfront_payout + FILE_FEE == q.financed_amount
    assert q.upfront_payout + q.leaser_fees == Money(fee) * terms.periods
    assert q.financed_amount.amount == q.financed_amount.amount.quantize(CENT)
    # paid in advance, a positive rate can only discount the rents
    assert q.financed_amount <= Money(fee) * terms.periods


@given(st.integers(min_value=1, max_value=10**9))
def test_decision_flips_exactly_at_the_limit(limit_cents):
    limit = Money.from_cents(limit_cents)
    assert decision_mode(limit, limit) is DecisionMode.CREDIT_REVIEW
    assert decision_mode(limit - Money.of("0.01"), limit) is DecisionMode.IMMEDIATE
    assert decision_mode(limit + Money.of("0.01"), limit) is DecisionMode.CREDIT_REVIEW


@given(lease_terms(), st.decimals(min_value=Decimal("100.00"), max_value=Decimal("500000.00"), places=2))
def test_quote_from_financed_amount_keeps_that_amount(terms, pv):
    assume(terms.rent_for(Money(pv)).amount > 0)
    q = quote(terms, file_fee=FILE_FEE, instant_decision_limit=LIMIT, financed_amount=Money(pv))
    assert q.financed_amount == Money(pv)
    assert q.decision_mode is (DecisionMode.IMMEDIATE if pv < LIMIT.amount else DecisionMode.CREDIT_REVIEW)
