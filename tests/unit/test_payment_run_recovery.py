"""A payment run that fails after the bank paid: never paid twice (services/payment_runs.py).

PayCounterparty transfers, then records the books. When the step fails between the two (a
timeout, a store outage) beyond its retries, the state machine goes to FailRun, which released
the transfer's payouts: still SCHEDULED, the next run paid them again. The transfer's reference
is now kept before the books, and FailRun records such a transfer, or keeps its payouts held.
"""

from __future__ import annotations

import pytest

from channelfin.api.core.ids import from_global_id
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
    programs, contract = sale
    ports = world.ports
    run_id = started_run(world)
    partner = from_global_id(programs.partners["PRESCRIBER"])[1]
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
    programs, contract = sale
    ports = world.ports
    run_id = started_run(world)
    partner = from_global_id(programs.partners["PRESCRIBER"])[1]
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
