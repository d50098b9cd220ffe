"""A cancelled sale's money goes back both ways (DESIGN 4: a cancelled sale does not count).

A commission it paid is clawed back (test_programs_api.py); a partner charge the affiliate
settled is refunded (CHARGE_REFUND, the publisher pays it back), and what is still owed of
either is owed no more, whether a run held it or not. Through the GraphQL API, on the fakes
and on DynamoDB Local.
"""

from __future__ import annotations

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.services import payment_runs
from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.program_flow import ProgramFlow
from tests.unit.test_payments_api import _payouts_of_payer, balances, run, trial

pytestmark = pytest.mark.ports("fake", "dynamodb")


@pytest.fixture
def programs(world) -> ProgramFlow:
    flow = ProgramFlow(world)
    flow.create_program(LEASER_ADMIN, tierRules=[{"tier": "PRESCRIBER", "rate": "0.20"}])  # above 0.15
    return flow


def affiliate_also_prescribing(programs: ProgramFlow) -> tuple[str, str]:
    """An affiliate holding a contract (year 1's charge of 3,000.00 due now, years 2 and 3 later)
    that also brought the publisher a deal as a prescriber (a commission of 1,200.00)."""
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="0.00")
    affiliate = programs.partners["AFFILIATE"]
    held = programs.sell("AFFILIATE", owner=affiliate, startDate="2026-10-01")
    programs.enroll("PRESCRIBER", partner=affiliate)
    programs.sell("PRESCRIBER")
    return affiliate, held


def cancel(programs: ProgramFlow, contract: str, owner: str | None = None) -> None:
    """cancelContract by the owner's admin (the publisher's by default)."""
    who = programs.world.user_of(owner, "partner-admin") if owner else programs.publisher_admin
    cancelled = programs.mutate(who, ops.CANCEL_CONTRACT, "cancelContract", contractId=contract, reason="client left")
    assert cancelled["userErrors"] == [] and cancelled["contract"]["status"] == "CANCELLED"


def charges(programs: ProgramFlow, contract: str) -> list[tuple[str, str | None]]:
    return [
        (c["status"], c["settled"]["amount"] if c["settled"] else None)
        for c in programs.payouts_of(contract, "PARTNER_CHARGE")
    ]


def test_a_charge_settled_in_part_is_refunded_that_part_and_owed_no_more(world, programs):
    affiliate, contract = affiliate_also_prescribing(programs)
    done = run(world, programs.publisher_admin, world.publisher)["run"]
    assert done["netted"] == {"amount": "1200.00"}  # the commission set off against year 1's charge
    assert charges(programs, contract)[0] == ("SCHEDULED", "1200.00")

    cancel(programs, contract, affiliate)

    # Nothing of the three years is owed any more; the 1,200.00 the affiliate settled comes back.
    assert charges(programs, contract) == [("CANCELLED", "1200.00"), ("CANCELLED", None), ("CANCELLED", None)]
    (refund,) = programs.payouts_of(contract, "CHARGE_REFUND")
    assert (refund["status"], refund["amount"]) == ("SCHEDULED", {"amount": "1200.00"})
    assert (refund["payer"]["id"], refund["beneficiary"]["id"]) == (world.publisher, affiliate)
    assert balances(world, affiliate)[world.publisher] == {
        "owedToPartner": "1200.00",
        "owedByPartner": "0.00",
        "net": "1200.00",
    }
    assert trial(world)["balanced"] is True

    # The publisher's next run pays it, once.
    again = run(world, programs.publisher_admin, world.publisher)["run"]
    assert (again["status"], again["paid"]) == ("DONE", {"amount": "1200.00"})
    assert [p["status"] for p in programs.payouts_of(contract, "CHARGE_REFUND")] == ["PAID"]
    cancel(programs, contract, affiliate)  # asked again: nothing more is given back
    assert len(programs.payouts_of(contract, "CHARGE_REFUND")) == 1
    assert balances(world, affiliate)[world.publisher]["net"] == "0.00"
    assert trial(world)["balanced"] is True


