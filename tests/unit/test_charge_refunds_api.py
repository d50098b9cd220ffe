"""A cancelled sale's money goes back both ways (DESIGN 4: a cancelled sale does not count).

A commission it paid is clawed back (test_programs_api.py); a partner charge the affiliate
settled is refunded (CHARGE_REFUND, the publisher pays it back), and what is still owed of
either is owed no more, whether a run held it or not. Through the GraphQL API, on the fakes
and on DynamoDB Local.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.domain.contract_status import ContractStatus
from channelfin.services import financing_workflow as steps
from channelfin.services import payment_runs
from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.financing_flow import FinancingFlow
from tests.program_flow import ProgramFlow
from tests.unit.test_payments_api import _payouts_of_payer, balances, run, statement, trial

pytestmark = pytest.mark.ports("fake", "dynamodb")


@pytest.fixture
def programs(world) -> ProgramFlow:
    flow = ProgramFlow(world)
    flow.create_program(LEASER_ADMIN, tierRules=[{"tier": "PRESCRIBER", "rate": "0.20"}])  # above 0.15
    return flow


def financed_affiliate_sale(programs: ProgramFlow) -> tuple[str, str]:
    """An affiliate's financed contract (it holds it: year 1's charge of 3,000.00 due now, years 2
    and 3 later), its sale contract signed, the lease not running yet: (the affiliate, the contract)."""
    world = programs.world
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="0.00")
    affiliate = programs.partners["AFFILIATE"]
    signed = world.run(
        LEASER_ADMIN,
        ops.SIGN_AGREEMENT,
        input={"partnerId": affiliate, "leaserId": world.leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )
    agreement = signed.data["signFinancingAgreement"]["agreement"]["id"]
    contract = programs.attributed_contract("AFFILIATE", owner=affiliate, startDate="2026-10-01")["contract"]["id"]
    flow = FinancingFlow(world)
    requested = flow.request(contract, who=world.user_of(affiliate, "partner-admin"), agreement=agreement)
    assert requested["userErrors"] == []
    flow.step(steps.send_for_signature, contract, "t-sign")
    assert flow.sign(contract, "SALE_CONTRACT")["userErrors"] == []
    return affiliate, contract


def affiliate_also_prescribing(programs: ProgramFlow) -> tuple[str, str]:
    """`financed_affiliate_sale`, its affiliate also bringing the publisher a deal as a prescriber
    (a commission of 1,200.00, which a run of the publisher sets off against year 1's charge)."""
    affiliate, held = financed_affiliate_sale(programs)
    programs.enroll("PRESCRIBER", partner=affiliate)
    programs.sell("PRESCRIBER")
    return affiliate, held


def expire(programs: ProgramFlow, contract: str) -> None:
    """The financing file expires before the lease ran (the workflow's Expire step): the sale ends."""
    steps.expire(programs.world.ports, from_global_id(contract)[1], "SIGNATURES")
    assert programs.world.ports.contracts.get(from_global_id(contract)[1]).status is ContractStatus.EXPIRED


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

    expire(programs, contract)

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
    expire(programs, contract)  # asked again: nothing more is given back
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
    expire(programs, contract)
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
    expire(programs, contract)
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


def test_the_statement_counts_what_was_settled_of_a_cancelled_charge(world, programs):
    # The charge, 1,200.00 of it set off, is cancelled and that part refunded: the commission of
    # 1,200.00 stands, the charge is wholly undone. Dropping the cancelled line made the net 2,400.00.
    affiliate, contract = affiliate_also_prescribing(programs)
    run(world, programs.publisher_admin, world.publisher)
    expire(programs, contract)
    sheet = statement(world, affiliate)
    assert (sheet["earned"], sheet["charged"], sheet["net"]) == (
        {"amount": "2400.00"},  # the commission and the refund
        {"amount": "1200.00"},  # what was settled of the charge
        {"amount": "1200.00"},
    )
    assert balances(world, affiliate)[world.publisher]["net"] == sheet["net"]["amount"]


@pytest.mark.ports("fake")  # the clock moves on 400 days: the fakes' clock, DynamoDB Local's is the machine's
def test_a_charge_of_a_year_the_contract_ran_stays_and_later_years_go(world, programs):
    # A sale without financing runs from its signature (ACTIVE). The affiliate pays year 1, runs
    # the contract 400 days, pays year 2, then cancels: it held the contract and collected those
    # two years, so their charges stay paid; year 3, not begun, is owed no more.
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="0.00")
    affiliate = programs.partners["AFFILIATE"]
    contract = programs.sell("AFFILIATE", owner=affiliate, startDate="2026-10-01")
    admin = world.user_of(affiliate, "partner-admin")
    assert run(world, admin, affiliate)["run"]["paid"] == {"amount": "3000.00"}
    world.ports.clock.now += timedelta(days=400)
    assert run(world, admin, affiliate)["run"]["paid"] == {"amount": "3000.00"}

    cancel(programs, contract, affiliate)

    assert charges(programs, contract) == [("PAID", None), ("PAID", None), ("CANCELLED", None)]
    assert programs.payouts_of(contract, "CHARGE_REFUND") == []
    assert trial(world)["balanced"] is True


def test_a_payout_the_index_still_shows_held_is_read_again_before_it_is_left_to_the_run(world, programs):
    # The run let go of the commission (paid it); the cancellation lists the contract's payouts from
    # an index that may lag and sees it held. Left to the run, it would never be clawed back: the
    # run had already looked at the contract, not yet cancelled.
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    sale = programs.sell("PRESCRIBER")
    ports = world.ports
    commission = ports.payouts.get(f"commission-{from_global_id(sale)[1]}")
    assert commission is not None
    run(world, programs.publisher_admin, world.publisher)
    lagging = replace(commission, run_id="run-being-recorded")  # as the index showed it a moment ago
    from channelfin.services import programs as program_service

    real_find = ports.payouts.find
    ports.payouts.find = lambda **kw: (
        (p := real_find(**kw))
        and replace(  # type: ignore[method-assign]
            p, items=[lagging if i.id == commission.id else i for i in p.items]
        )
    )
    contract = ports.contracts.get(from_global_id(sale)[1])
    assert contract is not None
    cancelled = contract.moved_to(ContractStatus.CANCELLED, at=ports.clock(), actor="test", note="client left")
    program_service.undo_sale(ports, cancelled)

    (clawback,) = programs.payouts_of(sale, "CLAWBACK")
    assert clawback["amount"] == {"amount": "1200.00"}


def test_a_payout_that_keeps_changing_fails_the_undo_rather_than_half_doing_it(world, programs, monkeypatch):
    # After its write attempts the undo stops with a Conflict (the step or request is retried),
    # instead of giving back what was settled so far while the rest stays owed.
    from channelfin.domain.errors import Conflict
    from channelfin.services import programs as program_service

    affiliate, contract = affiliate_also_prescribing(programs)
    run(world, programs.publisher_admin, world.publisher)
    ports = world.ports

    def always_moved(*args, **kwargs):
        raise Conflict("changed by others")

    monkeypatch.setattr(ports.payouts, "save", always_moved)
    ended = ports.contracts.get(from_global_id(contract)[1])
    assert ended is not None
    ended = ended.moved_to(ContractStatus.EXPIRED, at=ports.clock(), actor="test")
    with pytest.raises(Conflict):
        program_service.undo_sale(ports, ended)
    assert programs.payouts_of(contract, "CHARGE_REFUND") == []
