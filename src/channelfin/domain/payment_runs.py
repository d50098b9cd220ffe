"""Payment runs: a payer pays what it owes, counterparty by counterparty, net of what it is owed.

A run takes every open payout of one payer due up to a time (every kind but the software
part, which the financing workflow pays), and for each counterparty sets off what that
counterparty owes the payer and is due by then (charges, entry fee, clawbacks), oldest
first, PartnerStack-style. What is left is paid in one transfer; what cannot be set off
stays open, owed. The run's id is its payer and `up_to`, so asking twice gives one run.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from channelfin.domain.error_codes import PaymentCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.money import Money
from channelfin.domain.payouts import Payout, PayoutKind

MAX_DAYS_AHEAD = 7


class RunStatus(enum.Enum):
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


class TransferStatus(enum.Enum):
    PENDING = "PENDING"
    PAID = "PAID"  # the net amount was transferred
    NETTED = "NETTED"  # everything was set off: nothing to transfer
    FAILED = "FAILED"  # the transfer failed after its retries: the payouts stay owed


def run_id(
    payer_id: str, up_to: datetime, kinds: frozenset[PayoutKind] | None = None, program_id: str | None = None
) -> str:
    """Deterministic: the same payer and `up_to` (and scope: kinds, program) name the same run."""
    scope = ",".join(sorted(k.value for k in kinds)) if kinds else "ALL"
    scope += f"|{program_id or ''}"
    digest = hashlib.sha256(f"{payer_id}|{up_to.isoformat()}|{scope}".encode()).hexdigest()[:20]
    return f"run-{digest}"


def check_up_to(up_to: datetime, now: datetime) -> None:
    if up_to.tzinfo is None:
        raise ValidationError("upTo needs a time zone", code=PaymentCode.UP_TO_TOO_FAR, field=["upTo"])
    if up_to > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            f"a run pays what is due at most {MAX_DAYS_AHEAD} days ahead",
            code=PaymentCode.UP_TO_TOO_FAR,
            field=["upTo"],
        )


@dataclass(frozen=True, slots=True)
class Offset:
    owed_by_payer: str  # payout ids
    owed_to_payer: str
    amount: Money


@dataclass(frozen=True, slots=True)
class Netting:
    """How one counterparty's payouts are settled: offsets first, then one transfer of the rest."""

    offsets: tuple[Offset, ...]
    transfers: tuple[tuple[str, Money], ...]  # payout id → the part paid by the transfer
    transfer_total: Money
    left_open: tuple[tuple[str, Money], ...]  # owed to the payer, not set off

    @property
    def offset_total(self) -> Money:
        return sum((o.amount for o in self.offsets), Money.zero(self.transfer_total.currency))


def _by_due(payouts: list[Payout]) -> list[Payout]:
    return sorted(payouts, key=lambda p: (p.value_date, p.id))


def net(
    owed_by_payer: list[Payout], owed_to_payer: list[Payout], currency: str = "EUR", *, max_group: int | None = None
) -> Netting:
    """Set what the counterparty owes against what the payer owes it, oldest due first, then transfer the rest.

    Payouts set off against each other form a group, recorded in one transaction; `max_group`
    bounds how many payouts a group links. Where the next set-off would exceed it, the payout it
    would share with the group is cut from further set-offs: owed by the payer, its remainder is
    transferred; owed to the payer, its remainder stays open for a later run. (One charge of 500.00
    against 60 commissions of 10.00 made one group too large to record, after the money moved.)
    """
    by = [(p.id, p.open_amount.to_cents()) for p in _by_due(owed_by_payer)]
    to = [(p.id, p.open_amount.to_cents()) for p in _by_due(owed_to_payer)]
    offsets: list[Offset] = []
    i = j = 0
    group = 0  # payouts linked in the group the next set-off would join (0: it starts a new one)
    last_by: str | None = None  # the payer's payout of the last set-off
    while i < len(by) and j < len(to):
        (by_id, by_left), (to_id, to_left) = by[i], to[j]
        if max_group is not None and group and group + 1 > max_group:
            if last_by == by_id:
                i += 1  # its remainder is transferred
            else:
                j += 1  # its remainder stays open
            group = 0
            continue
        cents = min(by_left, to_left)
        if cents:
            offsets.append(Offset(by_id, to_id, Money.from_cents(cents, currency)))
            group = group + 1 if group else 2
            last_by = by_id
        by[i], to[j] = (by_id, by_left - cents), (to_id, to_left - cents)
        if by[i][1] == 0 and to[j][1] == 0:
            group = 0  # both settled: the next set-off links none of this group
        if by[i][1] == 0:
            i += 1
        if to[j][1] == 0:
            j += 1
    transfers = tuple((pid, Money.from_cents(c, currency)) for pid, c in by if c)
    return Netting(
        offsets=tuple(offsets),
        transfers=transfers,
        transfer_total=Money.from_cents(sum(c for _, c in by), currency),
        left_open=tuple((pid, Money.from_cents(c, currency)) for pid, c in to if c),
    )


