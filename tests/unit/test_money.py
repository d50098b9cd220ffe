from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelfin.domain.errors import ValidationError
from channelfin.domain.money import Money

cents = st.integers(min_value=-(10**12), max_value=10**12)


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        Money.of(0.1)  # type: ignore[arg-type]


def test_money_rounds_half_up_to_the_cent_only_when_asked():
    value = Money.of("2.345")
    assert value.amount == Decimal("2.345")
    assert value.rounded().amount == Decimal("2.35")
    assert Money.of("-2.345").rounded().amount == Decimal("-2.35")


def test_money_refuses_to_mix_currencies():
    with pytest.raises(ValidationError) as err:
        Money.of("1.00", "EUR") + Money.of("1.00", "USD")
    assert err.value.code == "CURRENCY_MISMATCH"


def test_storing_a_fraction_of_a_cent_is_a_bug():
    with pytest.raises(ValueError):
        Money.of("0.005").to_cents()


@given(cents)
def test_cents_round_trip(value):
    assert Money.from_cents(value).to_cents() == value


@given(cents.filter(lambda c: c >= 0), st.integers(min_value=1, max_value=120))
def test_split_adds_up_to_the_cent_and_differs_by_at_most_a_cent(total, parts):
    shares = Money.from_cents(total).split(parts)
    assert len(shares) == parts
    assert sum((s.amount for s in shares), Decimal(0)) == Money.from_cents(total).amount
    assert max(s.to_cents() for s in shares) - min(s.to_cents() for s in shares) <= 1


def test_unparseable_amount_is_a_validation_error():
    with pytest.raises(ValidationError) as err:
        Money.of("12,5")
    assert err.value.code == "INVALID_DECIMAL"
