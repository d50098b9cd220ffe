"""Use cases of payment runs: a payer pays what it owes, net of what it is owed (DESIGN 4, issue 16).

`run_payments` records the run (its id is the payer and `upTo`, so asking twice finds the
first) and starts the `payments` state machine; its steps are the functions below, each
safe to run again:
- `plan_run` holds every open payout the payer owes up to `upTo` (and, for each
  counterparty, what that counterparty owes the payer by then) and records one transfer per
  counterparty: held payouts are the run's, a concurrent run skips them;
- `pay_counterparty` fixes the netting plan first, then transfers the net amount through the
  payments port under the transfer's id (a retry pays once), then records every payout's
  change with its ledger entries, group by group (a group already recorded is skipped);
- `mark_transfer_failed` leaves the payer's payouts FAILED (still owed) when the transfer
  failed after its retries; `finish_run` counts; `fail_run` releases what a broken run held.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.error_codes import PaymentCode
from channelfin.domain.errors import Conflict, NotFound, ValidationError
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payment_runs import (
    Netting,
    PaymentRun,
    RunStatus,
    Transfer,
    TransferStatus,
    check_up_to,
    net,
    run_id,
)
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
from channelfin.services.clawbacks import undo_released
from channelfin.services.lanes import run_on_lanes
from channelfin.services.payment_run_recording import MAX_GROUP_PAYOUTS, check_recordable, record_netting, touched
from channelfin.services.ports import Ports, TransferFailed
from channelfin.services.retry import backoff

STEP_ACTOR = "workflow:payments"


# ---------------------------------------------------------------- asking for a run


def _require_payer_agent(ports: Ports, principal: Principal, payer_id: str) -> None:
    """Treasury for the leaser's payouts; a partner's own partner-admin for its own (leaser-admin: any)."""
    require(principal, Role.TREASURY, Role.LEASER_ADMIN, Role.PARTNER_ADMIN, action="runPayments")
    payer = ports.partners.get(payer_id)
    if payer is None:
        raise NotFound("no such partner", field=["payerId"])
    if principal.has_any(Role.LEASER_ADMIN):
        return
    if principal.has_any(Role.TREASURY) and payer.has_role(PartnerRole.LEASER):
        return
    if principal.has_any(Role.PARTNER_ADMIN) and principal.acts_for(payer_id):
        return
    raise ValidationError(
        "a run pays for its payer: treasury for a leaser, a partner's own partner-admin for that partner",
        code=PaymentCode.NOT_ACTING_FOR_PAYER,
        field=["payerId"],
    )


def run_payments(
    ports: Ports,
    principal: Principal,
    *,
    payer_id: str,
    up_to: datetime,
    kinds: frozenset[PayoutKind] | None = None,
    program_id: str | None = None,
) -> PaymentRun:
    """Start the run of `payer_id` up to `up_to` on the payments state machine (or find it started)."""
    run, created = _start(ports, principal, payer_id, up_to, kinds, program_id)
    if created:
        ports.payment_workflows.start(f"payments-{run.id}", {"runId": run.id})
    return ports.payment_runs.get(run.id) or run  # as it stands now (it may be done already)


def run_payments_inline(
    ports: Ports,
    principal: Principal,
    *,
    payer_id: str,
    up_to: datetime,
    kinds: frozenset[PayoutKind] | None = None,
    program_id: str | None = None,
) -> tuple[PaymentRun, bool]:
    """The run's steps executed in this process (settlements): (the run, whether this call executed it).

    Only the call that started the run executes it, so identical concurrent calls do not run the
    same steps side by side; a run left RUNNING by a process that died (no claim for
    `INLINE_RUN_LEASE`) is taken over by the next call that claims it.
    """
    run, created = _start(ports, principal, payer_id, up_to, kinds, program_id)
    now = ports.clock()
    if not created and not (run.executor_gone(now, INLINE_RUN_LEASE) and ports.payment_runs.claim(run, now)):
        return run, False
    execute_inline(ports, run.id)
    return ports.payment_runs.get(run.id) or run, True


def _start(
    ports: Ports,
    principal: Principal,
    payer_id: str,
    up_to: datetime,
    kinds: frozenset[PayoutKind] | None,
    program_id: str | None,
) -> tuple[PaymentRun, bool]:
    _require_payer_agent(ports, principal, payer_id)
    now = ports.clock()
    check_up_to(up_to, now)
    run = PaymentRun(
        id=run_id(payer_id, up_to, kinds, program_id),
        payer_id=payer_id,
        up_to=up_to,
        requested_by=principal.sub,
        started_at=now,
        kinds=kinds,
        program_id=program_id,
    )
    return ports.payment_runs.start(run)


# Longer than any process executing a run inline lives (a Lambda invocation: 15 minutes at most).
INLINE_RUN_LEASE = timedelta(minutes=20)
INLINE_TRANSFER_ATTEMPTS = 3
# Counterparties paid at once, as the definition's Map state (`MaxConcurrency`) does. Their
# payouts, transfers and entries are disjoint, so they never contend; each mostly waits on
# DynamoDB and the bank. On DynamoDB Local, 1,000 payouts to 100 counterparties took 24 s one
# counterparty after another.
INLINE_CONCURRENCY = 10


def execute_inline(ports: Ports, run_id_: str) -> None:
    """The state machine's path, run in this process: plan, pay the counterparties (several at
    once; a failing transfer retried with backoff, then FAILED), finish.

    A step that breaks stops the counterparties not begun, lets those under way finish (as the
    Map state does), then fails the run, which releases what is still held.
    """
    try:
        planned = plan_run(ports, run_id_)
        run_on_lanes(
            [partial(_pay_with_retries, ports, run_id_, c) for c in planned["counterparties"]], INLINE_CONCURRENCY
        )
        finish_run(ports, run_id_)
    except Exception as exc:
        fail_run(ports, run_id_, repr(exc))
        raise


def _pay_with_retries(ports: Ports, run_id_: str, counterparty: str) -> None:
    for attempt in range(INLINE_TRANSFER_ATTEMPTS):
        backoff(attempt)
        try:
            pay_counterparty(ports, run_id_, counterparty)
            return
        except TransferFailed as exc:
            if attempt == INLINE_TRANSFER_ATTEMPTS - 1:
                mark_transfer_failed(ports, run_id_, counterparty, str(exc))


# ---------------------------------------------------------------- the steps


def _run(ports: Ports, run_id_: str) -> PaymentRun:
    run = ports.payment_runs.get(run_id_)
    if run is None:
        raise NotFound(f"no payment run {run_id_}")
    return run


def plan_run(ports: Ports, run_id_: str) -> dict[str, list[str]]:
    """Hold what the run pays and what each counterparty owes back; one transfer per counterparty."""
    run = _run(ports, run_id_)
    if run.counterparties or run.status is not RunStatus.RUNNING:
        return {"counterparties": list(run.counterparties)}
    owed_by = defaultdict(list)
    for payout in ports.payouts.open_owed_by(run.payer_id, run.up_to):
        if run.pays(payout) and (payout.run_id in (None, run.id)):
            owed_by[payout.beneficiary_id].append(payout)
    counterparties = sorted(owed_by)
    wanted = [
        payout
        for counterparty in counterparties
        for payout in (
            *owed_by[counterparty],
            *(p for p in ports.payouts.open_owed_by(counterparty, run.up_to) if p.beneficiary_id == run.payer_id),
        )
    ]
    held: dict[str, list[str]] = defaultdict(list)
    for payout in ports.payouts.hold(wanted, run.id):
        held[payout.beneficiary_id if payout.payer_id == run.payer_id else payout.payer_id].append(payout.id)
    for counterparty in counterparties:
        transfer = Transfer(run.id, counterparty, tuple(held[counterparty]), currency=run.paid.currency)
        with contextlib.suppress(Conflict):  # a retried step: planned already
            ports.payment_runs.add_transfer(transfer)
    ports.payment_runs.save(run.planned(counterparties), expected=RunStatus.RUNNING)
    return {"counterparties": counterparties}


def _netting(run: PaymentRun, transfer: Transfer, held: dict[str, Payout]) -> Netting:
    owed_by = [p for p in held.values() if p.payer_id == run.payer_id and p.is_open]
    owed_to = [p for p in held.values() if p.beneficiary_id == run.payer_id and p.is_open]
    return net(owed_by, owed_to, transfer.currency, max_group=MAX_GROUP_PAYOUTS)


def pay_counterparty(ports: Ports, run_id_: str, counterparty_id: str) -> dict[str, Any]:
    """Plan, transfer the net amount once, then record every change with its entries.

    `TransferFailed` propagates: the definition retries the step with backoff, then marks it failed.
    """
    run = _run(ports, run_id_)
    transfer = ports.payment_runs.get_transfer(run.id, counterparty_id)
    if transfer is None:
        raise NotFound(f"no transfer for {counterparty_id} in run {run.id}")
    if transfer.done:
        return {"status": transfer.status.value}
    if run.status is not RunStatus.RUNNING and transfer.requested_at is None:
        # A failed run's transfer never asked: FailRun released (or is releasing) its payouts.
        raise Conflict(f"run {run.id} is {run.status.value}: its transfer to {counterparty_id} is not paid")
    held = ports.payouts.get_many(transfer.payout_ids)
    if transfer.netting is None:
        planned = Transfer(**{**_fields(transfer), "netting": _netting(run, transfer, held)})
        ports.payment_runs.save_transfer(planned, expected=transfer)
        transfer = planned
    netting = transfer.netting
    assert netting is not None
    now = ports.clock()
    check_recordable(run, transfer, netting, held, now)  # before any money moves
    reference = transfer.reference  # set: an earlier attempt transferred, and the books did not follow
    if reference is None and netting.transfer_total.amount > 0:
        if transfer.requested_at is None:
            # Kept before the bank is asked: from here on the money may move, and a run failing
            # (a timeout in the call, a lost answer) must not release these payouts to a later run,
            # which would pay them again under its own id (fail_run asks the bank again, same id).
            asking = Transfer(**{**_fields(transfer), "requested_at": now})
            ports.payment_runs.save_transfer(asking, expected=transfer)
            transfer = asking
        reference = ports.payments.transfer_net(
            transfer.id, payer_id=run.payer_id, beneficiary_id=counterparty_id, amount=netting.transfer_total
        )
        paying = Transfer(**{**_fields(transfer), "reference": reference})
        ports.payment_runs.save_transfer(paying, expected=transfer)
        transfer = paying
    paid_count = record_netting(ports, run, transfer, netting, held, now, reference or f"offset:{run.id}")
    for payout in held.values():
        if payout.id not in touched(netting):
            ports.payouts.release(payout, run.id)
    # Before the transfer is marked done, so a retried step still undoes what it must.
    undo_released(ports, held.values())
    done = Transfer(
        **{
            **_fields(transfer),
            "status": TransferStatus.PAID if reference else TransferStatus.NETTED,
            "amount": netting.transfer_total,
            "netted": netting.offset_total,
            "paid_count": paid_count,
            "reference": reference,
            "at": now,
        }
    )
    ports.payment_runs.save_transfer(done, expected=transfer)
    if run.status is RunStatus.FAILED:  # finished after its run failed (FailRun, or an operator)
        ports.payment_runs.save(run.counted(ports.payment_runs.all_transfers(run.id)), expected=run.status)
    return {"status": done.status.value}


def _fields(transfer: Transfer) -> dict[str, Any]:
    return {name: getattr(transfer, name) for name in transfer.__dataclass_fields__}


def mark_transfer_failed(ports: Ports, run_id_: str, counterparty_id: str, cause: str) -> dict[str, Any]:
    """The transfer failed after its retries: the payer's payouts are FAILED (still owed), nothing set off."""
    run = _run(ports, run_id_)
    transfer = ports.payment_runs.get_transfer(run.id, counterparty_id)
    if transfer is None or transfer.done:
        return {"status": transfer.status.value if transfer else "UNKNOWN"}
    if transfer.reference is not None:  # a copy of the step got the bank's answer: the money moved
        return {"status": transfer.status.value}
    now = ports.clock()
    held = ports.payouts.get_many(transfer.payout_ids).values()
    for payout in held:
        if payout.payer_id == run.payer_id and payout.status is PayoutStatus.SCHEDULED and payout.run_id == run.id:
            failed = payout.failed(cause[:500] or "transfer failed")
            try:
                ports.payouts.save(failed, before=payout, at=now)
            except Conflict:
                continue
            ports.metrics.count("PayoutFailed", kind=payout.kind.value)
        else:
            ports.payouts.release(payout, run.id)
    failed_transfer = Transfer(
        **{**_fields(transfer), "status": TransferStatus.FAILED, "failure_reason": cause[:500], "at": now}
    )
    undo_released(ports, held)
    ports.payment_runs.save_transfer(failed_transfer, expected=transfer)
    return {"status": TransferStatus.FAILED.value}


