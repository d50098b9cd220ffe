"""Payments adapters. There is no bank integration yet: `InstantPayments` settles at once.

A real adapter must pass the payout id (a payment run's transfer id) as the bank's
idempotency key, so a retried `Disburse` or `PayCounterparty` step can never transfer twice.
"""

from __future__ import annotations

import threading

from channelfin.domain.money import Money
from channelfin.domain.payouts import Payout


class InstantPayments:
    """Settles every transfer at once and remembers it by payout id (idempotent)."""

    def __init__(self) -> None:
        self.transfers: dict[str, str] = {}
        self._lock = threading.Lock()

    def transfer(self, payout: Payout) -> str:
        with self._lock:
            return self.transfers.setdefault(payout.id, f"instant-{payout.id}")

    def transfer_net(self, transfer_id: str, *, payer_id: str, beneficiary_id: str, amount: Money) -> str:
        with self._lock:
            return self.transfers.setdefault(transfer_id, f"instant-{transfer_id}")
