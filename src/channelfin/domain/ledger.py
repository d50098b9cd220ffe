"""The double-entry ledger behind every money fact between two partners.

Each party keeps its own books on the platform, and every fact (a payout scheduled, paid,
failed, cancelled; a charge invoiced or collected; an offset in a payment run) writes one
balanced entry in the books of each party it concerns. Amounts are integer cents.

A party's accounts:
- `RECEIVABLE` / counterparty / kind — what the counterparty owes it (debit balance);
- `PAYABLE` / counterparty / kind — what it owes the counterparty (credit balance);
- `FAILED` / counterparty / kind — owed, after a transfer that did not go through;
- `INCOME` / kind and `EXPENSE` / kind — what it earns and what it costs;
- `BANK` — money that left or reached it through a transfer.

A payout of `amount` from payer P to beneficiary B:
- scheduled: P: Dr EXPENSE Cr PAYABLE(B); B: Dr RECEIVABLE(P) Cr INCOME;
- paid by transfer: P: Dr PAYABLE(B) (or FAILED) Cr BANK; B: Dr BANK Cr RECEIVABLE(P);
- transfer failed: P: Dr PAYABLE(B) Cr FAILED(B) (still owed);
- cancelled: the scheduled entry reversed for what was still open;
- offset against what B owes P (netting): P: Dr PAYABLE(B) Cr RECEIVABLE(B);
  B: Dr PAYABLE(P) Cr RECEIVABLE(P).
Entries are never changed, only reversed. A party's position towards a counterparty is
the balance of its claim accounts (receivable, payable, failed): positive when it is owed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from channelfin.domain.money import Money


class AccountType(enum.Enum):
    RECEIVABLE = "RECEIVABLE"
    PAYABLE = "PAYABLE"
    FAILED = "FAILED"
    INCOME = "INCOME"
    EXPENSE = "EXPENSE"
    BANK = "BANK"


CLAIMS = frozenset({AccountType.RECEIVABLE, AccountType.PAYABLE, AccountType.FAILED})


@dataclass(frozen=True, slots=True, order=True)
class Account:
    holder: str
    type: AccountType
    counterparty: str = ""
    kind: str = ""

    @property
    def key(self) -> str:
        return "|".join((self.holder, self.type.value, self.counterparty, self.kind))

    @classmethod
    def parse(cls, key: str) -> Account:
        holder, type_, counterparty, kind = key.split("|")
        return cls(holder, AccountType(type_), counterparty, kind)

    @property
    def is_claim(self) -> bool:
        return self.type in CLAIMS


@dataclass(frozen=True, slots=True)
class Line:
    account: Account
    debit: int = 0  # cents
    credit: int = 0

    def __post_init__(self) -> None:
        if self.debit < 0 or self.credit < 0 or (self.debit and self.credit):
            raise ValueError("a line is a debit or a credit of a non-negative number of cents")

    @property
    def net(self) -> int:
        """Debit minus credit: what the line adds to its account's (debit) balance."""
        return self.debit - self.credit