@dataclass(frozen=True, slots=True)
class Transfer:
    """What one run does for one counterparty."""

    run_id: str
    counterparty_id: str
    payout_ids: tuple[str, ...]  # held by the run: owed by the payer and owed to it
    status: TransferStatus = TransferStatus.PENDING
    currency: str = "EUR"
    netting: Netting | None = None  # the plan, fixed before any money moves (a retried step follows it)
    amount: Money | None = None  # transferred
    netted: Money | None = None  # set off
    paid_count: int = 0  # payouts of the payer settled (fully) by this transfer
    reference: str | None = None
    failure_reason: str | None = None
    at: datetime | None = None
    # When the bank was first asked for it: from then on the money may have moved, so a failed
    # run never releases its payouts to a later run without asking the bank again (same id).
    requested_at: datetime | None = None

    @property
    def id(self) -> str:
        """The transfer's idempotency key at the bank: a retried step never pays twice."""
        return f"{self.run_id}.{self.counterparty_id}"

    @property
    def done(self) -> bool:
        return self.status is not TransferStatus.PENDING


@dataclass(frozen=True, slots=True)
class PaymentRun:
    id: str
    payer_id: str
    up_to: datetime
    requested_by: str
    started_at: datetime
    status: RunStatus = RunStatus.RUNNING
    kinds: frozenset[PayoutKind] | None = None  # None: every kind a run pays
    program_id: str | None = None  # a settlement of one program's commissions
    counterparties: tuple[str, ...] = ()
    finished_at: datetime | None = None
    paid_count: int = 0
    paid: Money = field(default_factory=Money.zero)
    failed_count: int = 0
    netted: Money = field(default_factory=Money.zero)
    failure: str | None = None
    claimed_at: datetime | None = None  # when a process last took the run in hand (inline runs)

    def executor_gone(self, now: datetime, lease: timedelta) -> bool:
        """Still RUNNING, and nobody took it in hand for longer than `lease`: its process died."""
        return self.status is RunStatus.RUNNING and (self.claimed_at or self.started_at) + lease < now

    def planned(self, counterparties: list[str]) -> PaymentRun:
        return replace(self, counterparties=tuple(counterparties))

    def finished(self, transfers: list[Transfer], at: datetime) -> PaymentRun:
        return replace(self.counted(transfers), status=RunStatus.DONE, finished_at=at)

    def counted(self, transfers: list[Transfer]) -> PaymentRun:
        """Its totals from its transfers (a failed run's transfer finished later counts too)."""
        currency = self.paid.currency
        return replace(
            self,
            paid_count=sum(t.paid_count for t in transfers),
            paid=sum((t.amount or Money.zero(currency) for t in transfers), Money.zero(currency)),
            failed_count=sum(1 for t in transfers if t.status is TransferStatus.FAILED),
            netted=sum((t.netted or Money.zero(currency) for t in transfers), Money.zero(currency)),
        )

    def failed(self, reason: str, at: datetime) -> PaymentRun:
        return replace(self, status=RunStatus.FAILED, finished_at=at, failure=reason[:500])

    def pays(self, payout: Payout) -> bool:
        """Whether this run takes the payout (owed by the payer): its kind and program."""
        if self.kinds is not None and payout.kind not in self.kinds:
            return False
        return self.program_id is None or payout.program_id == self.program_id
