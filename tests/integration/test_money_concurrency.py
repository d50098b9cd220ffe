"""Money moves once when the same operation fires from eight threads at once, on DynamoDB Local.

Each test forces the worst interleaving it can: the threads start together and, where a
read-then-write race is possible, a barrier holds every thread between its read and its
write, so all eight act on the same stale state. DynamoDB's conditional writes must then
let exactly one effect through; the losers either see the winner's effect (and say so)
or get a `Conflict` that the caller, or the state machine's Retry, retries.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.domain.access import Role
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.errors import Conflict
from channelfin.domain.money import Money
from channelfin.domain.payment_runs import PaymentRun
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus, software_upfront_id, support_share_id
from channelfin.services import financing_workflow as steps
from channelfin.services import payment_runs
from channelfin.services.paging import PageRequest
from channelfin.services.ports import Ports
from tests import operations as ops
from tests.factories import principal
from tests.financing_flow import TREASURY, FinancingFlow
from tests.graphql_client import execute
from tests.program_flow import ProgramFlow

pytestmark = pytest.mark.integration

THREADS = 8
HOLD_TIMEOUT = 20  # seconds a barrier waits before it breaks (a thread that never arrives fails the test)
DEFINITION = Path(__file__).resolve().parents[2] / "infra" / "financing.asl.json"


# ---------------------------------------------------------------- instruments


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    error: Exception | None = None


def run_together(call: Callable[[int], Any], threads: int = THREADS) -> list[Outcome]:
    """`threads` callers released at once; each one's answer or exception."""
    start = threading.Barrier(threads, timeout=HOLD_TIMEOUT)

    def one(k: int) -> Outcome:
        start.wait()
        try:
            return Outcome(value=call(k))
        except Exception as exc:  # noqa: BLE001 - every exception is an outcome the test judges
            return Outcome(error=exc)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, range(threads)))


