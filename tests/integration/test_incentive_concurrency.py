"""A credit line under concurrent firm orders and reseller payments, on DynamoDB Local.

The line and its movement are written in one transaction conditioned on the line's
version, so however the threads interleave the credit is never overdrawn and the
stored outstanding is always the sum of the recorded movements.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from channelfin.api.core.ids import to_global_id
from channelfin.domain.access import Role
from channelfin.domain.errors import Conflict, DomainError
from channelfin.domain.incentives.campaigns import CampaignKind
from channelfin.domain.incentives.credit_lines import CreditLine, CreditMovement, MovementKind
from channelfin.domain.money import Money
from channelfin.domain.partners import Partner, PartnerRole
from channelfin.services.incentives import campaigns, credit_lines, rewards
from channelfin.services.paging import PageRequest
from channelfin.services.partners import register_partner
from tests.factories import LEASER_ADMIN, principal
from tests.world import link

pytestmark = pytest.mark.integration

CLIENT_RETRIES = 50  # a client told "try again" (CONFLICT) tries again
EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Plan:
    vendor: Partner
    distributor: Partner
    reseller: Partner

    @property
    def line_id(self) -> str:
        return CreditLine.id_for(self.distributor.id, self.reseller.id)


@dataclass(frozen=True)
class Outcome:
    movement: CreditMovement | None = None
    error: DomainError | None = None
    conflicts: tuple[Conflict, ...] = ()  # the CONFLICTs (service retries exhausted) met before the answer

    @property
    def code(self) -> str | None:
        return self.error.code if self.error else None


@pytest.fixture
def plan(ports) -> Plan:
    def register(name: str, role: PartnerRole) -> Partner:
        return register_partner(ports, LEASER_ADMIN, name=name, roles=[role])

    return Plan(
        vendor=register("Microsoft France", PartnerRole.PUBLISHER),
        distributor=register("ETC", PartnerRole.DISTRIBUTOR),
        reseller=register("Logiciels du Nord", PartnerRole.RESELLER),
    )


def distributor_admin(plan: Plan, sub: str = "alice"):
    return principal(Role.PARTNER_ADMIN, partner_id=plan.distributor.id, sub=sub)


def distributor_user(plan: Plan, sub: str = "bob"):
    return principal(Role.PARTNER_USER, partner_id=plan.distributor.id, sub=sub)


def open_line(ports, plan: Plan, limit: str) -> CreditLine:
    line = credit_lines.set_credit_line(
        ports,
        distributor_admin(plan),
        distributor_id=plan.distributor.id,
        reseller_id=plan.reseller.id,
        insured_limit=Money.of(limit),
    )
    assert (line.insured_limit, line.outstanding, line.version) == (Money.of(limit), Money.zero(), 1)
    return line


def order(
    ports, plan: Plan, amount: str, sub: str = "bob", reference: str | None = None
) -> tuple[CreditLine, CreditMovement]:
    return credit_lines.record_firm_order(
        ports,
        distributor_user(plan, sub),
        reseller_id=plan.reseller.id,
        distributor_id=plan.distributor.id,
        amount=Money.of(amount),
        licence_program="OEM",
        reference=reference,
    )


def payment(
    ports, plan: Plan, amount: str, sub: str = "bob", reference: str | None = None
) -> tuple[CreditLine, CreditMovement]:
    return credit_lines.record_reseller_payment(
        ports, distributor_user(plan, sub), line_id=plan.line_id, amount=Money.of(amount), reference=reference
    )


def as_client(start: threading.Barrier, call, tries: int = CLIENT_RETRIES) -> Outcome:
    """One caller: waits for the others, then calls; on CONFLICT ("try again") it tries again."""
    start.wait()
    conflicts: list[Conflict] = []
    for _ in range(tries):
        try:
            _, movement = call()
        except Conflict as exc:
            if exc.code != "CONFLICT":
                return Outcome(error=exc, conflicts=tuple(conflicts))
            conflicts.append(exc)
            continue
        except DomainError as exc:
            return Outcome(error=exc, conflicts=tuple(conflicts))
        return Outcome(movement=movement, conflicts=tuple(conflicts))
    if tries == 1:
        return Outcome(error=conflicts[-1], conflicts=tuple(conflicts))
    raise AssertionError(f"still CONFLICT after {tries} tries")


def run_together(calls, tries: int = CLIENT_RETRIES) -> list[Outcome]:
    start = threading.Barrier(len(calls))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: as_client(start, call, tries), calls))


def recorded(ports, plan: Plan, kind: MovementKind) -> list[CreditMovement]:
    return [m for m in ports.incentives.movements(plan.line_id, start=EVER[0], end=EVER[1]) if m.kind is kind]


def total(movements: list[CreditMovement]) -> Money:
    return sum((m.amount for m in movements), Money.zero())


def assert_conflicts_are_reported_as_conflict(outcomes: list[Outcome]) -> None:
    for conflict in (c for o in outcomes for c in o.conflicts):
        assert type(conflict) is Conflict and conflict.code == "CONFLICT"


# ---------------------------------------------------------------- orders racing for the last credit


def test_twelve_concurrent_orders_of_1000_on_a_10000_line_exactly_ten_are_charged(ports, plan):
    open_line(ports, plan, "10000.00")

    outcomes = run_together([lambda k=k: order(ports, plan, "1000.00", sub=f"user-{k}") for k in range(12)])

    accepted = [o.movement for o in outcomes if o.movement is not None]
    refused = [o for o in outcomes if o.error is not None]
    assert len(accepted) == 10
    assert [(type(o.error), o.code, o.error.field) for o in refused] == [
        (Conflict, "CREDIT_LIMIT_EXCEEDED", ["amount"])
    ] * 2
    assert_conflicts_are_reported_as_conflict(outcomes)

    line = ports.incentives.get_line(plan.line_id)
    assert line is not None
    assert line.outstanding == Money.of("10000.00")
    assert line.version == 1 + 10  # one version per accepted order: no update was lost
    assert credit_lines.credit_position(ports, line).available == Money.zero()

    orders = recorded(ports, plan, MovementKind.FIRM_ORDER)
    assert len(orders) == len(accepted) == 10
    assert total(orders) == line.outstanding
    assert sorted(m.id for m in orders) == sorted(m.id for m in accepted)  # nothing recorded for a refusal
    assert all(m.amount == Money.of("1000.00") and m.licence_program == "OEM" for m in orders)
    assert recorded(ports, plan, MovementKind.RESELLER_PAYMENT) == []

    with pytest.raises(Conflict) as caught:
        order(ports, plan, "0.01")
    assert caught.value.code == "CREDIT_LIMIT_EXCEEDED"
    assert ports.incentives.get_line(plan.line_id).outstanding == Money.of("10000.00")


def test_without_client_retries_a_conflict_is_reported_as_conflict_and_the_sum_still_holds(ports, plan):
    open_line(ports, plan, "10000.00")

    outcomes = run_together([lambda: order(ports, plan, "1000.00") for _ in range(12)], tries=1)

    accepted = [o.movement for o in outcomes if o.movement is not None]
    codes = [o.code for o in outcomes if o.error is not None]
    assert set(codes) <= {"CREDIT_LIMIT_EXCEEDED", "CONFLICT"}
    assert all(type(o.error) is Conflict for o in outcomes if o.error is not None)
    assert 1 <= len(accepted) <= 10 and len(accepted) + len(codes) == 12
    assert codes.count("CREDIT_LIMIT_EXCEEDED") == max(0, 12 - codes.count("CONFLICT") - 10)
    line = ports.incentives.get_line(plan.line_id)
    assert line.outstanding == Money.of("1000.00") * len(accepted)
    assert line.version == 1 + len(accepted)
    orders = recorded(ports, plan, MovementKind.FIRM_ORDER)
    assert sorted(m.id for m in orders) == sorted(m.id for m in accepted)
    assert total(orders) == line.outstanding


def test_concurrent_orders_within_the_credit_are_all_charged_whoever_wins_each_race(ports, plan):
    open_line(ports, plan, "10000.00")

    outcomes = run_together([lambda: order(ports, plan, "833.33") for _ in range(12)])  # 9,999.96 in all

    assert [o.code for o in outcomes] == [None] * 12
    assert_conflicts_are_reported_as_conflict(outcomes)
    line = ports.incentives.get_line(plan.line_id)
    assert line.outstanding == Money.of("9999.96") and line.version == 13
    orders = recorded(ports, plan, MovementKind.FIRM_ORDER)
    assert len(orders) == 12 and total(orders) == line.outstanding


# ---------------------------------------------------------------- orders and payments interleaved


def test_concurrent_payments_and_orders_keep_the_outstanding_equal_to_orders_less_payments(ports, plan):
    open_line(ports, plan, "10000.00")
    order(ports, plan, "5000.00")

    calls = [lambda: order(ports, plan, "900.00") for _ in range(8)]
    calls += [lambda: payment(ports, plan, "700.00") for _ in range(8)]
    outcomes = run_together(calls)

    order_outcomes, payment_outcomes = outcomes[:8], outcomes[8:]
    assert {o.code for o in order_outcomes} <= {None, "CREDIT_LIMIT_EXCEEDED"}
    assert {o.code for o in payment_outcomes} <= {None, "PAYMENT_EXCEEDS_OUTSTANDING"}
    assert_conflicts_are_reported_as_conflict(outcomes)
    accepted_orders = [o.movement for o in order_outcomes if o.movement is not None]
    accepted_payments = [o.movement for o in payment_outcomes if o.movement is not None]

    line = ports.incentives.get_line(plan.line_id)
    expected = Money.of("5000.00") + total(accepted_orders) - total(accepted_payments)
    assert line.outstanding == expected
    assert Money.zero() <= line.outstanding <= line.insured_limit
    assert line.version == 2 + len(accepted_orders) + len(accepted_payments)

    orders = recorded(ports, plan, MovementKind.FIRM_ORDER)
    payments = recorded(ports, plan, MovementKind.RESELLER_PAYMENT)
    assert total(orders) - total(payments) == line.outstanding
    assert len(orders) == 1 + len(accepted_orders)
    assert sorted(m.id for m in payments) == sorted(m.id for m in accepted_payments)
    assert {m.id for m in accepted_orders} <= {m.id for m in orders}


def test_payments_that_free_exactly_the_credit_let_the_same_number_of_waiting_orders_through(ports, plan):
    open_line(ports, plan, "6000.00")
    for _ in range(6):
        order(ports, plan, "1000.00")  # the line is full

    outcomes = run_together(
        [lambda: payment(ports, plan, "1000.00") for _ in range(4)]
        + [lambda: order(ports, plan, "1000.00") for _ in range(6)]
    )

    payments, orders = outcomes[:4], outcomes[4:]
    assert [o.code for o in payments] == [None] * 4  # the outstanding (6,000.00) covers all four
    accepted = sum(1 for o in orders if o.movement is not None)
    assert {o.code for o in orders} <= {None, "CREDIT_LIMIT_EXCEEDED"}
    assert accepted <= 4
    line = ports.incentives.get_line(plan.line_id)
    assert line.outstanding == Money.of("2000.00") + Money.of("1000.00") * accepted
    firm = recorded(ports, plan, MovementKind.FIRM_ORDER)
    paid = recorded(ports, plan, MovementKind.RESELLER_PAYMENT)
    assert (len(firm), len(paid)) == (6 + accepted, 4)
    assert total(firm) - total(paid) == line.outstanding


# ---------------------------------------------------------------- campaign dates with a UTC offset
#
# Index keys are UTC stamps: a campaign whose startsAt carries an offset (the API accepts
# "2027-03-01T00:00:00+01:00") must be found by a Query at 23:30 UTC the day before.

PARIS_WINTER = timezone(timedelta(hours=1))


def _vendor_admin(plan: Plan):
    return principal(Role.PARTNER_ADMIN, partner_id=plan.vendor.id, sub="vendor-admin")


# ---------------------------------------------------------------- retries of one referenced movement


def test_an_order_and_a_payment_each_sent_eight_times_at_once_with_their_reference_move_the_line_once(ports, plan):
    open_line(ports, plan, "10000.00")
    orders = run_together([lambda k=k: order(ports, plan, "2500.00", sub=f"u{k}", reference="CMD-7") for k in range(8)])
    assert [o.error for o in orders] == [None] * 8
    assert len({o.movement.id for o in orders}) == 1  # every retry answers the one order recorded
    payments = run_together(
        [lambda k=k: payment(ports, plan, "1000.00", sub=f"u{k}", reference="VIR-7") for k in range(8)]
    )
    assert [p.error for p in payments] == [None] * 8 and len({p.movement.id for p in payments}) == 1

    line = ports.incentives.get_line(plan.line_id)
    assert line.outstanding == Money.of("1500.00") and line.version == 1 + 2
    assert [m.id for m in recorded(ports, plan, MovementKind.FIRM_ORDER)] == [orders[0].movement.id]
    assert [m.id for m in recorded(ports, plan, MovementKind.RESELLER_PAYMENT)] == [payments[0].movement.id]
    page = ports.incentives.movements_page(plan.line_id, PageRequest(first=10))
    assert len(page.items) == 2  # the reference copies are not movements


def test_a_rebate_starting_at_midnight_paris_covers_a_sale_at_2330_utc_the_day_before(ports, plan):
    starts = datetime(2027, 3, 1, tzinfo=PARIS_WINTER)  # 2027-02-28T23:00:00Z
    campaigns.create_incentive_campaign(
        ports,
        _vendor_admin(plan),
        vendor_id=plan.vendor.id,
        name="Marge arrière",
        kind=CampaignKind.REBATE,
        starts_at=starts,
        ends_at=datetime(2027, 7, 1, tzinfo=PARIS_WINTER),
        rate=Decimal("0.03"),
    )
    sold_at = datetime(2027, 2, 28, 23, 30, tzinfo=UTC)
    assert starts <= sold_at  # in force by the domain's own rule
    link(ports, to_global_id("Partner", plan.vendor.id), to_global_id("Partner", plan.reseller.id))  # it sells for it

    payout, _ = rewards.record_licence_sale(
        ports,
        _vendor_admin(plan),
        seller_id=plan.reseller.id,
        vendor_id=plan.vendor.id,
        product_family="Windows Server",
        amount=Money.of("1000.00"),
        sold_at=sold_at,
    )
    assert payout.amount == Money.of("30.00")


def test_an_order_credit_starting_at_midnight_paris_counts_an_order_at_2330_utc_the_day_before(ports, plan):
    starts = datetime(2027, 3, 1, tzinfo=PARIS_WINTER)  # 2027-02-28T23:00:00Z
    open_line(ports, plan, "1000.00")
    offer = campaigns.create_incentive_campaign(
        ports,
        _vendor_admin(plan),
        vendor_id=plan.vendor.id,
        name="Encours OEM",
        kind=CampaignKind.ORDER_CREDIT,
        starts_at=starts,
        ends_at=datetime(2027, 7, 1, tzinfo=PARIS_WINTER),
        distributor_id=plan.distributor.id,
        amount=Money.of("5000.00"),
        per_order_amount=Money.of("1000.00"),
        licence_program="OEM",
    )
    distributor_admin = principal(Role.PARTNER_ADMIN, partner_id=plan.distributor.id, sub="distributor-admin")
    campaigns.accept_incentive_campaign(ports, distributor_admin, campaign_id=offer.id)
    placed = datetime(2027, 2, 28, 23, 30, tzinfo=UTC)
    at_order = replace(ports, clock=lambda: placed)
    _, movement = order(at_order, plan, "1000.00")
    assert movement.at == placed and starts <= placed

    line = ports.incentives.get_line(plan.line_id)
    position = credit_lines.credit_position(ports, line, at=datetime(2027, 3, 10, tzinfo=UTC))
    assert position.order_extras == Money.of("5000.00")
