"""A payment run executed in-process (`runPayments` on the inline path): counterparties paid side by side.

The payments state machine pays up to ten counterparties at once (its Map state); the inline
path does the same with threads. These tests hold what that must not change: each payout
paid once, the ledger balanced, and a step that breaks failing the run, which holds only the
payouts of a transfer the bank may have made.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from channelfin.domain.money import Money
from channelfin.domain.payment_runs import RunStatus, run_id
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
from channelfin.services.ports import TransferFailed
from tests import factories
from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.graphql_client import Result, execute
from tests.world import from_global_id, register

pytestmark = pytest.mark.ports("fake", "dynamodb")

COUNTERPARTIES = 6


@dataclass
class SlowBank:
    """Takes a little while per transfer, counts how many are under way at once; refuses or breaks
    on chosen beneficiaries."""

    refused: set[str] = field(default_factory=set)
    broken: set[str] = field(default_factory=set)
    paid: dict[str, tuple[str, str, Money]] = field(default_factory=dict)
    keyed: bool = False  # a repeated transfer id gets its first answer, as the bank's idempotency key does
    repeats: int = 0
    in_flight: int = 0
    most_at_once: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def transfer_net(self, transfer_id: str, *, payer_id: str, beneficiary_id: str, amount: Money) -> str:
        if beneficiary_id in self.broken:
            raise RuntimeError(f"the bank's answer for {transfer_id} could not be read")
        if beneficiary_id in self.refused:
            raise TransferFailed(f"refused: {transfer_id}")
        with self._lock:
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
        time.sleep(0.05)
        with self._lock:
            self.in_flight -= 1
            if transfer_id in self.paid:
                if self.keyed and self.paid[transfer_id] == (payer_id, beneficiary_id, amount):
                    self.repeats += 1
                    return f"ref-{transfer_id}"
                raise AssertionError(f"{transfer_id} transferred twice")
            self.paid[transfer_id] = (payer_id, beneficiary_id, amount)
        return f"ref-{transfer_id}"


@pytest.fixture
def payer(ports) -> str:
    return register(ports, "Éditeur Payeur", "PUBLISHER")


def _owe(ports, payer: str, count: int) -> list[str]:
    """`count` beneficiaries, each owed two commissions by the payer, due yesterday."""
    payer_id = from_global_id(payer)[1]
    now = ports.clock()
    beneficiaries = [from_global_id(register(ports, f"Affilié {n}", "RESELLER"))[1] for n in range(count)]
    for n, beneficiary in enumerate(beneficiaries):
        for k in range(2):
            ports.payouts.add(
                Payout(
                    id=f"inline-{n:02d}-{k}",
                    kind=PayoutKind.COMMISSION,
                    status=PayoutStatus.SCHEDULED,
                    amount=Money.of("100.00"),
                    beneficiary_id=beneficiary,
                    payer_id=payer_id,
                    created_at=now - timedelta(days=2),
                    due_by=now - timedelta(days=1),
                    program_id="inline",
                )
            )
    return beneficiaries


def _execute(ports, query: str, **variables: Any) -> Result:
    return execute(ports, LEASER_ADMIN, query, **variables)


def _run(ports, payer: str, up_to: datetime) -> dict[str, Any]:
    result = _execute(ports, ops.RUN_PAYMENTS, input={"payerId": payer, "upTo": up_to.isoformat()})
    assert result.errors == [] and result.data["runPayments"]["userErrors"] == [], result.errors or result.data
    return result.data["runPayments"]["run"]


def _balanced(ports) -> bool:
    return _execute(ports, ops.TRIAL_BALANCE).data["ledgerTrialBalance"]["balanced"]


@pytest.fixture
def bank(ports) -> SlowBank:
    bank = SlowBank()
    ports.payments.transfer_net = bank.transfer_net  # the ports are frozen; the bank they hold is not
    return bank


def test_counterparties_are_paid_side_by_side_each_once(ports, payer, bank):
    beneficiaries = _owe(ports, payer, COUNTERPARTIES)

    run = _run(ports, payer, ports.clock())

    assert (run["status"], run["paidCount"], run["failedCount"]) == ("DONE", 2 * COUNTERPARTIES, 0)
    assert run["paid"] == {"amount": f"{200 * COUNTERPARTIES}.00"}
    assert sorted(b for _, b, _ in bank.paid.values()) == sorted(beneficiaries)
    assert all(amount == Money.of("200.00") for _, _, amount in bank.paid.values())
    assert bank.most_at_once > 1, "the counterparties were paid one after another"
    assert _balanced(ports)


def test_a_refused_transfer_fails_its_counterparty_alone(ports, payer, bank):
    beneficiaries = _owe(ports, payer, COUNTERPARTIES)
    bank.refused.add(beneficiaries[3])

    run = _run(ports, payer, ports.clock())

    assert (run["status"], run["paidCount"], run["failedCount"]) == ("DONE", 2 * (COUNTERPARTIES - 1), 1)
    failed = ports.payouts.get_many([f"inline-03-{k}" for k in range(2)])
    assert {p.status for p in failed.values()} == {PayoutStatus.FAILED}
    assert _balanced(ports)


def test_a_step_that_breaks_in_the_bank_call_fails_the_run_which_keeps_only_those_payouts(ports, payer, bank):
    # The bank's answer could not be read: the money may have moved. The run fails; the payouts of
    # the transfers never asked are released for a later run, those of the asked one stay held by
    # the failed run (a later run would pay them again under its own id) until the step, asked
    # again for that run, gets the bank's answer under the same id and records it.
    from channelfin.services import payment_runs

    beneficiaries = _owe(ports, payer, COUNTERPARTIES)
    bank.broken.add(beneficiaries[0])

    up_to = ports.clock()
    broken = _execute(ports, ops.RUN_PAYMENTS, input={"payerId": payer, "upTo": up_to.isoformat()})
    assert broken.errors, "a step that broke was reported as a success"
    failed = ports.payment_runs.get(run_id(from_global_id(payer)[1], up_to, None, None))
    assert failed is not None and failed.status is RunStatus.FAILED
    assert ("PaymentRunTransferUnrecorded", {}) in ports.metrics.counts

    ids = [f"inline-{n:02d}-{k}" for n in range(COUNTERPARTIES) for k in range(2)]
    payouts = ports.payouts.get_many(ids)
    held = {p.id for p in payouts.values() if p.run_id is not None}
    assert held == {"inline-00-0", "inline-00-1"} and {payouts[p].run_id for p in held} == {failed.id}
    paid_before = {p.id for p in payouts.values() if p.status is PayoutStatus.PAID}
    assert len(paid_before) == 2 * len(bank.paid)
    assert _balanced(ports)

    bank.broken.clear()
    later = _run(ports, payer, up_to + timedelta(hours=1))
    assert (later["status"], later["paidCount"]) == ("DONE", 2 * COUNTERPARTIES - len(paid_before) - len(held))
    assert beneficiaries[0] not in {b for _, b, _ in bank.paid.values()}

    payment_runs.pay_counterparty(ports, failed.id, beneficiaries[0])  # asked again, as an operator would
    payouts = ports.payouts.get_many(ids)
    assert {p.status for p in payouts.values()} == {PayoutStatus.PAID}
    assert sorted(b for _, b, _ in bank.paid.values()) == sorted(beneficiaries)  # each paid once
    assert _balanced(ports)


def _payout(pid: str, kind: PayoutKind, payer_id: str, beneficiary_id: str, amount: str, now: datetime) -> Payout:
    return factories.payout(pid, kind, payer_id, beneficiary_id, Money.of(amount), now - timedelta(days=1))


def test_a_charge_set_off_against_many_commissions_is_recorded_and_transferred_once(ports, payer, bank):
    # The red team's case: a clawback of 500.00 against 60 commissions of 10.00 was one group of
    # set-offs too large for a transaction. The transfer had gone out before that was found, the
    # run failed with nothing recorded, and every later run paid again. Now the set-offs come
    # in groups that fit (domain/payment_runs.net), and the rest of the clawback stays owed.
    now, payer_id = ports.clock(), from_global_id(payer)[1]
    affiliate = from_global_id(register(ports, "Affilié Débiteur", "RESELLER"))[1]
    # (25 commissions here: a group links 20 at most.)
    ports.payouts.add(_payout("claw", PayoutKind.CLAWBACK, affiliate, payer_id, "240.00", now))
    for n in range(25):
        ports.payouts.add(_payout(f"c{n:02d}", PayoutKind.COMMISSION, payer_id, affiliate, "10.00", now))

    run = _run(ports, payer, now)

    assert (run["status"], run["paidCount"], run["failedCount"]) == ("DONE", 25, 0)
    assert [amount for _, _, amount in bank.paid.values()] == [Money.of("60.00")]  # 19 set off, 6 transferred
    clawback = ports.payouts.get("claw")
    assert clawback is not None and clawback.open_amount == Money.of("50.00") and clawback.run_id is None
    assert _balanced(ports)
    again = _run(ports, payer, now + timedelta(seconds=1))
    assert again["status"] == "DONE" and len(bank.paid) == 1


def test_a_counterparty_retried_after_a_partial_write_records_the_rest_and_transfers_once(ports, payer, bank):
    # The step writes its groups in several transactions; one failing in between (a conflict, a
    # throttle) is retried by the state machine. The retry skips what was written and records the
    # rest (it used to find the written payouts PAID and fail on every attempt, and the next run
    # transferred their amount again).
    from channelfin.domain.errors import Conflict
    from channelfin.services import payment_runs

    now, payer_id = ports.clock(), from_global_id(payer)[1]
    affiliate = from_global_id(register(ports, "Affilié Compensé", "RESELLER"))[1]
    for n in range(16):  # pairs set off one against one: 8 items each, two transactions
        ports.payouts.add(_payout(f"c{n:02d}", PayoutKind.COMMISSION, payer_id, affiliate, "10.00", now))
        ports.payouts.add(_payout(f"x{n:02d}", PayoutKind.PARTNER_CHARGE, affiliate, payer_id, "10.00", now))
    ports.payouts.add(_payout("zz", PayoutKind.COMMISSION, payer_id, affiliate, "7.00", now))
    run, _ = payment_runs._start(ports, LEASER_ADMIN, payer_id, now, None, None)
    payment_runs.plan_run(ports, run.id)
    settle, calls = ports.payouts.settle, []

    def second_fails(changes, entries):
        calls.append(len(changes))
        if len(calls) == 2:
            raise Conflict("changed meanwhile")
        return settle(changes, entries)

    ports.payouts.settle = second_fails
    bank.keyed = True  # were the retried step to ask again, under the same key
    with pytest.raises(Conflict):
        payment_runs.pay_counterparty(ports, run.id, affiliate)
    assert payment_runs.pay_counterparty(ports, run.id, affiliate) == {"status": "PAID"}

    everything = ports.payouts.get_many([f"{k}{n:02d}" for k in "cx" for n in range(16)] + ["zz"])
    assert len(calls) >= 3  # the second transaction failed once, then the rest went through
    assert {(p.status, p.run_id) for p in everything.values()} == {(PayoutStatus.PAID, None)}
    assert [amount for _, _, amount in bank.paid.values()] == [Money.of("7.00")]
    assert bank.repeats == 0  # the retry follows the reference kept after the transfer: the bank is not asked again
    assert _balanced(ports)
    again = _run(ports, payer, now + timedelta(seconds=1))
    assert again["status"] == "DONE" and len(bank.paid) == 1
