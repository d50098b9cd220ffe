"""The ledger's rules, as properties over random sequences of money events (hypothesis).

Every entry balances in its holder's books; the whole ledger balances; a party's statement
closes at its opening plus its lines; and what the ledger says each party owes the other is
exactly what the payouts between them leave open.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channelfin.domain import ledger
from channelfin.domain.ledger import Account, AccountType, Entry, LedgerStatement, Line, TrialBalance, UnbalancedEntry
from channelfin.domain.money import Money
from channelfin.domain.payment_runs import net
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus, journal
from tests import factories

T0 = datetime(2027, 1, 1, tzinfo=UTC)
PARTIES = ("leaser", "publisher", "affiliate", "reseller")


def payout(pid: str, payer: str, beneficiary: str, cents: int, kind: PayoutKind, at: datetime) -> Payout:
    return factories.payout(pid, kind, payer, beneficiary, Money.from_cents(cents), at)


def test_an_unbalanced_entry_cannot_exist():
    cash = Account("p", AccountType.BANK)
    with pytest.raises(UnbalancedEntry):
        Entry("x", "p", "q", T0, "oops", (Line(cash, debit=100), Line(cash, credit=99)))
    with pytest.raises(UnbalancedEntry):
        Entry("x", "p", "q", T0, "not mine", (Line(Account("q", AccountType.BANK), debit=1), Line(cash, credit=1)))


def test_the_affiliate_owing_3000_and_owed_1200_owes_1800_after_the_offset():
    charge = payout("charge", "affiliate", "publisher", 300_000, PayoutKind.PARTNER_CHARGE, T0)
    commission = payout("commission", "publisher", "affiliate", 120_000, PayoutKind.COMMISSION, T0)
    entries = journal(None, charge, T0) + journal(None, commission, T0)

    netting = net([commission], [charge])

    assert netting.transfer_total == Money.zero() and netting.left_open == (("charge", Money.of("1800.00")),)
    (o,) = netting.offsets
    entries += ledger.offset(commission.obligation(), charge.obligation(), o.amount.to_cents(), T0, run_id="run-1")
    statement = LedgerStatement.of("affiliate", T0 - timedelta(days=1), T0 + timedelta(days=1), entries)
    assert statement.opening == Money.zero()
    assert statement.closing == Money.of("-1800.00")
    (position,) = ledger.positions("affiliate", entries)
    assert (position.counterparty, position.owed_to_holder, position.owed_by_holder) == (
        "publisher",
        Money.zero(),
        Money.of("1800.00"),
    )
    assert TrialBalance.of(entries, T0).balanced


EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["schedule", "pay", "fail", "cancel", "net"]),
        st.sampled_from(PARTIES),
        st.sampled_from(PARTIES),
        st.integers(min_value=1, max_value=500_000),
        st.sampled_from(list(PayoutKind)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(EVENTS)
def test_random_money_events_keep_the_books_right(events):
    payouts: dict[str, Payout] = {}
    entries: list[Entry] = []
    at = T0
    for n, (event, payer, beneficiary, cents, kind) in enumerate(events):
        at += timedelta(hours=1)
        mine = [p for p in payouts.values() if p.is_open and p.parties() == (payer, beneficiary)]
        if event == "schedule" and payer != beneficiary:
            new = payout(f"p{n}", payer, beneficiary, cents, kind, at)
            entries += journal(None, new, at)
            payouts[new.id] = new
        elif event in ("pay", "fail", "cancel") and mine:
            before = mine[0]
            if event == "pay":
                after = before.paid(at=at, reference=f"ref-{n}")
            elif event == "fail":
                if before.status is not PayoutStatus.SCHEDULED:
                    continue
                after = before.failed("bank says no")
            else:
                after = before.cancelled()
            entries += journal(before, after, at)
            payouts[after.id] = after
        elif event == "net" and payer != beneficiary:
            owed_back = [p for p in payouts.values() if p.is_open and p.parties() == (beneficiary, payer)]
            netting = net(mine, owed_back)
            for o in netting.offsets:
                by, to = payouts[o.owed_by_payer], payouts[o.owed_to_payer]
                entries += ledger.offset(
                    by.obligation(), to.obligation(), o.amount.to_cents(), at, run_id=f"run-{n}",
                    by_failed=by.status is PayoutStatus.FAILED, to_failed=to.status is PayoutStatus.FAILED,
                )  # fmt: skip
                payouts[by.id] = by.offset(o.amount, at=at, reference=f"run-{n}")
                payouts[to.id] = to.offset(o.amount, at=at, reference=f"run-{n}")
            for pid, amount in netting.transfers:
                before = payouts[pid]
                assert before.open_amount == amount
                after = before.paid(at=at, reference=f"run-{n}")
                entries += journal(before, after, at, run_id=f"run-{n}")
                payouts[pid] = after

    trial = TrialBalance.of(entries, at)
    assert trial.balanced
    assert len({(e.id, e.holder) for e in entries}) == len(entries), "a fact is written once per party"
    for party in PARTIES:
        statement = LedgerStatement.of(
            party, T0 + timedelta(hours=len(events) // 2), at + timedelta(seconds=1), entries
        )
        before_and_during = LedgerStatement.of(party, T0, at + timedelta(seconds=1), entries)
        assert statement.closing == before_and_during.closing
        positions = {position.counterparty: position for position in ledger.positions(party, entries)}
        for other in set(PARTIES) - {party}:
            owed_to = sum((p.open_amount for p in payouts.values() if p.parties() == (other, party)), Money.zero())
            owed_by = sum((p.open_amount for p in payouts.values() if p.parties() == (party, other)), Money.zero())
            position = positions.get(other)
            seen = (position.owed_to_holder, position.owed_by_holder) if position else (Money.zero(), Money.zero())
            assert seen == (owed_to, owed_by)


def test_the_suite_s_ledger_guard_sees_an_unbalanced_write():
    from tests.conftest import LedgerWrites

    def line(debit: int, credit: int) -> dict:
        return {"M": {"account": {"S": "a|BANK||"}, "debit": {"N": str(debit)}, "credit": {"N": str(credit)}}}

    guard = LedgerWrites()
    balanced = {"pk": {"S": "ENTRY#f1"}, "sk": {"S": "HOLDER#a"}, "lines": {"L": [line(5, 0), line(0, 5)]}}
    skewed = {"pk": {"S": "ENTRY#f2"}, "sk": {"S": "HOLDER#a"}, "lines": {"L": [line(5, 0), line(0, 4)]}}
    guard.see("TransactWriteItems", {"TransactItems": [{"Put": {"Item": balanced}}, {"Put": {"Item": skewed}}]})
    guard.see("PutItem", {"Item": {"pk": {"S": "PAYOUT#p"}}})  # not an entry: ignored
    assert guard.entries == 2 and guard.unbalanced == ["ENTRY#f2 HOLDER#a: 5 != 4"]
    assert (guard.debits, guard.credits) == (10, 9)


def _group_sizes(netting) -> list[int]:
    """How many payouts each group of set-offs links (what one transaction must record)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for o in netting.offsets:
        parent[find(o.owed_by_payer)] = find(o.owed_to_payer)
    sizes: dict[str, int] = {}
    for pid in parent:
        sizes[find(pid)] = sizes.get(find(pid), 0) + 1
    return list(sizes.values())


