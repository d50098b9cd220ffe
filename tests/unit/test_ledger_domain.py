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

T0 = datetime(2027, 1, 1, tzinfo=UTC)
PARTIES = ("leaser", "publisher", "affiliate", "reseller")


def payout(pid: str, payer: str, beneficiary: str, cents: int, kind: PayoutKind, at: datetime) -> Payout:
    return Payout(
        id=pid,
        kind=kind,
        status=PayoutStatus.SCHEDULED,
        amount=Money.from_cents(cents),
        beneficiary_id=beneficiary,
        payer_id=payer,
        created_at=at,
        due_by=at,
    )


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
