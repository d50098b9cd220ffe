"""GraphQL types of payment runs and their transfers."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import to_global_id
from channelfin.api.core.money import Money
from channelfin.api.core.node import Node, present, presenter
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.core.refs import PartnerRef, PayoutRef
from channelfin.domain import payment_runs as dpr
from channelfin.domain.payment_runs import RunStatus, TransferStatus
from channelfin.services import payment_run_reads as run_service


@strawberry.type(description="What a payment run did for one counterparty: set-offs, then one transfer of the rest.")
class Transfer:
    status: TransferStatus = strawberry.field(description="Where the transfer stands.")
    amount: Money | None = strawberry.field(
        description="Transferred (0 when everything was set off); null while pending."
    )
    netted: Money | None = strawberry.field(description="Set off against what the counterparty owed the payer.")
    paid_count: int = strawberry.field(description="The payer's payouts this transfer settled in full.")
    reference: str | None = strawberry.field(description="The bank's reference of the transfer.")
    failure_reason: str | None = strawberry.field(description="Why it failed, if it did.")
    at: dt.datetime | None = strawberry.field(description="When it was sent or failed; null while pending.")
    counterparty_id: strawberry.Private[str]
    payout_ids: strawberry.Private[tuple[str, ...]]

    @classmethod
    def from_domain(cls, t: dpr.Transfer) -> "Transfer":
        return cls(
            status=t.status,
            amount=Money.optional(t.amount),
            netted=Money.optional(t.netted),
            paid_count=t.paid_count,
            reference=t.reference,
            failure_reason=t.failure_reason,
            at=t.at,
            counterparty_id=t.counterparty_id,
            payout_ids=t.payout_ids,
        )

    @strawberry.field(description="Who is paid (or whose debts were set off).")
    async def counterparty(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.counterparty_id)

    @strawberry.field(description="The payouts the run held for this counterparty, both ways.")
    async def payouts(self, info: strawberry.Info[Context, None]) -> list[PayoutRef]:
        loaded = await info.context.loaders.payout_by_id.load_many(list(self.payout_ids))
        return [present("Payout", p) for p in loaded if p is not None]


@strawberry.type(
    description="A payment run: a payer pays every payout it owes that is due up to `upTo`, counterparty by "
    "counterparty, net of what each counterparty owes it. It may finish after runPayments answers."
)
class PaymentRun(Node):
    status: RunStatus = strawberry.field(description="Running, done or failed.")
    up_to: dt.datetime = strawberry.field(description="It pays what is due up to this instant.")
    requested_by: str = strawberry.field(description="The user (JWT `sub`) who asked for it, or the schedule.")
    started_at: dt.datetime = strawberry.field(description="When it started (UTC).")
    finished_at: dt.datetime | None = strawberry.field(description="When it finished (UTC); null while running.")
    paid_count: int = strawberry.field(description="The payer's payouts settled in full (by transfer or set-off).")
    paid: Money = strawberry.field(description="Transferred in all.")
    failed_count: int = strawberry.field(description="Transfers that failed after their retries.")
    netted: Money = strawberry.field(description="Set off in all (no money moved for it).")
    failure: str | None = strawberry.field(description="Why the run failed, when FAILED.")
    payer_id: strawberry.Private[str]
    run_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, r: dpr.PaymentRun) -> "PaymentRun":
        return cls(
            id=strawberry.ID(to_global_id("PaymentRun", r.id)),
            status=r.status,
            up_to=r.up_to,
            requested_by=r.requested_by,
            started_at=r.started_at,
            finished_at=r.finished_at,
            paid_count=r.paid_count,
            paid=Money.from_domain(r.paid),
            failed_count=r.failed_count,
            netted=Money.from_domain(r.netted),
            failure=r.failure,
            payer_id=r.payer_id,
            run_id=r.id,
        )

    @strawberry.field(description="The partner paying.")
    async def payer(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.payer_id)

    @strawberry.field(description="One per counterparty, in counterparty order; pages of at most 100.")
    def transfers(
        self, info: strawberry.Info[Context, None], first: First = None, after: After = None
    ) -> Connection[Transfer]:
        ctx = info.context
        request = paging(info, first, after, bound_to=(self.run_id,))
        page = run_service.run_transfers(ctx.ports, ctx.principal, self.run_id, request.request)
        return Connection[Transfer].from_page(page, Transfer.from_domain, request)


presenter("PaymentRun", PaymentRun.from_domain)
