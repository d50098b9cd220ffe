"""Clawbacks: a commission of a sale cancelled later is owed back by the partner (DESIGN 4)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.errors import Conflict
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus, clawback
from channelfin.services.ports import Ports

# A contract cancelled, or whose financing file expired (the workflow undoes the sale of both).
ENDED_WITHOUT_SALE = frozenset({ContractStatus.CANCELLED, ContractStatus.EXPIRED})


def claw_back_cancelled(ports: Ports, held: Iterable[Payout]) -> None:
    """After a payment run recorded the payouts it held: a commission it settled whose contract was
    cancelled or expired meanwhile (`undo_sale` found it held by the run and left it) is clawed back
    now. The contracts are read first; only the commissions of ended ones are read again, as recorded."""
    contract_of = {p.id: p.contract_id for p in held if p.kind is PayoutKind.COMMISSION and p.contract_id}
    if not contract_of:
        return
    contracts = ports.contracts.get_many(set(contract_of.values()))
    ended = [pid for pid, cid in contract_of.items() if (c := contracts.get(cid)) and c.status in ENDED_WITHOUT_SALE]
    if not ended:
        return
    now = ports.clock()
    for payout in ports.payouts.get_many(ended).values():
        claw_back(ports, payout, now)


def claw_back(ports: Ports, payout: Payout, now: datetime) -> None:
    """What a commission of a cancelled sale settled, owed back by the partner (once: its id is the contract's)."""
    if payout.kind is not PayoutKind.COMMISSION or not (payout.status is PayoutStatus.PAID or payout.settled):
        return
    settled = payout.amount if payout.status is PayoutStatus.PAID else payout.settled
    assert settled is not None
    with contextlib.suppress(Conflict):  # clawed back already
        ports.payouts.add(replace(clawback(payout, publisher_id=payout.payer_id, at=now), amount=settled))
