"""GraphQL types of escrow agreements and the continuity they give."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import to_global_id
from channelfin.api.core.node import Node, present
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.refs import ContractRef, PartnerRef
from channelfin.domain import escrow as de
from channelfin.domain.escrow import EscrowStatus


@strawberry.type(description="One step of an escrow agreement's life.")
class EscrowEvent:
    step: str = strawberry.field(
        description="What happened (e.g. DEFAULT_DECLARED, DEFAULT_CONFIRMED, DISMISSED, NOTIFIED)."
    )
    at: dt.datetime = strawberry.field(description="When (UTC).")
    actor: str = strawberry.field(description="The user (JWT `sub`) or `workflow:escrow`.")
    note: str | None = strawberry.field(description="Why, where given.")


@strawberry.type(description="A message the escrow trigger sent.")
class EscrowNotification:
    recipient_id: str = strawberry.field(description="A partner's id, or the end client's e-mail (or name).")
    recipient_kind: str = strawberry.field(description="HOST, END_CLIENT or CONTINUITY_PROVIDER.")
    subject: str = strawberry.field(description="The message's subject.")
    sent_at: dt.datetime = strawberry.field(description="When it was sent (UTC).")
    contract_id: strawberry.Private[str | None]


@strawberry.type(description="An escrow agreement: it keeps the service running if the publisher fails.")
class EscrowAgreement(Node):
    status: EscrowStatus = strawberry.field(description="Where the agreement stands.")
    products: list[str] = strawberry.field(description="The products whose source is deposited.")
    deposit_reference: str = strawberry.field(description="The escrow agent's reference of the deposit.")
    last_deposit_at: dt.datetime = strawberry.field(description="When the source was last deposited.")
    default_reason: str | None = strawberry.field(description="Why a publisher default was declared, if one was.")
    declared_by: str | None = strawberry.field(description="The leaser-admin who declared it.")
    confirmed_by: str | None = strawberry.field(description="The other leaser-admin who confirmed it.")
    deposit_released_at: dt.datetime | None = strawberry.field(
        description="When the deposit was released to the continuity provider."
    )
    history: list[EscrowEvent] = strawberry.field(description="Every step, oldest first.")
    signed_at: dt.datetime = strawberry.field(description="When it was signed (UTC).")
    domain: strawberry.Private[de.EscrowAgreement]

    @classmethod
    def from_domain(cls, a: de.EscrowAgreement) -> "EscrowAgreement":
        return cls(
            id=strawberry.ID(to_global_id("EscrowAgreement", a.id)),
            status=a.status,
            products=list(a.products),
            deposit_reference=a.deposit_reference,
            last_deposit_at=a.last_deposit_at,
            default_reason=a.default_reason,
            declared_by=a.declared_by,
            confirmed_by=a.confirmed_by,
            deposit_released_at=a.deposit_released_at,
            history=[EscrowEvent(step=e.step, at=e.at, actor=e.actor, note=e.note) for e in a.history],
            signed_at=a.signed_at,
            domain=a,
        )

    @strawberry.field(
        description="The messages the trigger sent: all of them for leaser staff and the publisher, a partner's "
        "own otherwise (the host is not shown the publisher's end clients)."
    )
    def notifications(self, info: strawberry.Info[Context, None]) -> list[EscrowNotification]:
        principal = info.context.principal
        sees_all = principal.sees_everything or principal.acts_for(self.domain.publisher_id)
        return [
            EscrowNotification(
                recipient_id=n.recipient_id,
                recipient_kind=n.recipient_kind,
                subject=n.subject,
                sent_at=n.sent_at,
                contract_id=n.contract_id,
            )
            for n in self.domain.notifications
            if sees_all or principal.acts_for(n.recipient_id)
        ]

    @strawberry.field(description="Older than the configured age (180 days by default): may not run the service.")
    def deposit_stale(self, info: strawberry.Info[Context, None]) -> bool:
        ports = info.context.ports
        return self.domain.deposit_is_stale(ports.clock(), ports.stale_deposit_days)

    async def _partner(self, info: strawberry.Info[Context, None], partner_id: str) -> PartnerRef:
        return await load_partner(info, partner_id)

    @strawberry.field(description="The leaser.")
    async def leaser(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await self._partner(info, self.domain.leaser_id)

    @strawberry.field(description="The publisher whose default it covers.")
    async def publisher(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await self._partner(info, self.domain.publisher_id)

    @strawberry.field(description="The host (hébergeur).")
    async def host(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await self._partner(info, self.domain.host_id)

    @strawberry.field(description="Who takes the contracts over when it is triggered.")
    async def continuity_provider(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await self._partner(info, self.domain.continuity_provider_id)

    @strawberry.field(description="The contracts the continuity provider took over (those the caller may see).")
    async def contracts_under_continuity(self, info: strawberry.Info[Context, None]) -> list[ContractRef]:
        principal = info.context.principal
        found = await info.context.loaders.contract_by_id.load_many(list(self.domain.taken_over))
        return [present("Contract", c) for c in found if c and principal.can_see_any_of(c.party_ids)]