class UnbalancedEntry(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Entry:
    """One fact in one party's books: balanced (debits = credits), never changed."""

    id: str  # the fact's id, deterministic: a replayed fact writes nothing new
    holder: str
    counterparty: str
    at: datetime
    description: str
    lines: tuple[Line, ...]
    currency: str = "EUR"
    payout_id: str | None = None
    contract_id: str | None = None
    run_id: str | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            raise UnbalancedEntry("an entry has lines")
        if sum(line.debit for line in self.lines) != sum(line.credit for line in self.lines):
            raise UnbalancedEntry(f"entry {self.id} of {self.holder} does not balance")
        if any(line.account.holder != self.holder for line in self.lines):
            raise UnbalancedEntry(f"entry {self.id} writes in another party's books")

    @property
    def total(self) -> int:
        return sum(line.debit for line in self.lines)

    @property
    def position_change(self) -> int:
        """How the entry moves its holder's net position (owed to it − owed by it), in cents."""
        return sum(line.net for line in self.lines if line.account.is_claim)

    def reversed(self, entry_id: str, at: datetime, description: str) -> Entry:
        lines = tuple(Line(line.account, debit=line.credit, credit=line.debit) for line in self.lines)
        return Entry(
            entry_id, self.holder, self.counterparty, at, description, lines, self.currency,
            self.payout_id, self.contract_id, self.run_id,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Obligation:
    """What a money fact is about: `cents` owed by `payer` to `beneficiary` for `kind`."""

    id: str  # the payout's id
    payer: str
    beneficiary: str
    kind: str
    cents: int
    currency: str = "EUR"
    contract_id: str | None = None


def _pair(
    fact_id: str,
    at: datetime,
    description: str,
    o: Obligation,
    payer_lines: Iterable[Line],
    beneficiary_lines: Iterable[Line],
    run_id: str | None = None,
) -> list[Entry]:
    common = {"currency": o.currency, "payout_id": o.id, "contract_id": o.contract_id, "run_id": run_id}
    return [
        Entry(fact_id, o.payer, o.beneficiary, at, description, tuple(payer_lines), **common),  # type: ignore[arg-type]
        Entry(fact_id, o.beneficiary, o.payer, at, description, tuple(beneficiary_lines), **common),  # type: ignore[arg-type]
    ]


def _accounts(o: Obligation) -> dict[str, Account]:
    return {
        "expense": Account(o.payer, AccountType.EXPENSE, "", o.kind),
        "payable": Account(o.payer, AccountType.PAYABLE, o.beneficiary, o.kind),
        "failed": Account(o.payer, AccountType.FAILED, o.beneficiary, o.kind),
        "payer_bank": Account(o.payer, AccountType.BANK),
        "receivable": Account(o.beneficiary, AccountType.RECEIVABLE, o.payer, o.kind),
        "income": Account(o.beneficiary, AccountType.INCOME, "", o.kind),
        "beneficiary_bank": Account(o.beneficiary, AccountType.BANK),
    }


def scheduled(o: Obligation, at: datetime) -> list[Entry]:
    a = _accounts(o)
    return _pair(
        f"{o.id}/scheduled",
        at,
        f"{o.kind} scheduled",
        o,
        [Line(a["expense"], debit=o.cents), Line(a["payable"], credit=o.cents)],
        [Line(a["receivable"], debit=o.cents), Line(a["income"], credit=o.cents)],
    )


def transferred(
    o: Obligation, cents: int, at: datetime, *, reference: str, from_failed: bool = False, run_id: str | None = None
) -> list[Entry]:
    """`cents` of the obligation paid by a transfer (from the failed account after a failed attempt)."""
    a = _accounts(o)
    owed = a["failed"] if from_failed else a["payable"]
    return _pair(
        f"{o.id}/paid",
        at,
        f"{o.kind} paid ({reference})",
        o,
        [Line(owed, debit=cents), Line(a["payer_bank"], credit=cents)],
        [Line(a["beneficiary_bank"], debit=cents), Line(a["receivable"], credit=cents)],
        run_id,
    )


def transfer_failed(o: Obligation, cents: int, at: datetime, *, reason: str, run_id: str | None = None) -> list[Entry]:
    """Still owed, now as a failed transfer in the payer's books; nothing changes for the beneficiary."""
    a = _accounts(o)
    entry = Entry(
        f"{o.id}/failed",
        o.payer,
        o.beneficiary,
        at,
        f"{o.kind} transfer failed: {reason}"[:200],
        (Line(a["payable"], debit=cents), Line(a["failed"], credit=cents)),
        o.currency,
        o.id,
        o.contract_id,
        run_id,
    )
    return [entry]


def cancelled(o: Obligation, open_cents: int, at: datetime, *, from_failed: bool = False) -> list[Entry]:
    """The part of the obligation still open is no longer owed: the scheduled entry reversed for it."""
    a = _accounts(o)
    owed = a["failed"] if from_failed else a["payable"]
    return _pair(
        f"{o.id}/cancelled",
        at,
        f"{o.kind} cancelled",
        o,
        [Line(owed, debit=open_cents), Line(a["expense"], credit=open_cents)],
        [Line(a["income"], debit=open_cents), Line(a["receivable"], credit=open_cents)],
    )


def offset(
    owed_by_payer: Obligation,
    owed_to_payer: Obligation,
    cents: int,
    at: datetime,
    *,
    run_id: str,
    by_failed: bool = False,
    to_failed: bool = False,
) -> list[Entry]:
    """`cents` of what P owes B settled against as much of what B owes P: no money moves.

    `owed_by_payer` runs P → B, `owed_to_payer` runs B → P; each side's books lose the same
    amount of receivable and payable.
    """
    p, b = owed_by_payer.payer, owed_by_payer.beneficiary
    if (owed_to_payer.payer, owed_to_payer.beneficiary) != (b, p):
        raise ValueError("an offset is between two obligations of opposite direction")
    by, to = _accounts(owed_by_payer), _accounts(owed_to_payer)
    fact = f"{run_id}/offset/{owed_by_payer.id}/{owed_to_payer.id}"
    description = f"{owed_by_payer.kind} set off against {owed_to_payer.kind}"
    currency = owed_by_payer.currency
    return [
        Entry(
            fact, p, b, at, description,
            (Line(by["failed" if by_failed else "payable"], debit=cents), Line(to["receivable"], credit=cents)),
            currency, owed_by_payer.id, owed_by_payer.contract_id, run_id,
        ),
        Entry(
            fact, b, p, at, description,
            (Line(to["failed" if to_failed else "payable"], debit=cents), Line(by["receivable"], credit=cents)),
            currency, owed_to_payer.id, owed_to_payer.contract_id, run_id,
        ),
    ]  # fmt: skip


# ---------------------------------------------------------------- reading the books


@dataclass(slots=True)
class AccountBalance:
    account: Account
    debits: int = 0
    credits: int = 0

    @property
    def balance(self) -> int:
        return self.debits - self.credits


@dataclass(slots=True)
class TrialBalance:
    at: datetime
    accounts: dict[str, AccountBalance] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[Entry], at: datetime) -> TrialBalance:
        trial = cls(at)
        for entry in entries:
            if entry.at > at:
                continue
            for line in entry.lines:
                row = trial.accounts.setdefault(line.account.key, AccountBalance(line.account))
                row.debits += line.debit
                row.credits += line.credit
        return trial

    @property
    def debits(self) -> int:
        return sum(row.debits for row in self.accounts.values())

    @property
    def credits(self) -> int:
        return sum(row.credits for row in self.accounts.values())

    @property
    def balanced(self) -> bool:
        return self.debits == self.credits

    def rows(self) -> list[AccountBalance]:
        return [self.accounts[key] for key in sorted(self.accounts)]


@dataclass(frozen=True, slots=True)
class CounterpartyPosition:
    counterparty: str
    owed_to_holder: Money
    owed_by_holder: Money

    @property
    def net(self) -> Money:
        return self.owed_to_holder - self.owed_by_holder


def positions(holder: str, entries: Iterable[Entry], currency: str = "EUR") -> list[CounterpartyPosition]:
    """What each counterparty owes `holder` and what `holder` owes it, from `holder`'s books."""
    owed_to: dict[str, int] = {}
    owed_by: dict[str, int] = {}
    for entry in entries:
        if entry.holder != holder:
            continue
        for line in entry.lines:
            account = line.account
            if account.type is AccountType.RECEIVABLE:
                owed_to[account.counterparty] = owed_to.get(account.counterparty, 0) + line.net
            elif account.type in (AccountType.PAYABLE, AccountType.FAILED):
                owed_by[account.counterparty] = owed_by.get(account.counterparty, 0) - line.net
    return [
        CounterpartyPosition(
            c, Money.from_cents(owed_to.get(c, 0), currency), Money.from_cents(owed_by.get(c, 0), currency)
        )
        for c in sorted(set(owed_to) | set(owed_by))
        if owed_to.get(c, 0) or owed_by.get(c, 0)
    ]


@dataclass(frozen=True, slots=True)
class LedgerStatement:
    """A party's position over a period: the opening balance, the entries, the closing balance."""

    holder: str
    start: datetime
    end: datetime
    opening: Money
    entries: tuple[Entry, ...]

    @property
    def closing(self) -> Money:
        change = sum(entry.position_change for entry in self.entries)
        return self.opening + Money.from_cents(change, self.opening.currency)

    @classmethod
    def of(
        cls, holder: str, start: datetime, end: datetime, entries: Iterable[Entry], currency: str = "EUR"
    ) -> LedgerStatement:
        mine = sorted((e for e in entries if e.holder == holder and e.at < end), key=lambda e: (e.at, e.id))
        before = sum(e.position_change for e in mine if e.at < start)
        within = tuple(e for e in mine if e.at >= start)
        return cls(holder, start, end, Money.from_cents(before, currency), within)