@given(
    st.lists(st.integers(1, 5_000), max_size=40),
    st.lists(st.integers(1, 5_000), max_size=40),
    st.integers(2, 12),
)
@settings(max_examples=300, deadline=None)
def test_a_bounded_netting_keeps_each_group_small_and_every_cent(owed_by_cents, owed_to_cents, max_group):
    owed_by = [
        payout(f"b{n:02d}", "publisher", "affiliate", c, PayoutKind.COMMISSION, T0) for n, c in enumerate(owed_by_cents)
    ]
    owed_to = [
        payout(f"t{n:02d}", "affiliate", "publisher", c, PayoutKind.CLAWBACK, T0) for n, c in enumerate(owed_to_cents)
    ]
    netting = net(owed_by, owed_to, max_group=max_group)
    assert all(size <= max_group for size in _group_sizes(netting))
    offset = sum(o.amount.to_cents() for o in netting.offsets)
    assert offset + netting.transfer_total.to_cents() == sum(owed_by_cents)
    assert offset + sum(m.to_cents() for _, m in netting.left_open) == sum(owed_to_cents)
    assert sum(m.to_cents() for _, m in netting.transfers) == netting.transfer_total.to_cents()
    unbounded = net(owed_by, owed_to)
    if all(size <= max_group for size in _group_sizes(unbounded)):
        assert netting == unbounded  # the bound changes nothing where it is not needed


def test_one_charge_against_sixty_commissions_is_set_off_in_groups_that_fit():
    # The red team's case: a clawback of 500.00 against 60 commissions of 10.00 was one group of
    # 61 payouts, too large for a transaction, found only after the transfer had gone out.
    commissions = [payout(f"c{n:02d}", "publisher", "affiliate", 1_000, PayoutKind.COMMISSION, T0) for n in range(60)]
    clawback = payout("claw", "affiliate", "publisher", 50_000, PayoutKind.CLAWBACK, T0)
    netting = net(commissions, [clawback], max_group=20)
    assert _group_sizes(netting) == [20]
    assert netting.transfer_total == Money.of("410.00")  # 41 commissions transferred, 19 set off
    assert netting.left_open == (("claw", Money.of("310.00")),)  # owed still, for a later run