def test_a_charge_a_run_holds_when_the_sale_is_cancelled_is_undone_once_the_run_lets_go(world, programs):
    # The run holds year 1's charge (planned, about to set it off): cancelling leaves it to the
    # run, which sets off 1,200.00 and then finds the contract cancelled: the rest is owed no
    # more, the part settled is refunded. Before, the rest stayed owed and was set off later.
    affiliate, contract = affiliate_also_prescribing(programs)
    ports = world.ports
    publisher = from_global_id(world.publisher)[1]
    started, _ = payment_runs._start(ports, LEASER_ADMIN, publisher, ports.clock(), None, None)
    payment_runs.plan_run(ports, started.id)
    cancel(programs, contract, affiliate)
    assert charges(programs, contract)[0] == ("SCHEDULED", None)  # the run's, for now

    payment_runs.pay_counterparty(ports, started.id, from_global_id(affiliate)[1])

    assert charges(programs, contract) == [("CANCELLED", "1200.00"), ("CANCELLED", None), ("CANCELLED", None)]
    (refund,) = programs.payouts_of(contract, "CHARGE_REFUND")
    assert (refund["status"], refund["amount"]) == ("SCHEDULED", {"amount": "1200.00"})
    owed = [p for p in _payouts_of_payer(world, affiliate) if p["status"] == "SCHEDULED"]
    assert owed == []
    assert trial(world)["balanced"] is True


def test_a_commission_whose_transfer_fails_after_its_sale_was_cancelled_is_owed_no_more(world, programs):
    # Cancelled while a run held it, then the run's transfer failed: the commission came back FAILED
    # (still owed) and no one cancelled it, so the next run paid the cancelled sale's commission.
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    sale = programs.sell("PRESCRIBER")
    partner = from_global_id(programs.partners["PRESCRIBER"])[1]
    ports = world.ports
    started, _ = payment_runs._start(ports, LEASER_ADMIN, from_global_id(world.publisher)[1], ports.clock(), None, None)
    payment_runs.plan_run(ports, started.id)
    cancel(programs, sale)
    assert [p["status"] for p in programs.payouts_of(sale, "COMMISSION")] == ["SCHEDULED"]  # the run's

    payment_runs.mark_transfer_failed(ports, started.id, partner, "the bank refused the transfer")

    assert [p["status"] for p in programs.payouts_of(sale, "COMMISSION")] == ["CANCELLED"]
    assert programs.payouts_of(sale, "CLAWBACK") == []  # nothing of it was paid
    later = run(world, programs.publisher_admin, world.publisher)["run"]
    assert later["paid"] == {"amount": "0.00"} and ports.payments.paid == {}
    assert trial(world)["balanced"] is True


def test_a_step_that_fails_while_undoing_undoes_on_its_retry(world, programs, monkeypatch):
    # PayCounterparty is retried by the state machine: a failure after the money moved but before
    # the transfer is marked done must leave the undoing to the retry, not skip it.
    affiliate, contract = affiliate_also_prescribing(programs)
    ports = world.ports
    started, _ = payment_runs._start(ports, LEASER_ADMIN, from_global_id(world.publisher)[1], ports.clock(), None, None)
    payment_runs.plan_run(ports, started.id)
    cancel(programs, contract, affiliate)
    add, failures = ports.payouts.add, []

    def failing_once(payout, *args, **kwargs):
        if payout.kind.value == "CHARGE_REFUND" and not failures:
            failures.append(payout.id)
            raise RuntimeError("DynamoDB went away")
        return add(payout, *args, **kwargs)

    monkeypatch.setattr(ports.payouts, "add", failing_once)
    with pytest.raises(RuntimeError):
        payment_runs.pay_counterparty(ports, started.id, from_global_id(affiliate)[1])
    payment_runs.pay_counterparty(ports, started.id, from_global_id(affiliate)[1])  # the retry

    assert failures and [p["amount"] for p in programs.payouts_of(contract, "CHARGE_REFUND")] == [{"amount": "1200.00"}]
    assert trial(world)["balanced"] is True
