"""Undoing a cancelled sale's money (DESIGN 4: a cancelled sale does not count).

What is still owed of its commission and its partner charges is owed no more; what was settled
goes back: a commission is clawed back (the partner owes it to the publisher), a charge refunded
(the publisher owes it back to the affiliate). Each is set off or paid in a later payment run of
that pair. A partner charge of a year the contract ran stays as it is: the affiliate held the
contract and collected that year (domain.payouts.undone_with_sale).

A payout a payment run holds is the run's until the run lets go of it (`undo_released`). The
two sides each write, then read the other's state with strongly consistent reads: the run
releases its payouts then reads the contracts; a cancellation ends the contract then reads its
payouts (programs.undo_sale). Whichever comes second sees the first's write and undoes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract
from channelfin.domain.errors import Conflict
from channelfin.domain.payouts import REVERSED_KINDS, Payout, reversal, undone_with_sale
from channelfin.services.ports import Ports
from channelfin.services.retry import MAX_WRITE_ATTEMPTS, backoff

# A contract cancelled, or whose financing file expired (the workflow undoes the sale of both).
ENDED_WITHOUT_SALE = frozenset({ContractStatus.CANCELLED, ContractStatus.EXPIRED})


def undo_payout(ports: Ports, payout: Payout, contract: Contract, now: datetime) -> None:
    """One payout of a cancelled sale, as a strongly consistent read found it: its open part
    cancelled, its settled part given back (once: the reversal's id is the payout's). Left alone
    while a run holds it (`undo_released` follows)."""
    ran_from, ended_at = _ran_and_ended(contract)
    if not undone_with_sale(payout, ran_from=ran_from, ended_at=ended_at):
        return
    for attempt in range(MAX_WRITE_ATTEMPTS):
        backoff(attempt)
        if payout.run_id is not None:
            return
        if not payout.is_open:
            break
        cancelled = payout.cancelled()  # after a refused transfer too (FAILED: still owed until now)
        try:
            ports.payouts.save(cancelled, before=payout, at=now)
        except Conflict:  # changed meanwhile: settled, or taken by a run
            payout = ports.payouts.get(payout.id, consistent=True) or payout
            continue
        payout = cancelled
        break
    else:
        raise Conflict(f"payout {payout.id} kept changing while its sale was undone; try again")
    given_back = reversal(payout, at=now)
    if given_back is not None:
        with contextlib.suppress(Conflict):  # given back already
            ports.payouts.add(given_back)


def _ran_and_ended(contract: Contract) -> tuple[datetime | None, datetime | None]:
    """When the contract first ran (became ACTIVE: a lease, or a sale without financing) and when
    it was cancelled or expired; None for what did not happen."""
    ran = next((e.at for e in contract.timeline if e.status is ContractStatus.ACTIVE), None)
    ended = contract.timeline[-1].at if contract.status in ENDED_WITHOUT_SALE and contract.timeline else None
    return ran, ended


def undo_released(ports: Ports, released: Iterable[Payout]) -> None:
    """After a payment run let go of payouts it held (recorded, released, or their transfer failed):
    those of a sale that ended meanwhile, which `undo_sale` left to the run, are undone now. The
    contracts are read first; only the payouts of ended ones are read again, as they are now."""
    contract_of = {p.id: p.contract_id for p in released if p.kind in REVERSED_KINDS and p.contract_id}
    if not contract_of:
        return
    contracts = ports.contracts.get_many(set(contract_of.values()), consistent=True)
    ended = {pid: c for pid, cid in contract_of.items() if (c := contracts.get(cid)) and c.status in ENDED_WITHOUT_SALE}
    if not ended:
        return
    now = ports.clock()
    for payout in ports.payouts.get_many(ended, consistent=True).values():
        undo_payout(ports, payout, ended[payout.id], now)
