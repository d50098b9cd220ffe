"""GraphQL types of payouts (payments to, and charges on, partners)."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import to_global_id
from channelfin.api.core.money import Money
from channelfin.api.core.node import Node, present, presenter
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.refs import ContractRef, PartnerRef
from channelfin.domain import payouts as dpay
from channelfin.domain.payouts import PayoutKind, PayoutStatus


@strawberry.type(
    description="Money one partner owes another: who pays (`payer`), who is paid (`beneficiary`), how much, "
    "when it is due and where it stands. Part of it may be settled by set-off in a payment run (`settled`)."
)
class Payout(Node):
    kind: PayoutKind = strawberry.field(description="What it pays for.")
    status: PayoutStatus = strawberry.field(description="Where it stands.")
    amount: Money = strawberry.field(description="How much (EUR).")
    installment: int | None = strawberry.field(description="Installment number (1..n) for support shares.")
    due_by: dt.datetime | None = strawberry.field(description="When it falls due, if it has a date.")
    paid_at: dt.datetime | None = strawberry.field(description="When it was paid, once paid.")
    sla_met: bool | None = strawberry.field(description="Paid by `dueBy`; null until paid.")
    failure_reason: str | None = strawberry.field(description="Why the transfer failed, for FAILED payouts.")
    settled: Money | None = strawberry.field(
        description="The part already settled by set-off against what the beneficiary owes the payer; null if none."
    )
    beneficiary_id: strawberry.Private[str]
    payer_id: strawberry.Private[str]
    contract_id: strawberry.Private[str | None]

    @classmethod
    def from_domain(cls, p: dpay.Payout) -> "Payout":
        return cls(
            id=strawberry.ID(to_global_id("Payout", p.id)),
            kind=p.kind,
            status=p.status,
            amount=Money.from_domain(p.amount),
            installment=p.installment,
            due_by=p.due_by,
            paid_at=p.paid_at,
            sla_met=p.sla_met,
            failure_reason=p.failure_reason,
            settled=Money.optional(p.settled),
            beneficiary_id=p.beneficiary_id,
            payer_id=p.payer_id,
            contract_id=p.contract_id,
        )

    @strawberry.field(description="Who is paid.")
    async def beneficiary(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.beneficiary_id)

    @strawberry.field(
        description="Who pays: the leaser (software part, support shares), the publisher (commissions), an "
        "affiliate (charges, entry fee, clawbacks, to its publisher), the vendor (rebates, referral bonuses)."
    )
    async def payer(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        return await load_partner(info, self.payer_id or None)

    @strawberry.field(description="The contract it comes from, if any (public profile rules apply to its partners).")
    async def contract(self, info: strawberry.Info[Context, None]) -> ContractRef | None:
        if self.contract_id is None:
            return None
        contract = await info.context.loaders.contract_by_id.load(self.contract_id)
        return present("Contract", contract) if contract else None


presenter("Payout", Payout.from_domain)