def finish_run(ports: Ports, run_id_: str) -> dict[str, Any]:
    run = _run(ports, run_id_)
    if run.status is not RunStatus.RUNNING:
        return {"status": run.status.value}
    finished = run.finished(ports.payment_runs.all_transfers(run.id), ports.clock())
    ports.payment_runs.save(finished, expected=RunStatus.RUNNING)
    if finished.failed_count:
        ports.metrics.count("PaymentRunTransfersFailed")
    return {"status": finished.status.value}


def _finish_asked_transfer(ports: Ports, run: PaymentRun, transfer: Transfer) -> None:
    """A transfer the bank was asked for and whose books did not follow (the step failed after
    asking): the bank asked again under the same id and the books recorded, or, refused, its
    payouts FAILED and released as after a refused transfer. If that fails too, they stay held by
    the failed run, never paid again, counted for an operator (PayCounterparty asked again for the
    run finishes it)."""
    try:
        pay_counterparty(ports, run.id, transfer.counterparty_id)
    except TransferFailed as exc:  # the bank refused it: no money moved
        mark_transfer_failed(ports, run.id, transfer.counterparty_id, str(exc))
    except Exception:  # whatever failed the step may fail it again; releasing would pay twice
        ports.metrics.count("PaymentRunTransferUnrecorded")
        # What the attempt let go of (recorded, released) is undone if its sale ended meanwhile;
        # what it still holds stays held. The store may be what fails: the run must still end.
        with contextlib.suppress(Exception):
            undo_released(ports, ports.payouts.get_many(transfer.payout_ids, consistent=True).values())


