"""GraphQL types of the ledger: a partner's balances, journal entries, the trial balance."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.money import Money
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.node import presenter
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.core.refs import PartnerRef
from channelfin.domain import ledger as dl
from channelfin.domain.ledger import AccountType
from channelfin.domain.money import Money as DomainMoney
from channelfin.services.paging import paginate


def _money(cents: int, currency: str) -> Money:
    return Money.from_domain(DomainMoney.from_cents(cents, currency))


@strawberry.type(description="One side of an entry: an account of the holder's books debited or credited.")
class LedgerLine:
    account: str = strawberry.field(description="holder|TYPE|counterparty|kind: the account's key, stable.")
    type: AccountType = strawberry.field(description="The account's type.")
    kind: str | None = strawberry.field(description="The payout kind the account is for (PayoutKind), if any.")
    debit: Money = strawberry.field(description="Debited on this line (zero if none).")
    credit: Money = strawberry.field(description="Credited on this line (zero if none).")
    counterparty_id: strawberry.Private[str]

    @strawberry.field(description="The partner the account is with (receivable, payable), if any.")
    async def counterparty(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.counterparty_id or None)


@strawberry.type(description="One money fact in one partner's books: balanced (debits = credits), never changed.")
class LedgerEntry:
    id: str = strawberry.field(description="The fact's id (a payout and what happened to it, or a run's set-off).")
    at: dt.datetime = strawberry.field(description="When it was booked (UTC).")
    description: str = strawberry.field(description="What it records, for people.")
    lines: list[LedgerLine] = strawberry.field(description="Its lines; debits and credits balance.")
    position_change: Money = strawberry.field(
        description="How the entry moves the holder's net position (what it is owed less what it owes)."
    )
    payout_id: str | None = strawberry.field(description="The payout the fact is about (raw id), if any.")
    run_id: str | None = strawberry.field(description="The payment run that made it (raw id), if any.")
    counterparty_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, e: dl.Entry) -> "LedgerEntry":
        return cls(
            id=e.id,
            at=e.at,
            description=e.description,
            lines=[
                LedgerLine(
                    account=line.account.key,
                    type=line.account.type,
                    kind=line.account.kind or None,
                    debit=_money(line.debit, e.currency),
                    credit=_money(line.credit, e.currency),
                    counterparty_id=line.account.counterparty,
                )
                for line in e.lines
            ],
            position_change=_money(e.position_change, e.currency),
            payout_id=e.payout_id,
            run_id=e.run_id,
            counterparty_id=e.counterparty,
        )

    @strawberry.field(description="The other party of the fact.")
    async def counterparty(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.counterparty_id or None)


@strawberry.type(description="What a counterparty owes a partner and what the partner owes it, now (from the ledger).")
class CounterpartyBalance:
    owed_to_partner: Money = strawberry.field(description="Receivable: what the counterparty owes the partner.")
    owed_by_partner: Money = strawberry.field(description="Payable: what the partner owes the counterparty.")
    net: Money = strawberry.field(description="owedToPartner − owedByPartner: positive when the partner is owed.")
    counterparty_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, p: dl.CounterpartyPosition) -> "CounterpartyBalance":
        return cls(
            owed_to_partner=Money.from_domain(p.owed_to_holder),
            owed_by_partner=Money.from_domain(p.owed_by_holder),
            net=Money.from_domain(p.net),
            counterparty_id=p.counterparty,
        )

    @strawberry.field(description="The partner on the other side; null for the platform's own accounts.")
    async def counterparty(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.counterparty_id)


@strawberry.type(description="One account's totals in the trial balance.")
class TrialBalanceAccount:
    account: str = strawberry.field(description="holder|TYPE|counterparty|kind.")
    type: AccountType = strawberry.field(description="The account's type.")
    kind: str | None = strawberry.field(description="The payout kind the account is for (PayoutKind), if any.")
    debits: Money = strawberry.field(description="Its debits.")
    credits: Money = strawberry.field(description="Its credits.")
    balance: Money = strawberry.field(description="debits − credits.")
    holder_id: strawberry.Private[str]
    counterparty_id: strawberry.Private[str]

    @strawberry.field(description="Whose books the account is in.")
    async def holder(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.holder_id)

    @strawberry.field(description="The partner on the other side, if any.")
    async def counterparty(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.counterparty_id or None)


@strawberry.type(description="Every account's debits and credits up to `at`: the books balance when debits = credits.")
class TrialBalance:
    at: dt.datetime = strawberry.field(description="The instant it was drawn at.")
    debits: Money = strawberry.field(description="All debits.")
    credits: Money = strawberry.field(description="All credits.")
    balanced: bool = strawberry.field(description="Whether debits equal credits (they must).")
    domain: strawberry.Private[dl.TrialBalance]
    currency: strawberry.Private[str]

    @classmethod
    def from_domain(cls, t: dl.TrialBalance, currency: str = "EUR") -> "TrialBalance":
        return cls(
            at=t.at,
            debits=_money(t.debits, currency),
            credits=_money(t.credits, currency),
            balanced=t.balanced,
            domain=t,
            currency=currency,
        )

    @strawberry.field(description="The accounts in key order; pages of at most 100 (`first`, default 20).")
    def accounts(
        self, info: strawberry.Info[Context, None], first: First = None, after: After = None
    ) -> Connection[TrialBalanceAccount]:
        rows = self.domain.rows()
        request = paging(info, first, after)
        page = paginate(rows, lambda row: row.account.key, request.request)
        return Connection[TrialBalanceAccount].from_page(
            page,
            lambda row: TrialBalanceAccount(
                account=row.account.key,
                type=row.account.type,
                kind=row.account.kind or None,
                debits=_money(row.debits, self.currency),
                credits=_money(row.credits, self.currency),
                balance=_money(row.balance, self.currency),
                holder_id=row.account.holder,
                counterparty_id=row.account.counterparty,
            ),
            request,
            total_count=len(rows),
        )


presenter("LedgerEntry", LedgerEntry.from_domain)
presenter("CounterpartyBalance", CounterpartyBalance.from_domain)