@dataclass
class WatchedPayouts:
    """The real payout repository, recording the writes DynamoDB accepted.

    `hold_before_add` holds every caller of `add` before its put, until all threads got there.
    """

    inner: Any
    hold_before_add: threading.Barrier | None = None
    saved: list[Payout] = field(default_factory=list)  # conditional writes that went through
    save_attempts: list[str] = field(default_factory=list)
    added: list[Payout] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def save(self, payout: Payout, *, before: Payout, at: datetime) -> None:
        with self.lock:
            self.save_attempts.append(payout.id)
        self.inner.save(payout, before=before, at=at)
        with self.lock:
            self.saved.append(payout)

    def settle(self, changes: list[tuple[Payout, Payout]], entries: list[Any]) -> None:
        with self.lock:
            self.save_attempts += [after.id for _, after in changes]
        self.inner.settle(changes, entries)
        with self.lock:
            self.saved += [after for _, after in changes]

    def add(self, payout: Payout) -> None:
        if self.hold_before_add is not None:
            self.hold_before_add.wait()
        self.inner.add(payout)
        with self.lock:
            self.added.append(payout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass
class HeldRuns:
    """The payment-run repository, holding every caller of `start` until all threads got there."""

    inner: Any
    hold: threading.Barrier

    def start(self, run: PaymentRun) -> tuple[PaymentRun, bool]:
        self.hold.wait()
        return self.inner.start(run)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass
class HeldBank:
    """The payments port, holding every transfer until all threads have asked for theirs."""

    inner: Any
    hold: threading.Barrier

    def transfer(self, payout: Payout) -> str:
        reference = self.inner.transfer(payout)
        self.hold.wait()
        return reference


def hold(threads: int = THREADS) -> threading.Barrier:
    return threading.Barrier(threads, timeout=HOLD_TIMEOUT)


def payouts_of(ports: Ports, contract_id: str) -> list[Payout]:
    return ports.payouts.find(contract_id=contract_id, beneficiary_id=None, page=PageRequest(first=50)).items


def retried_errors(step: str) -> set[str]:
    """The error names the financing definition retries for a Task."""
    definition = json.loads(DEFINITION.read_text())
    return {name for rule in definition["States"][step].get("Retry", []) for name in rule["ErrorEquals"]}


# ---------------------------------------------------------------- settleCommissions


@pytest.fixture
def programs(world) -> ProgramFlow:
    flow = ProgramFlow(world)
    flow.create_program()
    flow.enroll("PRESCRIBER", "PRESCRIBER")
    return flow


def _settle(ports: Ports, programs: ProgramFlow, up_to: datetime) -> dict[str, Any]:
    result = execute(
        ports,
        programs.publisher_admin,
        ops.SETTLE,
        input={"programId": programs.program, "upTo": up_to.isoformat()},
    )
    assert result.errors == [], result.errors
    payload = result.data["settleCommissions"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def test_eight_concurrent_settlements_pay_each_commission_exactly_once(programs):
    ports = programs.world.ports
    contracts = {FinancingFlow.local(programs.sell("PRESCRIBER")) for _ in range(3)}
    program_id = from_global_id(programs.program)[1]
    publisher = from_global_id(programs.world.publisher)[1]
    up_to = datetime.now(UTC)

    def commissions_open() -> list[Payout]:
        owed = ports.payouts.open_owed_by(publisher, up_to)
        return [p for p in owed if p.kind is PayoutKind.COMMISSION and p.program_id == program_id]

    scheduled = commissions_open()
    assert {p.contract_id for p in scheduled} == contracts
    assert [p.amount for p in scheduled] == [Money.of("900.00")] * 3
    owed = sum((p.amount for p in scheduled), Money.zero())

    # Every thread asks for the settlement's run at the same moment: one conditional put starts it.
    watched = WatchedPayouts(ports.payouts)
    racing = replace(ports, payouts=watched, payment_runs=HeldRuns(ports.payment_runs, hold()))
    outcomes = run_together(lambda _: _settle(racing, programs, up_to))

    assert [o.error for o in outcomes] == [None] * THREADS
    answers = [o.value for o in outcomes]
    settled = [from_global_id(p["id"])[1] for answer in answers for p in answer["settled"]]
    assert sorted(settled) == sorted(p.id for p in scheduled)  # each commission in one answer only
    assert {p["status"] for answer in answers for p in answer["settled"]} == {"PAID"}
    for answer in answers:  # each answer's total is what that call paid
        paid_here = sum((Money.of(p["amount"]["amount"]) for p in answer["settled"]), Money.zero())
        assert Money.of(answer["total"]["amount"]) == paid_here
    assert sum((Money.of(a["total"]["amount"]) for a in answers), Money.zero()) == owed == Money.of("2700.00")

    # One run, one transfer to the prescriber, each commission recorded PAID once.
    (run,) = ports.payment_runs.runs_of(publisher, PageRequest()).items
    (transfer,) = ports.payment_runs.all_transfers(run.id)
    assert transfer.amount == owed and sorted(transfer.payout_ids) == sorted(p.id for p in scheduled)
    paid = [p for p in watched.saved if p.status is PayoutStatus.PAID]
    assert Counter(p.id for p in paid) == {p.id: 1 for p in scheduled}
    for payout in scheduled:
        stored = ports.payouts.get(payout.id)
        assert stored is not None and stored.status is PayoutStatus.PAID and stored.run_id is None
        assert stored.transfer_reference == transfer.reference is not None

    assert commissions_open() == []
    ninth = _settle(ports, programs, datetime.now(UTC))
    assert ninth["settled"] == [] and ninth["total"] == {"amount": "0.00"}


def test_a_settlement_whose_process_died_is_taken_over_by_the_next_call(programs):
    """The call that started the run died before finishing it: the run stays RUNNING, its payouts
    held. Asked again after the lease, the settlement claims the run and pays them, once."""
    ports = programs.world.ports
    programs.sell("PRESCRIBER")
    publisher = from_global_id(programs.world.publisher)[1]
    program_id = from_global_id(programs.program)[1]
    up_to = datetime.now(UTC)
    run, created = payment_runs._start(
        ports, principal(Role.LEASER_ADMIN), publisher, up_to, frozenset({PayoutKind.COMMISSION}), program_id
    )
    payment_runs.plan_run(ports, run.id)  # ...then the process died
    (transfer,) = ports.payment_runs.all_transfers(run.id)
    (held,) = ports.payouts.get_many(transfer.payout_ids).values()
    assert created and held.run_id == run.id and held.status is PayoutStatus.SCHEDULED

    assert _settle(ports, programs, up_to)["settled"] == []  # within the lease: someone may be at it
    later = replace(ports, clock=lambda: ports.clock() + payment_runs.INLINE_RUN_LEASE + timedelta(minutes=1))
    taken_over = [_settle(later, programs, up_to) for _ in range(2)]
    assert [len(t["settled"]) for t in taken_over] == [1, 0]
    assert ports.payouts.get(held.id).status is PayoutStatus.PAID
    assert ports.payment_runs.get(run.id).status.value == "DONE"


# ---------------------------------------------------------------- the financing steps


@pytest.fixture
def flow(world) -> FinancingFlow:
    return FinancingFlow(world)


def transmitted_contract(flow: FinancingFlow) -> str:
    """A contract requested, signed and delivered, its file transmitted: AWAITING_PAYMENT (global id)."""
    contract = flow.new_contract()
    assert flow.request(contract)["contract"]["status"] == "APPROVED"
    local = flow.local(contract)
    flow.step(steps.send_for_signature, contract, f"sign-{local}")
    flow.sign_both(contract)
    flow.step(steps.await_delivery_report, contract, f"delivery-{local}")
    flow.deliver(contract)
    flow.step(steps.send_delivery_report, contract, f"report-{local}")
    flow.sign_delivery(contract)
    steps.transmit_file(flow.world.ports, local)
    assert flow.world.ports.contracts.get(local).status is ContractStatus.AWAITING_PAYMENT
    return contract


def test_eight_concurrent_upfront_payout_steps_create_one_software_upfront_payout(flow):
    ports = flow.world.ports
    contract = flow.local(transmitted_contract(flow))

    watched = WatchedPayouts(ports.payouts, hold_before_add=hold())  # all eight put at the same moment
    outcomes = run_together(lambda _: steps.create_upfront_payout(replace(ports, payouts=watched), contract))

    assert [o.error for o in outcomes] == [None] * THREADS
    assert [o.value for o in outcomes] == [{"payoutId": software_upfront_id(contract)}] * THREADS
    assert [p.id for p in watched.added] == [software_upfront_id(contract)]
    stored = payouts_of(ports, contract)
    assert [(p.id, p.kind, p.status) for p in stored] == [
        (software_upfront_id(contract), PayoutKind.SOFTWARE_UPFRONT, PayoutStatus.SCHEDULED)
    ]
    after = ports.contracts.get(contract)
    assert after.payout_ids == frozenset({software_upfront_id(contract)})
    assert after.status is ContractStatus.AWAITING_PAYMENT
    assert stored[0].amount == after.financing.upfront_payout


def test_a_disburse_step_run_eight_times_at_once_pays_once_and_the_losers_retry_into_paid(flow):
    ports = flow.world.ports
    contract = flow.local(transmitted_contract(flow))
    payout_id = steps.create_upfront_payout(ports, contract)["payoutId"]
    bank = ports.payments

    # Every run reads the SCHEDULED payout and asks the bank before any run records PAID.
    watched = WatchedPayouts(ports.payouts)
    racing = replace(ports, payouts=watched, payments=HeldBank(bank, hold()))
    outcomes = run_together(lambda _: steps.disburse(racing, payout_id))

    won = [o.value for o in outcomes if o.error is None]
    lost = [o.error for o in outcomes if o.error is not None]
    assert won == [{"payoutId": payout_id, "status": "PAID"}]
    assert len(lost) == THREADS - 1
    assert {type(e) for e in lost} == {Conflict} and {e.code for e in lost} == {"CONFLICT"}
    assert {type(e).__name__ for e in lost} <= retried_errors("Disburse")  # the definition retries them

    # Each loser's retry finds the payout PAID and neither transfers nor writes again.
    retries = [steps.disburse(replace(ports, payouts=watched), payout_id) for _ in lost]
    assert retries == [{"payoutId": payout_id, "status": "PAID"}] * len(lost)

    # The bank was asked by every racing run, always for that one payout: it dedups by payout id.
    assert set(bank.attempts) == {payout_id} and len(bank.attempts) == THREADS
    assert len(watched.save_attempts) == THREADS  # eight conditional puts tried...
    assert [(p.id, p.status) for p in watched.saved] == [(payout_id, PayoutStatus.PAID)]  # ...one accepted
    stored = ports.payouts.get(payout_id)
    assert stored.status is PayoutStatus.PAID
    assert stored.paid_at == watched.saved[0].paid_at and stored.transfer_reference == f"ref-{payout_id}"
    assert ("PayoutFailed", {"kind": "SOFTWARE_UPFRONT"}) not in ports.metrics.counts
    assert [p.id for p in payouts_of(ports, contract)] == [payout_id]


# ---------------------------------------------------------------- recordInstallmentCollected


def active_contract(flow: FinancingFlow) -> str:
    contract = transmitted_contract(flow)
    ports, local = flow.world.ports, flow.local(contract)
    steps.disburse(ports, steps.create_upfront_payout(ports, local)["payoutId"])
    steps.activate(ports, local)
    assert flow.read(contract)["status"] == "ACTIVE"
    return contract


def test_the_same_installment_recorded_eight_times_at_once_schedules_one_support_share(flow):
    ports = flow.world.ports
    contract = active_contract(flow)
    local = flow.local(contract)

    watched = WatchedPayouts(ports.payouts, hold_before_add=hold())  # all eight put the payout at once
    racing = replace(ports, payouts=watched)

    def collect(_: int) -> dict[str, Any]:
        result = execute(racing, TREASURY, ops.RECORD_INSTALLMENT, input={"contractId": contract, "installment": 1})
        assert result.errors == [], result.errors
        return result.data["recordInstallmentCollected"]

    outcomes = run_together(collect)

    assert [o.error for o in outcomes] == [None] * THREADS
    answers = [o.value for o in outcomes]
    assert [a["userErrors"] for a in answers] == [[]] * THREADS
    expected = support_share_id(local, 1)
    assert {from_global_id(a["payout"]["id"])[1] for a in answers} == {expected}  # every answer names it
    assert {(a["payout"]["kind"], a["payout"]["installment"]) for a in answers} == {("SUPPORT_SHARE", 1)}
    assert [a["contract"]["collectedInstallments"] for a in answers] == [[1]] * THREADS

    assert [p.id for p in watched.added] == [expected]
    shares = [p for p in payouts_of(ports, local) if p.kind is PayoutKind.SUPPORT_SHARE]
    assert [(p.id, p.installment, p.amount, p.status) for p in shares] == [
        (expected, 1, Money.of("150.00"), PayoutStatus.SCHEDULED)
    ]
    after = ports.contracts.get(local)
    assert after.collected_installments == (1,) and after.status is ContractStatus.ACTIVE
    assert after.payout_ids == frozenset({software_upfront_id(local), expected})


def test_eight_installments_recorded_at_once_are_all_collected_with_their_support_shares(flow):
    """Each call adds a payout (moving the contract's version) then updates the contract: 16 writes on one
    item race, and none may end with a payout whose installment the contract does not show."""
    ports = flow.world.ports
    contract = active_contract(flow)
    local = flow.local(contract)

    def collect(k: int) -> dict[str, Any]:
        result = execute(ports, TREASURY, ops.RECORD_INSTALLMENT, input={"contractId": contract, "installment": k + 1})
        assert result.errors == [], result.errors
        return result.data["recordInstallmentCollected"]

    outcomes = run_together(collect)

    assert [o.error for o in outcomes] == [None] * THREADS
    assert [o.value["userErrors"] for o in outcomes] == [[]] * THREADS
    after = ports.contracts.get(local)
    assert sorted(after.collected_installments) == list(range(1, THREADS + 1))
    shares = sorted(p.installment for p in payouts_of(ports, local) if p.kind is PayoutKind.SUPPORT_SHARE)
    assert shares == list(range(1, THREADS + 1))