def fail_run(ports: Ports, run_id_: str, cause: str) -> dict[str, Any]:
    """The run could not complete: FAILED, and every payout it still holds released for a later run."""
    run = _run(ports, run_id_)
    if run.status is not RunStatus.RUNNING:
        return {"status": run.status.value}
    asked = []
    for transfer in ports.payment_runs.all_transfers(run.id):
        if transfer.status is TransferStatus.PENDING:
            if transfer.requested_at is not None or transfer.reference is not None:
                asked.append(transfer)  # after the others: its bank call may fail again
                continue
            # Closed first, on the condition that the bank was never asked: a copy of the step still
            # running can then no longer ask it (its note would conflict), nor can an operator.
            closed = Transfer(
                **{**_fields(transfer), "status": TransferStatus.FAILED, "failure_reason": f"run failed: {cause}"[:500]}
            )
            ports.payment_runs.save_transfer(closed, expected=transfer)
        elif transfer.status is not TransferStatus.FAILED:
            continue  # paid or netted: recorded, nothing held
        # A FAILED transfer's payouts are released again (a no-op once done): a retried FailRun
        # finds the transfers an earlier attempt closed, maybe before it released their payouts.
        held = ports.payouts.get_many(transfer.payout_ids).values()
        for payout in held:
            ports.payouts.release(payout, run.id)
        undo_released(ports, held)
    for transfer in asked:
        _finish_asked_transfer(ports, run, transfer)
    # Counted: what it paid before failing, and what FailRun finished, shows on the run.
    counted = run.counted(ports.payment_runs.all_transfers(run.id))
    ports.payment_runs.save(counted.failed(cause, ports.clock()), expected=RunStatus.RUNNING)
    ports.metrics.count("PaymentRunFailed")
    return {"status": RunStatus.FAILED.value}


# ---------------------------------------------------------------- the daily schedule


def start_due_runs(ports: Ports, *, payers: Callable[[], list[str]]) -> list[str]:
    """The schedule's job: a run up to now for every payer with something due (a Query per payer)."""
    now = ports.clock()
    started = []
    for payer_id in payers():
        if not ports.payouts.open_owed_by(payer_id, now):
            continue
        run = PaymentRun(
            id=run_id(payer_id, now), payer_id=payer_id, up_to=now, requested_by=STEP_ACTOR, started_at=now
        )
        run, created = ports.payment_runs.start(run)
        if created:
            ports.payment_workflows.start(f"payments-{run.id}", {"runId": run.id})
            started.append(run.id)
    return started
