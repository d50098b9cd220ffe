"""What payment runs show: a run and its transfers to those who may see them, a payer's runs,
and what a run paid. (The runs themselves: payment_runs.py.)"""

from __future__ import annotations

from channelfin.domain.access import Principal
from channelfin.domain.payment_runs import PaymentRun, Transfer
from channelfin.domain.payouts import Payout, PayoutStatus
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports


def visible_run(ports: Ports, principal: Principal, run_id_: str) -> PaymentRun | None:
    run = ports.payment_runs.get(run_id_)
    if run is None or not principal.can_see_partner(run.payer_id):
        return None
    return run


def run_transfers(ports: Ports, principal: Principal, run_id_: str, page: PageRequest) -> Page[Transfer]:
    run = visible_run(ports, principal, run_id_)
    return ports.payment_runs.transfers(run.id, page) if run else Page(items=[])


def list_runs(ports: Ports, principal: Principal, payer_id: str, page: PageRequest) -> Page[PaymentRun]:
    """A payer's runs, newest first: its own users and leaser staff."""
    if not principal.can_see_partner(payer_id):
        return Page(items=[])
    return ports.payment_runs.runs_of(payer_id, page)


def paid_in_run(ports: Ports, run: PaymentRun) -> list[Payout]:
    """The payer's payouts this run settled in full (by its transfer or by set-off)."""
    ids = [pid for t in ports.payment_runs.all_transfers(run.id) if t.done for pid in t.payout_ids]
    found = ports.payouts.get_many(ids)
    settled = [p for p in found.values() if p.payer_id == run.payer_id and p.status is PayoutStatus.PAID]
    return sorted(settled, key=lambda p: (p.value_date, p.id))
