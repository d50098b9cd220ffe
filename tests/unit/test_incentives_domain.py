"""The reseller-support rules of seed 002 on domain objects alone: credit lines, campaigns and how they compose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelfin.domain.errors import Conflict, DomainError, PermissionDenied, ValidationError
from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign
from channelfin.domain.incentives.credit_lines import (
    CreditChangeAction,
    CreditLine,
    CreditMovement,
    CreditPosition,
    MovementKind,
    credit_guarantees,
    is_drastic_cut,
    order_extras,
)
from channelfin.domain.incentives.rewards import OrderLine, price_lines, rebate_for, referral_for
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import PayoutKind, PayoutStatus

RESELLER = PartnerRole.RESELLER
SERVICES_FIRM = PartnerRole.SERVICES_FIRM
T0 = datetime(2027, 1, 1, tzinfo=UTC)
MARCH = datetime(2027, 3, 1, tzinfo=UTC)
APRIL = datetime(2027, 4, 1, tzinfo=UTC)
MID_MARCH = datetime(2027, 3, 15, 10, 0, tzinfo=UTC)
FOREVER = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
DISTRIBUTOR = "etc"


def eur(value: str) -> Money:
    return Money.of(value)


_numbers = iter(range(1, 1_000_000))


def campaign(kind: CampaignKind, *, starts_at: datetime = FOREVER[0], ends_at: datetime = FOREVER[1], **fields: Any):
    """A valid campaign through `create`; `id` sorts in creation order."""
    values: dict[str, Any] = {
        "id": f"c{next(_numbers):06d}",
        "vendor_id": "microsoft",
        "name": f"{kind.value} campaign",
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "created_at": T0,
        "created_by": "vendor-admin",
    }
    values.update(fields)
    created = IncentiveCampaign.create(**values)
    # Credit campaigns count once their distributor accepted them (tested on its own below).
    return created.accepted(by="distributor-admin", at=T0) if created.needs_distributor_acceptance else created


def order(amount: str, at: datetime, programme: str | None = "OEM", kind: MovementKind = MovementKind.FIRM_ORDER):
    return CreditMovement(
        id=f"m{next(_numbers):06d}",
        credit_line_id=f"{DISTRIBUTOR}.reseller",
        kind=kind,
        amount=eur(amount),
        at=at,
        by="bob",
        licence_program=programme,
    )


def opened(limit: str = "10000.00") -> CreditLine:
    return CreditLine.open(distributor_id=DISTRIBUTOR, reseller_id="reseller", limit=eur(limit), by="alice", at=T0)


def refusal(call, *args: Any, **kwargs: Any) -> tuple[str, str, list[str] | None]:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return type(caught.value).__name__, caught.value.code, caught.value.field


# ---------------------------------------------------------------- the held-cut guard


@pytest.mark.parametrize(
    ("old", "new", "drastic"),
    [
        ("10000.00", "0.00", True),  # to zero: held
        ("0.01", "0.00", True),  # even from one cent
        ("10000.00", "5000.00", False),  # exactly half applies
        ("10000.00", "4999.99", True),  # one cent below half is held
        ("10000.01", "5000.00", True),  # half is 5000.005: 5000.00 is more than half off
        ("10000.01", "5000.01", False),
        ("10000.00", "9999.99", False),
        ("10000.00", "25000.00", False),  # a raise applies
        ("0.00", "0.00", False),  # no change
        ("5000.00", "5000.00", False),
    ],
)
def test_a_cut_is_drastic_when_it_goes_to_zero_or_below_half(old, new, drastic):
    assert is_drastic_cut(eur(old), eur(new)) is drastic


def test_given_an_open_line_when_the_limit_is_cut_to_exactly_half_then_it_applies_at_once():
    line = opened("10000.00")
    cut = line.set_limit(eur("5000.00"), by="alice", at=T0 + timedelta(hours=1))
    assert cut.insured_limit == eur("5000.00") and cut.pending_change is None
    assert cut.version == line.version + 1
    assert [(e.action, e.from_limit, e.to_limit) for e in cut.history] == [
        (CreditChangeAction.OPENED, eur("0.00"), eur("10000.00")),
        (CreditChangeAction.APPLIED, eur("10000.00"), eur("5000.00")),
    ]


def test_given_an_open_line_when_the_limit_is_cut_to_zero_then_the_cut_waits_and_the_old_limit_stays():
    line = opened("10000.00")
    held = line.set_limit(eur("0.00"), by="alice", at=T0 + timedelta(hours=1))
    assert held.insured_limit == eur("10000.00")
    assert held.pending_change is not None
    assert (held.pending_change.from_limit, held.pending_change.to_limit) == (eur("10000.00"), eur("0.00"))
    assert held.pending_change.requested_by == "alice"
    assert held.version == line.version + 1
    assert held.history[-1].action is CreditChangeAction.HELD


def test_a_cut_made_in_halves_is_held_once_it_adds_up_to_more_than_half_of_the_month_s_highest():
    # The red team's steps: 20,000 → 10,000 → 5,000 → 2,500, each by exactly half.
    line = opened("20000.00")
    line = line.set_limit(eur("10000.00"), by="alice", at=T0 + timedelta(days=1))
    assert line.insured_limit == eur("10000.00") and line.pending_change is None
    held = line.set_limit(eur("5000.00"), by="alice", at=T0 + timedelta(days=2))
    assert held.insured_limit == eur("10000.00") and held.pending_change is not None
    assert held.history[-1].action is CreditChangeAction.HELD


def test_a_cut_measures_against_the_highest_limit_of_the_last_thirty_days_only():
    line = opened("20000.00").set_limit(eur("10000.00"), by="alice", at=T0 + timedelta(days=1))
    later = line.set_limit(eur("5000.00"), by="alice", at=T0 + timedelta(days=40))
    assert later.insured_limit == eur("5000.00") and later.pending_change is None
    assert line.highest_limit_since(T0 + timedelta(days=10)) == eur("10000.00")
    assert line.highest_limit_since(T0 - timedelta(days=1)) == eur("20000.00")
    shorter = line.set_limit(eur("5000.00"), by="alice", at=T0 + timedelta(days=2), lookback=timedelta(hours=1))
    assert shorter.pending_change is None  # the window is configurable


def test_a_cut_one_cent_below_half_is_held():
    held = opened("10000.00").set_limit(eur("4999.99"), by="alice", at=T0)
    assert held.insured_limit == eur("10000.00")
    assert held.pending_change is not None and held.pending_change.to_limit == eur("4999.99")


def test_a_raise_applies_at_once():
    raised = opened("10000.00").set_limit(eur("25000.00"), by="alice", at=T0)
    assert raised.insured_limit == eur("25000.00") and raised.pending_change is None
    assert raised.history[-1].action is CreditChangeAction.APPLIED


def test_setting_the_same_limit_changes_nothing_not_even_the_version():
    zero = opened("0.00")
    assert zero.set_limit(eur("0.00"), by="alice", at=T0) is zero
    line = opened("10000.00")
    same = line.set_limit(eur("10000.00"), by="carol", at=T0)
    assert same is line and same.version == 1 and len(same.history) == 1


def test_given_a_held_cut_when_the_same_user_confirms_then_it_is_refused_and_nothing_changes():
    held = opened("10000.00").set_limit(eur("0.00"), by="alice", at=T0)
    with pytest.raises(PermissionDenied) as caught:
        held.confirm_change(by="alice", at=T0 + timedelta(minutes=5))
    assert caught.value.code == "FORBIDDEN"
    assert held.insured_limit == eur("10000.00") and held.pending_change is not None


def test_given_a_held_cut_when_a_different_user_confirms_then_the_new_limit_applies():
    held = opened("10000.00").set_limit(eur("0.00"), by="alice", at=T0)
    confirmed = held.confirm_change(by="carol", at=T0 + timedelta(minutes=5))
    assert confirmed.insured_limit == eur("0.00") and confirmed.pending_change is None
    assert confirmed.version == held.version + 1
    last = confirmed.history[-1]
    assert (last.action, last.by, last.from_limit, last.to_limit) == (
        CreditChangeAction.CONFIRMED,
        "carol",
        eur("10000.00"),
        eur("0.00"),
    )


def test_given_a_held_cut_when_it_is_withdrawn_then_the_old_limit_stays():
    held = opened("10000.00").set_limit(eur("1000.00"), by="alice", at=T0)
    withdrawn = held.withdraw_change(by="alice", at=T0 + timedelta(minutes=5))
    assert withdrawn.insured_limit == eur("10000.00") and withdrawn.pending_change is None
    assert withdrawn.version == held.version + 1
    assert [e.action for e in withdrawn.history] == [
        CreditChangeAction.OPENED,
        CreditChangeAction.HELD,
        CreditChangeAction.WITHDRAWN,
    ]
    assert refusal(withdrawn.confirm_change, by="carol", at=T0) == ("Conflict", "NO_PENDING_CHANGE", None)
    assert refusal(withdrawn.withdraw_change, by="carol", at=T0)[1] == "NO_PENDING_CHANGE"


def test_while_a_cut_is_held_any_other_change_is_refused_with_change_pending():
    held = opened("10000.00").set_limit(eur("0.00"), by="alice", at=T0)
    for limit in ("25000.00", "10000.00", "9000.00", "0.00"):
        with pytest.raises(Conflict) as caught:
            held.set_limit(eur(limit), by="carol", at=T0)
        assert (caught.value.code, caught.value.field) == ("CHANGE_PENDING", ["insuredLimit"])


def test_the_version_moves_on_every_change_of_a_line():
    line = opened("10000.00")
    steps = [
        lambda x: x.set_limit(eur("12000.00"), by="alice", at=T0),
        lambda x: x.set_limit(eur("1.00"), by="alice", at=T0),
        lambda x: x.withdraw_change(by="alice", at=T0),
        lambda x: x.set_limit(eur("0.00"), by="alice", at=T0),
        lambda x: x.confirm_change(by="carol", at=T0),
        lambda x: x.set_limit(eur("3000.00"), by="alice", at=T0),
        lambda x: x.charge(eur("1000.00"), x.position(Money.zero(), Money.zero())),
        lambda x: x.repay(eur("400.00")),
    ]
    versions = [line.version]
    for step in steps:
        line = step(line)
        versions.append(line.version)
    assert versions == list(range(1, len(steps) + 2))
    assert line.insured_limit == eur("3000.00") and line.outstanding == eur("600.00")


def test_a_negative_limit_is_refused_when_opening_and_when_changing():
    assert refusal(CreditLine.open, distributor_id="d", reseller_id="r", limit=eur("-0.01"), by="a", at=T0) == (
        "ValidationError",
        "INVALID_AMOUNT",
        ["insuredLimit"],
    )
    assert refusal(opened().set_limit, eur("-1.00"), by="a", at=T0)[1] == "INVALID_AMOUNT"


def test_a_firm_order_beyond_the_available_credit_is_refused_and_a_payment_never_goes_below_zero():
    line = opened("1000.00")
    position = line.position(eur("500.00"), eur("0.00"))
    assert refusal(line.charge, eur("1500.01"), position) == ("Conflict", "CREDIT_LIMIT_EXCEEDED", ["amount"])
    charged = line.charge(eur("1500.00"), position)
    assert charged.outstanding == eur("1500.00")
    assert charged.position(eur("500.00"), eur("0.00")).available == eur("0.00")
    assert refusal(charged.repay, eur("1500.01"))[1] == "PAYMENT_EXCEEDS_OUTSTANDING"
    assert charged.repay(eur("1500.00")).outstanding == eur("0.00")
    assert refusal(line.charge, eur("0.00"), position)[1] == "INVALID_AMOUNT"
    assert refusal(line.charge, eur("10.001"), position)[1] == "INVALID_AMOUNT"


# ---------------------------------------------------------------- composition: credit


def test_guarantees_in_force_at_the_distributor_add_up():
    campaigns = [
        campaign(CampaignKind.CREDIT_GUARANTEE, amount=eur("2000.00"), distributor_id=DISTRIBUTOR),
        campaign(CampaignKind.CREDIT_GUARANTEE, amount=eur("500.00"), distributor_id=DISTRIBUTOR),
        campaign(
            CampaignKind.CREDIT_GUARANTEE,
            amount=eur("300.00"),
            distributor_id=DISTRIBUTOR,
            partner_roles=frozenset({RESELLER}),
        ),
        # not counted: another distributor, ended, not started yet, another role
        campaign(CampaignKind.CREDIT_GUARANTEE, amount=eur("5000.00"), distributor_id="actebis"),
        campaign(
            CampaignKind.CREDIT_GUARANTEE,
            amount=eur("7000.00"),
            distributor_id=DISTRIBUTOR,
            starts_at=T0,
            ends_at=MID_MARCH,
        ),
        campaign(
            CampaignKind.CREDIT_GUARANTEE,
            amount=eur("9000.00"),
            distributor_id=DISTRIBUTOR,
            starts_at=MID_MARCH + timedelta(seconds=1),
            ends_at=APRIL,
        ),
        campaign(
            CampaignKind.CREDIT_GUARANTEE,
            amount=eur("11000.00"),
            distributor_id=DISTRIBUTOR,
            partner_roles=frozenset({SERVICES_FIRM}),
        ),
    ]
    got = credit_guarantees(campaigns, distributor_id=DISTRIBUTOR, reseller_roles={RESELLER}, at=MID_MARCH)
    assert got == eur("2800.00")


def test_order_credit_campaigns_each_count_their_own_orders_and_add_up():
    oem = campaign(
        CampaignKind.ORDER_CREDIT,
        amount=eur("5000.00"),
        per_order_amount=eur("1000.00"),
        distributor_id=DISTRIBUTOR,
        licence_program="OEM",
        starts_at=T0,
        ends_at=datetime(2027, 7, 1, tzinfo=UTC),
    )
    open_in_march = campaign(
        CampaignKind.ORDER_CREDIT,
        amount=eur("1000.00"),
        per_order_amount=eur("500.00"),
        distributor_id=DISTRIBUTOR,
        licence_program="Open",
        starts_at=MARCH,
        ends_at=APRIL,
    )
    orders = [
        order("5000.00", T0 - timedelta(seconds=1), "OEM"),  # before the OEM campaign
        order("1500.00", datetime(2027, 2, 10, tzinfo=UTC), "OEM"),
        order("600.00", datetime(2027, 3, 2, tzinfo=UTC), "oem"),  # programs compare without case
        order("700.00", datetime(2027, 3, 3, tzinfo=UTC), "Open"),
        order("400.00", datetime(2027, 2, 27, tzinfo=UTC), "Open"),  # before the Open campaign
        order("9000.00", datetime(2027, 3, 4, tzinfo=UTC), "OEM", MovementKind.RESELLER_PAYMENT),  # not an order
    ]

    def extras(campaigns):
        return order_extras(campaigns, orders, distributor_id=DISTRIBUTOR, reseller_roles={RESELLER}, at=MID_MARCH)

    assert extras([oem]) == eur("10000.00")  # 2,100.00 of OEM orders: two full 1,000.00
    assert extras([open_in_march]) == eur("1000.00")  # 700.00 of Open orders in March: one full 500.00
    assert extras([oem, open_in_march]) == eur("11000.00")  # each counts its own, they add up
    elsewhere = campaign(
        CampaignKind.ORDER_CREDIT, amount=eur("99.00"), per_order_amount=eur("1.00"), distributor_id="actebis"
    )
    assert extras([oem, open_in_march, elsewhere]) == eur("11000.00")
    assert order_extras([oem], orders, distributor_id=DISTRIBUTOR, reseller_roles={RESELLER}, at=APRIL) == eur(
        "10000.00"
    )
    ended = order_extras(
        [open_in_march], orders, distributor_id=DISTRIBUTOR, reseller_roles={RESELLER}, at=APRIL
    )  # a campaign ended at APRIL adds nothing at APRIL
    assert ended == eur("0.00")


# ---------------------------------------------------------------- composition: discounts


def _line(reference: str, programme: str | None, quantity: int, unit: str, family: str | None = None) -> OrderLine:
    return OrderLine(reference, programme, quantity, eur(unit), family)


def test_the_best_discount_applies_and_discounts_never_stack():
    ten = campaign(CampaignKind.DISCOUNT, rate=Decimal("0.10"), product_references=("W11-PRO", "OFF-STD"))
    fifteen = campaign(CampaignKind.DISCOUNT, rate=Decimal("0.15"), product_references=("off-std",))
    five_on_family = campaign(CampaignKind.DISCOUNT, rate=Decimal("0.05"), product_family="Office")
    lines = [
        _line("W11-PRO", "Open", 3, "199.99"),
        _line("OFF-STD", "Open", 2, "100.00", "Office"),
        _line("SQL-STD", "Open", 1, "500.00", "Office"),
        _line("SQL-STD", "Open", 1, "500.00", "SQL Server"),
    ]
    quote = price_lines([five_on_family, fifteen, ten], lines, MID_MARCH)
    got = [(p.discount_rate, p.discount, p.net, p.campaign) for p in quote.lines]
    assert got == [
        (Decimal("0.10"), eur("60.00"), eur("539.97"), ten),
        (Decimal("0.15"), eur("30.00"), eur("170.00"), fifteen),  # 15%, not 10 + 15 + 5
        (Decimal("0.05"), eur("25.00"), eur("475.00"), five_on_family),
        (Decimal(0), eur("0.00"), eur("500.00"), None),
    ]
    assert (quote.list_total, quote.discount_total, quote.net_total) == (
        eur("1799.97"),
        eur("115.00"),
        eur("1684.97"),
    )


def test_a_discount_is_in_force_from_its_start_included_to_its_end_excluded():
    march = campaign(CampaignKind.DISCOUNT, rate=Decimal("0.20"), starts_at=MARCH, ends_at=APRIL)
    line = [_line("W11-PRO", None, 1, "100.00")]

    def rate(at: datetime) -> Decimal:
        return price_lines([march], line, at).lines[0].discount_rate

    assert rate(MARCH - timedelta(microseconds=1)) == 0
    assert rate(MARCH) == Decimal("0.20")
    assert rate(APRIL - timedelta(microseconds=1)) == Decimal("0.20")
    assert rate(APRIL) == 0  # a sale exactly at endsAt is outside


def test_a_discount_covers_its_references_family_and_licence_program_without_case():
    open_only = campaign(
        CampaignKind.DISCOUNT,
        rate=Decimal("0.10"),
        product_family="Windows",
        product_references=("W11-PRO",),
        licence_program="Open",
    )
    lines = [
        _line("w11-pro", "OPEN", 1, "100.00", "windows"),  # all three match without case
        _line("W11-PRO", "OEM", 1, "100.00", "Windows"),  # another licence program
        _line("W11-HOME", "Open", 1, "100.00", "Windows"),  # another reference
        _line("W11-PRO", "Open", 1, "100.00", "Office"),  # another family
        _line("W11-PRO", None, 1, "100.00", "Windows"),  # no licence program named
    ]
    assert [p.discount_rate for p in price_lines([open_only], lines, MID_MARCH).lines] == [
        Decimal("0.10"),
        0,
        0,
        0,
        0,
    ]


def test_a_quote_refuses_a_line_without_quantity_or_with_a_negative_price():
    bad_quantity = [_line("A", None, 1, "1.00"), _line("B", None, 0, "1.00")]
    assert refusal(price_lines, [], bad_quantity, MID_MARCH) == ("ValidationError", "INVALID_QUANTITY", ["lines", "1"])
    assert refusal(price_lines, [], [_line("A", None, 1, "-0.01")], MID_MARCH)[1:] == ("INVALID_AMOUNT", ["lines", "0"])


# ---------------------------------------------------------------- composition: rebates


def _rebates() -> list[IncentiveCampaign]:
    return [
        campaign(CampaignKind.REBATE, rate=Decimal("0.03"), partner_roles=frozenset({RESELLER})),
        campaign(
            CampaignKind.REBATE,
            rate=Decimal("0.02"),
            partner_roles=frozenset({SERVICES_FIRM}),
            product_family="SQL Server",
        ),
        campaign(
            CampaignKind.REBATE_MULTIPLIER,
            multiplier=Decimal(2),
            partner_roles=frozenset({RESELLER}),
            starts_at=T0,
            ends_at=datetime(2027, 7, 1, tzinfo=UTC),
        ),
        campaign(
            CampaignKind.REBATE_MULTIPLIER,
            multiplier=Decimal(2),
            partner_roles=frozenset({SERVICES_FIRM}),
            product_family="SQL Server",
            starts_at=MARCH,
            ends_at=APRIL,
        ),
    ]


def test_multipliers_do_not_compound_a_doubled_margin_and_a_family_counting_double_make_times_two():
    both = rebate_for(
        _rebates(),
        seller_roles={RESELLER, SERVICES_FIRM},
        product_family="SQL Server",
        amount=eur("10000.00"),
        sold_at=MID_MARCH,
    )
    assert both is not None
    assert both.base_rate == Decimal("0.03")  # the highest base rate, not 0.03 + 0.02
    assert both.factor == Decimal(2)  # not 4
    assert both.amount == eur("600.00")


def test_the_highest_multiplier_in_force_applies_alone():
    campaigns = [
        *_rebates(),
        campaign(CampaignKind.REBATE_MULTIPLIER, multiplier=Decimal("1.5"), partner_roles=frozenset({RESELLER})),
        campaign(CampaignKind.REBATE_MULTIPLIER, multiplier=Decimal(3), product_family="sql server"),
    ]
    rebate = rebate_for(
        campaigns, seller_roles={RESELLER}, product_family="SQL SERVER", amount=eur("10000.00"), sold_at=MID_MARCH
    )
    assert rebate is not None and rebate.factor == Decimal(3) and rebate.amount == eur("900.00")  # not ×9


def test_the_highest_base_rebate_rate_applies():
    campaigns = [
        campaign(CampaignKind.REBATE, rate=Decimal("0.03")),
        campaign(CampaignKind.REBATE, rate=Decimal("0.05"), product_family="Windows Server"),
        campaign(CampaignKind.REBATE, rate=Decimal("0.04"), partner_roles=frozenset({RESELLER})),
        campaign(CampaignKind.REBATE, rate=Decimal("0.50"), partner_roles=frozenset({SERVICES_FIRM})),
        campaign(CampaignKind.REBATE, rate=Decimal("0.40"), starts_at=T0, ends_at=MARCH),
    ]
    rebate = rebate_for(
        campaigns, seller_roles={RESELLER}, product_family="windows server", amount=eur("1000.00"), sold_at=MID_MARCH
    )
    assert rebate is not None
    assert (rebate.base_rate, rebate.multiplier, rebate.amount) == (Decimal("0.05"), None, eur("50.00"))


def test_a_rebate_needs_a_base_rate_in_force_for_the_seller():
    only_services = [campaign(CampaignKind.REBATE, rate=Decimal("0.02"), partner_roles=frozenset({SERVICES_FIRM}))]
    args = {"product_family": "SQL Server", "amount": eur("1000.00"), "sold_at": MID_MARCH}
    assert rebate_for(only_services, seller_roles={RESELLER}, **args) is None
    multiplier_alone = [campaign(CampaignKind.REBATE_MULTIPLIER, multiplier=Decimal(2))]
    assert rebate_for(multiplier_alone, seller_roles={RESELLER}, **args) is None


def test_a_sale_exactly_when_a_multiplier_ends_is_not_multiplied():
    at_end = rebate_for(
        _rebates(), seller_roles={SERVICES_FIRM}, product_family="SQL Server", amount=eur("5000.00"), sold_at=APRIL
    )
    at_start = rebate_for(
        _rebates(), seller_roles={SERVICES_FIRM}, product_family="SQL Server", amount=eur("5000.00"), sold_at=MARCH
    )
    assert at_end is not None and at_start is not None
    assert (at_end.factor, at_end.amount) == (Decimal(1), eur("100.00"))
    assert (at_start.factor, at_start.amount) == (Decimal(2), eur("200.00"))


def test_a_campaign_scope_left_empty_matches_everything_and_a_named_one_matches_without_case():
    sql = campaign(
        CampaignKind.DISCOUNT,
        rate=Decimal("0.1"),
        partner_roles=frozenset({RESELLER}),
        distributor_id=DISTRIBUTOR,
        product_family="SQL Server",
        product_references=("SQL-STD",),
        licence_program="Open",
    )
    everything = campaign(CampaignKind.DISCOUNT, rate=Decimal("0.1"))
    assert sql.covers_roles({RESELLER, SERVICES_FIRM}) and not sql.covers_roles({SERVICES_FIRM})
    assert not sql.covers_roles(set())
    assert sql.covers_distributor(DISTRIBUTOR) and not sql.covers_distributor("ETC")  # ids are exact
    assert sql.covers_product("sql server", "sql-std") and not sql.covers_product("SQL Server", "SQL-ENT")
    assert not sql.covers_product(None, "SQL-STD")
    assert sql.covers_programme("OPEN") and not sql.covers_programme("OEM") and not sql.covers_programme(None)
    assert everything.covers_roles(set()) and everything.covers_distributor("any")
    assert everything.covers_product(None) and everything.covers_programme(None)


# ---------------------------------------------------------------- composition: referrals


def test_a_referral_pays_the_highest_rate_due_within_its_campaign_sla():
    activated = datetime(2027, 3, 10, 16, 30, tzinfo=UTC)
    campaigns = [
        campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.01")),  # 48 hours by default
        campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.02"), payout_sla_hours=24),
        campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.05"), partner_roles=frozenset({SERVICES_FIRM})),
        campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.09"), starts_at=T0, ends_at=activated),
    ]
    payout = referral_for(
        campaigns,
        contract_id="k1",
        reseller_id="reseller",
        reseller_roles={RESELLER},
        financed_amount=eur("33035.37"),
        activated_at=activated,
    )
    assert payout is not None
    assert (payout.id, payout.kind, payout.status, payout.contract_id) == (
        "referral-k1",
        PayoutKind.REFERRAL,
        PayoutStatus.SCHEDULED,
        "k1",
    )
    assert (payout.amount, payout.beneficiary_id) == (eur("660.71"), "reseller")  # 660.7074 rounded
    assert payout.due_by == activated + timedelta(hours=24)


def test_a_referral_under_the_default_sla_is_due_48_hours_after_activation_and_none_without_a_campaign():
    activated = datetime(2027, 3, 10, 16, 30, tzinfo=UTC)
    default = [campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.01"))]
    args: dict[str, Any] = {"contract_id": "k2", "reseller_id": "r", "financed_amount": eur("1000.00")}
    payout = referral_for(default, reseller_roles={RESELLER}, activated_at=activated, **args)
    assert payout is not None and payout.due_by == activated + timedelta(hours=48)
    assert payout.amount == eur("10.00")
    assert referral_for([], reseller_roles={RESELLER}, activated_at=activated, **args) is None
    ended = [campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.01"), starts_at=T0, ends_at=activated)]
    assert referral_for(ended, reseller_roles={RESELLER}, activated_at=activated, **args) is None


# ---------------------------------------------------------------- creating a campaign


@pytest.mark.parametrize(
    ("kind", "fields", "missing"),
    [
        (CampaignKind.CREDIT_GUARANTEE, {"distributor_id": DISTRIBUTOR}, "amount"),
        (CampaignKind.CREDIT_GUARANTEE, {"amount": eur("5000.00")}, "distributorId"),
        (
            CampaignKind.ORDER_CREDIT,
            {"amount": eur("5000.00"), "distributor_id": DISTRIBUTOR},
            "perOrderAmount",
        ),
        (CampaignKind.ORDER_CREDIT, {"per_order_amount": eur("1000.00"), "distributor_id": DISTRIBUTOR}, "amount"),
        (
            CampaignKind.ORDER_CREDIT,
            {"amount": eur("5000.00"), "per_order_amount": eur("1000.00")},
            "distributorId",
        ),
        (CampaignKind.DISCOUNT, {}, "rate"),
        (CampaignKind.REBATE, {"product_family": "SQL Server"}, "rate"),
        (CampaignKind.REBATE_MULTIPLIER, {}, "multiplier"),
    ],
)
def test_each_kind_of_campaign_requires_its_figures(kind, fields, missing):
    assert refusal(campaign, kind, **fields) == ("ValidationError", "REQUIRED", [missing])


@pytest.mark.parametrize(
    ("kind", "fields", "misplaced"),
    [
        (CampaignKind.REBATE, {"rate": Decimal("0.03"), "amount": eur("10.00")}, "amount"),
        (CampaignKind.DISCOUNT, {"rate": Decimal("0.1"), "multiplier": Decimal(2)}, "multiplier"),
        (CampaignKind.REBATE_MULTIPLIER, {"multiplier": Decimal(2), "rate": Decimal("0.1")}, "rate"),
        (
            CampaignKind.CREDIT_GUARANTEE,
            {"amount": eur("1.00"), "distributor_id": DISTRIBUTOR, "per_order_amount": eur("1.00")},
            "perOrderAmount",
        ),
        (
            CampaignKind.ORDER_CREDIT,
            {
                "amount": eur("1.00"),
                "per_order_amount": eur("1.00"),
                "distributor_id": DISTRIBUTOR,
                "rate": Decimal("0.1"),
            },
            "rate",
        ),
        (CampaignKind.REBATE, {"rate": Decimal("0.03"), "payout_sla_hours": 48}, "payoutSlaHours"),
        (CampaignKind.FINANCING_REFERRAL, {"rate": Decimal("0.01"), "multiplier": Decimal(2)}, "multiplier"),
    ],
)
def test_a_figure_that_does_not_fit_the_kind_is_refused_not_ignored(kind, fields, misplaced):
    assert refusal(campaign, kind, **fields) == ("ValidationError", "NOT_FOR_THIS_KIND", [misplaced])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": eur("5000.00"), "per_order_amount": eur("0.001")}, "perOrderAmount"),
        ({"amount": eur("0.004"), "per_order_amount": eur("1000.00")}, "amount"),
        ({"amount": eur("5000.00"), "per_order_amount": eur("0.00")}, "perOrderAmount"),
    ],
)
def test_a_campaign_figure_that_rounds_to_nothing_is_refused(fields, field):
    # Stored to the cent, a per-order amount of 0.001 became 0.00 and every later firm order of
    # the distributor divided by it (DivisionUndefined, an INTERNAL_ERROR).
    found = refusal(campaign, CampaignKind.ORDER_CREDIT, distributor_id=DISTRIBUTOR, **fields)
    assert found == ("ValidationError", "INVALID_AMOUNT", [field])


@pytest.mark.parametrize("rate", ["0", "-0.01", "1.0001", "10"])
def test_a_rate_is_a_fraction_above_zero_up_to_one(rate):
    for kind in (CampaignKind.DISCOUNT, CampaignKind.REBATE, CampaignKind.FINANCING_REFERRAL):
        assert refusal(campaign, kind, rate=Decimal(rate)) == ("ValidationError", "INVALID_RATE", ["rate"])


def test_a_rate_of_exactly_one_is_accepted():
    assert campaign(CampaignKind.DISCOUNT, rate=Decimal(1)).rate == 1


@pytest.mark.parametrize("multiplier", ["0", "-2", "10.01", "11"])
def test_a_multiplier_is_above_zero_up_to_ten(multiplier):
    refused = refusal(campaign, CampaignKind.REBATE_MULTIPLIER, multiplier=Decimal(multiplier))
    assert refused == ("ValidationError", "INVALID_MULTIPLIER", ["multiplier"])


def test_a_multiplier_of_exactly_ten_is_accepted():
    assert campaign(CampaignKind.REBATE_MULTIPLIER, multiplier=Decimal(10)).multiplier == 10


@pytest.mark.parametrize("ends", [MARCH, MARCH - timedelta(seconds=1)])
def test_a_campaign_ends_after_it_starts(ends):
    refused = refusal(campaign, CampaignKind.REBATE, rate=Decimal("0.03"), starts_at=MARCH, ends_at=ends)
    assert refused == ("ValidationError", "INVALID_PERIOD", ["endsAt"])


@pytest.mark.parametrize("hours", [0, -1, 721])
def test_a_referral_sla_is_between_one_and_720_hours(hours):
    refused = refusal(campaign, CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.01"), payout_sla_hours=hours)
    assert refused == ("ValidationError", "INVALID_SLA", ["payoutSlaHours"])


def test_a_referral_campaign_defaults_to_48_hours_and_keeps_a_given_sla():
    assert campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.01")).payout_sla_hours == 48
    assert campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.01"), payout_sla_hours=1).payout_sla_hours == 1
    assert campaign(CampaignKind.FINANCING_REFERRAL, rate=Decimal("0.01"), payout_sla_hours=720).payout_sla_hours == 720
    assert campaign(CampaignKind.REBATE, rate=Decimal("0.01")).payout_sla_hours is None


def test_a_campaign_amount_is_positive():
    refused = refusal(campaign, CampaignKind.CREDIT_GUARANTEE, amount=eur("0.00"), distributor_id=DISTRIBUTOR)
    assert refused == ("ValidationError", "INVALID_AMOUNT", ["amount"])
    per_order = refusal(
        campaign,
        CampaignKind.ORDER_CREDIT,
        amount=eur("1.00"),
        per_order_amount=eur("-1.00"),
        distributor_id=DISTRIBUTOR,
    )
    assert per_order == ("ValidationError", "INVALID_AMOUNT", ["perOrderAmount"])


def test_a_created_campaign_is_cleaned_name_scope_and_amounts():
    created = campaign(
        CampaignKind.DISCOUNT,
        name="  Open   -10% ",
        rate=Decimal("0.10"),
        product_references=(" W11-PRO ", "", "W11-PRO", "OFF-STD"),
        product_family="  ",
        licence_program=" Open ",
    )
    assert created.name == "Open -10%"
    assert created.product_references == ("W11-PRO", "OFF-STD")
    assert (created.product_family, created.licence_program) == (None, "Open")
    assert refusal(campaign, CampaignKind.DISCOUNT, name="   ", rate=Decimal("0.1")) == (
        "ValidationError",
        "REQUIRED",
        ["name"],
    )


# ---------------------------------------------------------------- properties

cents = st.integers(min_value=0, max_value=10_000_000_00)


@given(
    insured=cents,
    guarantees=cents,
    extras=cents,
    outstanding=cents,
    amount=st.integers(min_value=1, max_value=40_000_000_00),
)
def test_available_credit_adds_up_and_a_charge_is_accepted_iff_it_fits(
    insured, guarantees, extras, outstanding, amount
):
    money = {
        name: Money.from_cents(value)
        for name, value in (
            ("insured", insured),
            ("guarantees", guarantees),
            ("extras", extras),
            ("outstanding", outstanding),
            ("amount", amount),
        )
    }
    position = CreditPosition(money["insured"], money["guarantees"], money["extras"], money["outstanding"])
    assert position.available == Money.from_cents(insured + guarantees + extras - outstanding)
    line = CreditLine(
        id="d.r",
        distributor_id="d",
        reseller_id="r",
        insured_limit=money["insured"],
        outstanding=money["outstanding"],
        created_at=T0,
    )
    assert line.position(money["guarantees"], money["extras"]) == position
    fits = amount <= insured + guarantees + extras - outstanding
    try:
        charged = line.charge(money["amount"], position)
    except Conflict as refused:
        assert not fits
        assert refused.code == "CREDIT_LIMIT_EXCEEDED"
        return
    assert fits
    assert charged.outstanding == Money.from_cents(outstanding + amount)
    after = charged.position(money["guarantees"], money["extras"]).available
    assert not after.is_negative
    assert after == Money.from_cents(insured + guarantees + extras - outstanding - amount)


PERIOD = (MARCH, APRIL)
moments = st.integers(min_value=-3 * 86_400, max_value=34 * 86_400).map(lambda s: MARCH + timedelta(seconds=s))
movements = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=5_000_00),
        moments,
        st.sampled_from(["OEM", "oem", "Open", None]),
        st.sampled_from(list(MovementKind)),
    ),
    max_size=30,
)


@given(
    movements,
    st.integers(min_value=1, max_value=10_000_00),
    st.integers(min_value=1, max_value=2_000_00),
)
def test_order_extras_are_the_amount_per_full_step_of_matching_orders(rows, amount_cents, step_cents):
    credit = campaign(
        CampaignKind.ORDER_CREDIT,
        amount=Money.from_cents(amount_cents),
        per_order_amount=Money.from_cents(step_cents),
        distributor_id=DISTRIBUTOR,
        licence_program="OEM",
        starts_at=PERIOD[0],
        ends_at=PERIOD[1],
    )
    orders = [
        CreditMovement(f"m{k}", "d.r", kind, Money.from_cents(c), at, "bob", programme)
        for k, (c, at, programme, kind) in enumerate(rows)
    ]
    matching = sum(
        c
        for c, at, programme, kind in rows
        if kind is MovementKind.FIRM_ORDER and programme in ("OEM", "oem") and PERIOD[0] <= at < PERIOD[1]
    )
    got = order_extras([credit], orders, distributor_id=DISTRIBUTOR, reseller_roles={RESELLER}, at=MID_MARCH)
    assert got == Money.from_cents(amount_cents * (matching // step_cents))


order_lines = st.lists(
    st.tuples(
        st.sampled_from(["W11-PRO", "OFF-STD", "SQL-STD"]),
        st.integers(min_value=1, max_value=1_000),
        st.integers(min_value=0, max_value=5_000_000),  # unit price in tenths of a cent
    ),
    min_size=1,
    max_size=20,
)


@given(order_lines, st.integers(min_value=1, max_value=10_000))
def test_each_priced_line_splits_its_list_amount_exactly_and_totals_add_up(rows, rate_bp):
    rate = Decimal(rate_bp).scaleb(-4)  # (0, 1] in steps of 0.0001
    discount = campaign(CampaignKind.DISCOUNT, rate=rate, product_references=("W11-PRO", "OFF-STD"))
    lines = [OrderLine(ref, "Open", qty, Money(Decimal(mills).scaleb(-3))) for ref, qty, mills in rows]
    quote = price_lines([discount], lines, MID_MARCH)
    assert len(quote.lines) == len(lines)
    for priced, (ref, qty, mills) in zip(quote.lines, rows, strict=True):
        expected_list = (Decimal(mills * qty).scaleb(-3)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert priced.list_amount == Money(expected_list)
        expected_rate = rate if ref != "SQL-STD" else Decimal(0)
        assert priced.discount_rate == expected_rate
        assert priced.discount == Money((expected_list * expected_rate).quantize(Decimal("0.01"), ROUND_HALF_UP))
        assert priced.net + priced.discount == priced.list_amount
        for figure in (priced.list_amount, priced.discount, priced.net):
            assert figure.rounded() == figure and not figure.is_negative
    assert quote.list_total - quote.discount_total == quote.net_total
    assert quote.list_total == Money.from_cents(sum(p.list_amount.to_cents() for p in quote.lines))
    assert quote.discount_total == Money.from_cents(sum(p.discount.to_cents() for p in quote.lines))
    assert quote.net_total == Money.from_cents(sum(p.net.to_cents() for p in quote.lines))


def test_a_credit_campaign_counts_only_once_its_distributor_accepted_it():
    offered = IncentiveCampaign.create(
        id="offer",
        vendor_id="microsoft",
        name="Encours garanti",
        kind=CampaignKind.CREDIT_GUARANTEE,
        starts_at=FOREVER[0],
        ends_at=FOREVER[1],
        created_at=T0,
        created_by="vendor-admin",
        distributor_id=DISTRIBUTOR,
        amount=Money.of("5000.00"),
    )
    at = datetime(2027, 3, 1, tzinfo=UTC)
    assert credit_guarantees([offered], distributor_id=DISTRIBUTOR, reseller_roles=[], at=at) == Money.zero()
    accepted = offered.accepted(by="etc-admin", at=T0)
    assert accepted.accepted(by="someone-else", at=at) is accepted  # accepting twice changes nothing
    assert credit_guarantees([accepted], distributor_id=DISTRIBUTOR, reseller_roles=[], at=at) == Money.of("5000.00")
    rebate = campaign(CampaignKind.REBATE, rate=Decimal("0.03"))
    with pytest.raises(ValidationError) as refused:
        rebate.accepted(by="etc-admin", at=T0)
    assert refused.value.code == "NOTHING_TO_ACCEPT"
