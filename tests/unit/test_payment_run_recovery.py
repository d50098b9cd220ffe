"""A payment run that fails after the bank paid: never paid twice (services/payment_runs.py).

PayCounterparty transfers, then records the books. When the step fails between the two (a
timeout, a store outage) beyond its retries, the state machine goes to FailRun, which released
the transfer's payouts: still SCHEDULED, the next run paid them again. The transfer's reference
is now kept before the books, and FailRun records such a transfer, or keeps its payouts held.
"""

from __future__ import annotations

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.domain.errors import Conflict
from channelfin.services import payment_runs
from tests.factories import LEASER_ADMIN
from tests.program_flow import ProgramFlow
from tests.unit.test_payments_api import run, trial

pytestmark = pytest.mark.ports("fake", "dynamodb")


@pytest.fixture
def sale(world):
    """A prescriber's sale: its commission of 900.00 due from the publisher; (the flow, the contract)."""
    programs = ProgramFlow(world)
    programs.create_program()
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    return programs, programs.sell("PRESCRIBER")


def started_run(world) -> str:
    ports = world.ports
    started, _ = payment_runs._start(ports, LEASER_ADMIN, from_global_id(world.publisher)[1], ports.clock(), None, None)
    payment_runs.plan_run(ports, started.id)
    return started.id


def begun(world, sale) -> tuple:
    """The sale's run planned: (the flow, the contract, the ports, the run's id, the prescriber's id)."""
    programs, contract = sale
    return programs, contract, world.ports, started_run(world), from_global_id(programs.partners["PRESCRIBER"])[1]


def books_fail(monkeypatch, times: int) -> list[str]:
    """The recording after the transfer fails `times` times (every time: a large number)."""
    record, failures = payment_runs.record_netting, []

    def failing(*args, **kwargs):
        if len(failures) < times:
            failures.append("books")
            raise RuntimeError("the store went away after the bank paid")
        return record(*args, **kwargs)

    monkeypatch.setattr(payment_runs, "record_netting", failing)
    return failures


def test_a_run_failing_after_the_bank_paid_records_the_transfer_once(world, sale, monkeypatch):
    programs, contract, ports, run_id, partner = begun(world, sale)
    books_fail(monkeypatch, times=1)
    with pytest.raises(RuntimeError):
        payment_runs.pay_counterparty(ports, run_id, partner)
    assert len(ports.payments.paid) == 1  # the money moved

    payment_runs.fail_run(ports, run_id, '{"Error":"States.Timeout"}')

    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["PAID"]
    later = run(world, programs.publisher_admin, world.publisher)["run"]
    assert (later["status"], later["paid"], later["paidCount"]) == ("DONE", {"amount": "0.00"}, 0)
    assert len(ports.payments.paid) == 1
    assert trial(world)["balanced"] is True


def test_when_the_books_still_fail_the_payouts_stay_held_and_are_not_paid_again(world, sale, monkeypatch):
    programs, contract, ports, run_id, partner = begun(world, sale)
    books_fail(monkeypatch, times=10**6)
    with pytest.raises(RuntimeError):
        payment_runs.pay_counterparty(ports, run_id, partner)

    payment_runs.fail_run(ports, run_id, '{"Error":"States.Timeout"}')

    (commission,) = (p for p in ports.payouts.get_many([f"commission-{from_global_id(contract)[1]}"]).values())
    assert commission.run_id == run_id  # held by the failed run: no later run takes it
    assert ("PaymentRunTransferUnrecorded", {}) in ports.metrics.counts
    assert run(world, programs.publisher_admin, world.publisher)["run"]["paid"] == {"amount": "0.00"}
    assert len(ports.payments.paid) == 1

    monkeypatch.undo()  # the store is back: asked again, the step records what the bank did
    payment_runs.pay_counterparty(ports, run_id, partner)
    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["PAID"]
    assert len(ports.payments.paid) == 1 and trial(world)["balanced"] is True
    finished = ports.payment_runs.get(run_id)  # still FAILED, its totals counting the transfer now
    assert (finished.status.value, finished.paid_count, str(finished.paid.amount)) == ("FAILED", 1, "900.00")


def test_a_step_cut_off_in_the_bank_call_is_finished_by_fail_run_under_the_same_id(world, sale, monkeypatch):
    # A Lambda timeout after the bank paid, before its answer was kept: no reference, but the
    # transfer says the bank was asked. FailRun asks again under the same id (the bank answers
    # as the first time) and records the books; a later run pays nothing.
    programs, contract, ports, run_id, partner = begun(world, sale)
    pay = ports.payments.transfer_net

    def paid_then_cut_off(*args, **kwargs):
        pay(*args, **kwargs)
        raise TimeoutError("Task timed out after 900.00 seconds")

    monkeypatch.setattr(ports.payments, "transfer_net", paid_then_cut_off)
    with pytest.raises(TimeoutError):
        payment_runs.pay_counterparty(ports, run_id, partner)
    monkeypatch.undo()

    payment_runs.fail_run(ports, run_id, '{"Error":"Sandbox.Timedout"}')

    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["PAID"]
    assert str(ports.payment_runs.get(run_id).paid.amount) == "900.00"  # FailRun's recording counts
    assert run(world, programs.publisher_admin, world.publisher)["run"]["paid"] == {"amount": "0.00"}
    assert len(ports.payments.paid) == 1 and trial(world)["balanced"] is True


