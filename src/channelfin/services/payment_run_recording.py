"""Recording a counterparty's netting plan: payouts changed with their ledger entries, group by group.

A group (payouts set off against each other, their entries) is recorded whole, in one transaction
with as many other groups as fit: a transaction is all or nothing, so a retry skips whole groups.
A recorded group's payouts are no longer held by the run (the run held them, so nobody else
released them): that is how a retried step knows what is done.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from channelfin.domain import ledger
from channelfin.domain.events import payout_event_copies
from channelfin.domain.ledger import Entry
from channelfin.domain.payment_runs import Netting, PaymentRun, Transfer
from channelfin.domain.payouts import Payout, PayoutStatus, journal
from channelfin.services.ports import Ports

MAX_GROUP_ITEMS = 100
# A group of n payouts set off in a chain writes n payouts, 2 entries per set-off (n - 1) and per
# transfer (one payout of the group at most: where it was cut), and up to 2 event copies per
# payout: 5n items at most (a full group is recorded in tests/unit/test_inline_payment_run.py).
MAX_GROUP_PAYOUTS = MAX_GROUP_ITEMS // 5


def touched(netting: Netting) -> set[str]:
    ids = {pid for pid, _ in netting.transfers}
    for o in netting.offsets:
        ids |= {o.owed_by_payer, o.owed_to_payer}
    return ids


def _groups(netting: Netting) -> list[set[str]]:
    """Payouts recorded together: those set off against each other (and what they touch), linked."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pid in touched(netting):
        find(pid)
    for o in netting.offsets:
        parent[find(o.owed_by_payer)] = find(o.owed_to_payer)
    groups: dict[str, set[str]] = defaultdict(set)
    for pid in parent:
        groups[find(pid)].add(pid)
    return sorted(groups.values(), key=lambda g: sorted(g))


def check_recordable(
    run: PaymentRun, transfer: Transfer, netting: Netting, held: dict[str, Payout], at: datetime
) -> None:
    """Refuse a plan with a group too large for one transaction, before any money moves."""
    for group in _groups(netting):
        if _recorded(run, group, held):
            continue
        changes, entries = _group_changes(run, netting, group, held, at, reference="check")
        if _items(changes, entries) > MAX_GROUP_ITEMS:
            raise ValueError(f"transfer {transfer.id}: a group of {len(changes)} payouts is too large to record")


def record_netting(
    ports: Ports,
    run: PaymentRun,
    transfer: Transfer,
    netting: Netting,
    held: dict[str, Payout],
    at: datetime,
    reference: str,
) -> int:
    """Record the plan, groups packed into transactions; a group recorded by an earlier attempt is skipped.

    `held` is the payouts as they are now: those of a group not recorded yet are as planned (held).
    """
    paid_count = 0
    batch: tuple[list[tuple[Payout, Payout]], list[Entry]] = ([], [])
    for group in _groups(netting):
        if _recorded(run, group, held):
            paid_count += sum(1 for p in group if _counts(run, held[p]))
            continue  # recorded by an earlier attempt of this step
        changes, entries = _group_changes(run, netting, group, held, at, reference)
        if _items(changes, entries) > MAX_GROUP_ITEMS:
            raise ValueError(f"transfer {transfer.id}: a group of {len(changes)} payouts is too large to record")
        if _items(batch[0], batch[1]) + _items(changes, entries) > MAX_GROUP_ITEMS:
            ports.payouts.settle(*batch)
            batch = ([], [])
        batch[0].extend(changes)
        batch[1].extend(entries)
        paid_count += sum(1 for _, after in changes if _counts(run, after))
    if batch[0]:
        ports.payouts.settle(*batch)
    return paid_count


def _recorded(run: PaymentRun, group: set[str], held: dict[str, Payout]) -> bool:
    return all(held[p].run_id != run.id for p in group)


def _items(changes: list[tuple[Payout, Payout]], entries: list[Entry]) -> int:
    """The items a transaction of these writes: payouts, their entries and their events (the outbox)."""
    return len(changes) + len(entries) + payout_event_copies(changes)


def _counts(run: PaymentRun, payout: Payout) -> bool:
    return payout.payer_id == run.payer_id and payout.status is PayoutStatus.PAID


def _group_changes(
    run: PaymentRun,
    netting: Netting,
    group: set[str],
    held: dict[str, Payout],
    at: datetime,
    reference: str,
) -> tuple[list[tuple[Payout, Payout]], list[Entry]]:
    state = {pid: held[pid] for pid in group}
    entries: list[Entry] = []
    for o in netting.offsets:
        if o.owed_by_payer not in group:
            continue
        by, to = state[o.owed_by_payer], state[o.owed_to_payer]
        entries += ledger.offset(
            by.obligation(),
            to.obligation(),
            o.amount.to_cents(),
            at,
            run_id=run.id,
            by_failed=by.status is PayoutStatus.FAILED,
            to_failed=to.status is PayoutStatus.FAILED,
        )
        state[by.id] = by.offset(o.amount, at=at, reference=f"offset:{run.id}")
        state[to.id] = to.offset(o.amount, at=at, reference=f"offset:{run.id}")
    for pid, _amount in netting.transfers:
        if pid in group:
            before = state[pid]
            state[pid] = before.paid(at=at, reference=reference)
            entries += journal(before, state[pid], at, run_id=run.id)
    changes = [(held[pid], _released(state[pid])) for pid in sorted(group)]
    return changes, entries


def _released(payout: Payout) -> Payout:
    """A payout the run settled in full is no longer held; one still partly owed is released too."""
    return payout.held_by(None)
