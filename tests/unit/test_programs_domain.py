"""The commission and charge rules of seed 001, and statements that reconcile to the cent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from channelfin.domain.financing import Periodicity
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import CHARGE_KINDS, Payout, PayoutKind, PayoutStatus, Statement
from channelfin.domain.programs import DEFAULT_TIERS, PartnerTier, commission_for, first_annuity, partner_charges
from tests.factories import contract, partner

PUBLISHER = partner(PartnerRole.PUBLISHER)


def monthly(fee: str = "400.00", support: str = "100.00", **overrides) -> object:
    return contract(PUBLISHER, PUBLISHER, software_fee=Money.of(fee), support_fee=Money.of(support), **overrides)


def test_first_annuity_is_twelve_months_or_the_whole_shorter_term():
    assert first_annuity(monthly()) == Money.of("6000.00")
    assert first_annuity(monthly(term_months=6)) == Money.of("3000.00")
    quarterly = monthly(periodicity=Periodicity.QUARTERLY, term_months=24, fee="1200.00", support="300.00")
    assert first_annuity(quarterly) == Money.of("6000.00")


def test_commission_thresholds_per_tier():
    c = monthly()
    rules = DEFAULT_TIERS
    assert commission_for(rules[PartnerTier.PRESCRIBER], 1, c) == Money.of("900.00")
    assert commission_for(rules[PartnerTier.INTEGRATOR_AFFILIATE], 1, c) is None
    assert commission_for(rules[PartnerTier.INTEGRATOR_AFFILIATE], 2, c) == Money.of("4200.00")
    assert commission_for(rules[PartnerTier.INDEPENDENT_INTEGRATOR], 2, c) == Money.of("3000.00")
    assert commission_for(rules[PartnerTier.AFFILIATE], 5, c) is None


def test_affiliate_charges_cover_every_contract_year_and_a_last_partial_one():
    c = monthly(term_months=30, start_date=date(2027, 1, 1))
    charges = partner_charges(DEFAULT_TIERS[PartnerTier.AFFILIATE], c)
    assert [(ch.year, ch.amount, ch.due_on) for ch in charges] == [
        (1, Money.of("3000.00"), date(2027, 1, 1)),
        (2, Money.of("3000.00"), date(2028, 1, 1)),
        (3, Money.of("1500.00"), date(2029, 1, 1)),
    ]
    assert partner_charges(DEFAULT_TIERS[PartnerTier.PRESCRIBER], c) == []


def test_a_leap_day_start_has_anniversaries_on_the_28th():
    c = monthly(term_months=24, start_date=date(2028, 2, 29))
    assert [ch.due_on for ch in partner_charges(DEFAULT_TIERS[PartnerTier.AFFILIATE], c)] == [
        date(2028, 2, 29),
        date(2029, 2, 28),
    ]


T0 = datetime(2027, 1, 1, tzinfo=UTC)
lines = st.lists(
    st.tuples(
        st.sampled_from(list(PayoutKind)),
        st.sampled_from(list(PayoutStatus)),
        st.integers(min_value=1, max_value=10_000_000),
    ),
    max_size=40,
)


@given(lines)
def test_statements_reconcile_to_the_cent(rows):
    payouts = [
        Payout(
            id=f"p{i}",
            kind=kind,
            status=status,
            amount=Money.from_cents(cents),
            # x owes its charges to the publisher; every other kind is owed to x
            beneficiary_id="publisher" if kind in CHARGE_KINDS else "x",
            payer_id="x" if kind in CHARGE_KINDS else "publisher",
            created_at=T0 + timedelta(hours=i),
        )
        for i, (kind, status, cents) in enumerate(rows)
    ]
    statement = Statement.of("x", T0, T0 + timedelta(days=30), payouts)
    counted = [p for p in payouts if p.status is not PayoutStatus.CANCELLED]
    signed = sum((-p.amount.amount if p.kind in CHARGE_KINDS else p.amount.amount for p in counted), Decimal(0))
    assert statement.net.amount == signed
    assert statement.earned == sum((m for _, m in statement.earned_by_kind), Money.zero())
    assert statement.earned - statement.charged == statement.net
    assert len(statement.lines) == len(payouts)
    assert all(m.amount > 0 for _, m in statement.earned_by_kind)