def test_a_lost_save_of_the_banks_answer_does_not_pay_twice(world, sale, monkeypatch):
    programs, _contract, ports, run_id, partner = begun(world, sale)
    save, lost = ports.payment_runs.save_transfer, []

    def answer_lost(transfer, *, expected):
        if transfer.reference is not None and expected.reference is None and not lost:
            lost.append(transfer.id)
            raise RuntimeError("the store went away right after the bank answered")
        return save(transfer, expected=expected)

    monkeypatch.setattr(ports.payment_runs, "save_transfer", answer_lost)
    with pytest.raises(RuntimeError):
        payment_runs.pay_counterparty(ports, run_id, partner)
    payment_runs.fail_run(ports, run_id, '{"Error":"RuntimeError"}')
    run(world, programs.publisher_admin, world.publisher)
    assert lost and len(ports.payments.paid) == 1


def test_a_transfer_the_bank_refuses_when_asked_again_is_failed_and_owed(world, sale, monkeypatch):
    # Asked, then cut off before any answer; asked again by FailRun, the bank refuses: no money
    # moved, so the commission is FAILED (still owed) and released for a later run, as after a
    # refused transfer.
    from channelfin.services.ports import TransferFailed

    programs, contract, ports, run_id, partner = begun(world, sale)

    def cut_off(*args, **kwargs):
        raise TimeoutError("Task timed out before the bank answered")

    monkeypatch.setattr(ports.payments, "transfer_net", cut_off)
    with pytest.raises(TimeoutError):
        payment_runs.pay_counterparty(ports, run_id, partner)

    def refused(*args, **kwargs):
        raise TransferFailed("account closed")

    monkeypatch.setattr(ports.payments, "transfer_net", refused)
    payment_runs.fail_run(ports, run_id, '{"Error":"Sandbox.Timedout"}')

    (commission,) = programs.payouts_of(contract, "COMMISSION")
    assert commission["status"] == "FAILED"
    assert ports.payouts.get(f"commission-{from_global_id(contract)[1]}").run_id is None
    assert ports.payments.paid == {}


def test_a_failed_runs_transfer_never_asked_is_closed_so_nobody_pays_it_later_under_that_run(world, sale):
    # FailRun released its payouts; left PENDING, an operator (or a copy of the step still running)
    # could have the bank pay it under the failed run's id while a later run paid them again.
    programs, contract, ports, run_id, partner = begun(world, sale)
    stale = ports.payment_runs.get_transfer(run_id, partner)  # as a copy of the step read it

    payment_runs.fail_run(ports, run_id, '{"Error":"States.Runtime"}')

    closed = ports.payment_runs.get_transfer(run_id, partner)
    assert closed.status.value == "FAILED" and closed.failure_reason.startswith("run failed")
    assert payment_runs.pay_counterparty(ports, run_id, partner) == {"status": "FAILED"}
    asking = payment_runs.Transfer(**{**payment_runs._fields(stale), "requested_at": ports.clock()})
    with pytest.raises(Conflict):  # the stale copy cannot note that it asks the bank
        ports.payment_runs.save_transfer(asking, expected=stale)
    assert run(world, programs.publisher_admin, world.publisher)["run"]["paid"] == {"amount": "900.00"}
    assert len(ports.payments.paid) == 1


def test_a_transfer_the_bank_answered_is_not_marked_failed_by_another_copy(world, sale, monkeypatch):
    programs, contract, ports, run_id, partner = begun(world, sale)
    books_fail(monkeypatch, times=1)
    with pytest.raises(RuntimeError):
        payment_runs.pay_counterparty(ports, run_id, partner)  # the bank answered; the books failed

    assert payment_runs.mark_transfer_failed(ports, run_id, partner, "refused")["status"] == "PENDING"
    (commission,) = programs.payouts_of(contract, "COMMISSION")
    assert commission["status"] == "SCHEDULED"  # not FAILED: no later run may pay it again
    payment_runs.pay_counterparty(ports, run_id, partner)
    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["PAID"]
    assert len(ports.payments.paid) == 1


def test_fail_run_ends_the_run_even_when_the_store_fails_it_again(world, sale, monkeypatch):
    programs, _contract, ports, run_id, partner = begun(world, sale)
    books_fail(monkeypatch, times=10**6)
    with pytest.raises(RuntimeError):
        payment_runs.pay_counterparty(ports, run_id, partner)
    reads = ports.payouts.get_many

    def store_down(ids, *, consistent=False):
        if consistent:
            raise RuntimeError("the store is still down")
        return reads(ids)

    monkeypatch.setattr(ports.payouts, "get_many", store_down)
    assert payment_runs.fail_run(ports, run_id, '{"Error":"States.Timeout"}') == {"status": "FAILED"}
    assert ports.payment_runs.get(run_id).status.value == "FAILED"
    assert len(ports.payments.paid) == 1


def test_a_retried_fail_run_releases_what_an_earlier_attempt_closed_but_did_not_release(world, sale, monkeypatch):
    programs, contract = sale
    ports = world.ports
    run_id = started_run(world)
    release, broke = ports.payouts.release, []

    def breaks_once(payout, run):
        if not broke:
            broke.append(payout.id)
            raise RuntimeError("the store went away")
        return release(payout, run)

    monkeypatch.setattr(ports.payouts, "release", breaks_once)
    with pytest.raises(RuntimeError):
        payment_runs.fail_run(ports, run_id, '{"Error":"States.Runtime"}')
    payment_runs.fail_run(ports, run_id, '{"Error":"States.Runtime"}')  # the state machine's retry

    commission = ports.payouts.get(f"commission-{from_global_id(contract)[1]}")
    assert broke and commission.run_id is None
    assert run(world, programs.publisher_admin, world.publisher)["run"]["paid"] == {"amount": "900.00"}
    assert len(ports.payments.paid) == 1
