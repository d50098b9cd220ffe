"""GraphQL types of partners and their financing agreements."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import to_global_id
from channelfin.api.core.money import Money
from channelfin.api.core.node import Node, present, presenter
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.refs import CounterpartyBalanceRef
from channelfin.api.core.scalars import Decimal
from channelfin.domain import partners as dp
from channelfin.domain import relations as drel
from channelfin.domain.partners import AgreementStatus, PartnerRole
from channelfin.domain.relations import ConsentStatus
from channelfin.services import ledger as ledger_service
from channelfin.services import partners as partner_service


@strawberry.type(description="A convention d'agrément: a leaser agrees to finance a partner's contracts.")
class FinancingAgreement(Node):
    status: AgreementStatus = strawberry.field(description="Whether contracts may be financed under it.")
    annual_rate: Decimal = strawberry.field(description='Yearly rate as a fraction, e.g. "0.06" for 6%.')
    file_fee: Money = strawberry.field(description="Flat fee deducted from each upfront payout.")
    payout_sla_hours: int = strawberry.field(description="Hours from file transmission to payment.")
    instant_decision_limit: Money = strawberry.field(
        description="Financed amounts strictly below it are decided at once; at or above, by credit review."
    )
    signed_at: dt.datetime = strawberry.field(description="When it was signed (UTC).")
    terminated_at: dt.datetime | None = strawberry.field(description="When the leaser ended it (status TERMINATED).")
    termination_reason: str | None = strawberry.field(description="Why the leaser ended it, if it said.")
    partner_id: strawberry.Private[str]
    leaser_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, a: dp.FinancingAgreement) -> "FinancingAgreement":
        return cls(
            id=strawberry.ID(to_global_id("FinancingAgreement", a.id)),
            status=a.status,
            annual_rate=a.annual_rate,
            file_fee=Money.from_domain(a.file_fee),
            payout_sla_hours=a.payout_sla_hours,
            instant_decision_limit=Money.from_domain(a.instant_decision_limit),
            signed_at=a.signed_at,
            terminated_at=a.terminated_at,
            termination_reason=a.termination_reason,
            partner_id=a.partner_id,
            leaser_id=a.leaser_id,
        )

    @strawberry.field(description="The publisher or reseller whose contracts are financed.")
    async def partner(self, info: strawberry.Info[Context, None]) -> "Partner":
        return await load_partner(info, self.partner_id)

    @strawberry.field(description="The leaser.")
    async def leaser(self, info: strawberry.Info[Context, None]) -> "Partner":
        return await load_partner(info, self.leaser_id)


@strawberry.type(description="A company on the platform: leaser, publisher, reseller, distributor...")
class Partner(Node):
    name: str = strawberry.field(description="Its name.")
    roles: list[PartnerRole] = strawberry.field(description="What it is to the platform.")
    created_at: dt.datetime = strawberry.field(description="When it was registered (UTC).")
    local_id: strawberry.Private[str]
    identifiers: strawberry.Private[tuple[str | None, str | None]]  # registration number, country

    @strawberry.field(
        description="SIREN or other national identifier. Its own users and leaser staff only: null on the "
        "public profile other partners read."
    )
    def registration_number(self, info: strawberry.Info[Context, None]) -> str | None:
        return self.identifiers[0] if info.context.principal.can_see_partner(self.local_id) else None

    @strawberry.field(description="ISO 3166-1 alpha-2. Its own users and leaser staff only, as registrationNumber.")
    def country(self, info: strawberry.Info[Context, None]) -> str | None:
        return self.identifiers[1] if info.context.principal.can_see_partner(self.local_id) else None

    @classmethod
    def from_domain(cls, p: dp.Partner) -> "Partner":
        return cls(
            id=strawberry.ID(to_global_id("Partner", p.id)),
            name=p.name,
            roles=sorted(p.roles, key=lambda r: r.value),
            created_at=p.created_at,
            local_id=p.id,
            identifiers=(p.registration_number, p.country),
        )

    @strawberry.field(description="Financing agreements signed by this partner (its own users and leaser staff).")
    def financing_agreements(self, info: strawberry.Info[Context, None]) -> list[FinancingAgreement]:
        ctx = info.context
        agreements = partner_service.visible_agreements_of(ctx.ports, ctx.principal, self.local_id)
        return [FinancingAgreement.from_domain(a) for a in agreements]

    @strawberry.field(
        description="From the ledger, now: what each counterparty owes this partner and what it owes them, "
        "counterparty by counterparty (its own users and leaser staff; null for others)."
    )
    def balances(self, info: strawberry.Info[Context, None]) -> list[CounterpartyBalanceRef] | None:
        ctx = info.context
        found = ledger_service.balances(ctx.ports, ctx.principal, self.local_id)
        return None if found is None else [present("CounterpartyBalance", b) for b in found]


@strawberry.type(
    description="A publisher (or vendor) and a reseller that agree to deal: asked for by one side, answered by "
    "the other's partner-admin. Accepted, the reseller may be named on the publisher's contracts and its "
    "licence sales reported by the vendor. Seen by both sides and leaser staff."
)
class ResellerLink(Node):
    status: ConsentStatus = strawberry.field(description="PENDING until the other side answers.")
    requested_at: dt.datetime = strawberry.field(description="When it was asked (UTC).")
    answered_at: dt.datetime | None = strawberry.field(description="When the answering side answered.")
    publisher_id: strawberry.Private[str]
    reseller_id: strawberry.Private[str]
    requested_by_partner: strawberry.Private[str]
    answering_partner: strawberry.Private[str]

    @classmethod
    def from_domain(cls, link: drel.ResellerLink) -> "ResellerLink":
        return cls(
            id=strawberry.ID(to_global_id("ResellerLink", link.id)),
            status=link.status,
            requested_at=link.requested_at,
            answered_at=link.answered_at,
            publisher_id=link.publisher_id,
            reseller_id=link.reseller_id,
            requested_by_partner=link.requested_by_partner,
            answering_partner=link.answering_partner,
        )

    @strawberry.field(description="The publisher (or vendor) side.")
    async def publisher(self, info: strawberry.Info[Context, None]) -> Partner:
        return await load_partner(info, self.publisher_id)

    @strawberry.field(description="The reseller side.")
    async def reseller(self, info: strawberry.Info[Context, None]) -> Partner:
        return await load_partner(info, self.reseller_id)

    @strawberry.field(description="The side that asked for the link.")
    async def requested_by(self, info: strawberry.Info[Context, None]) -> Partner:
        return await load_partner(info, self.requested_by_partner)

    @strawberry.field(description="The side whose partner-admin answers: the one that did not ask.")
    async def answered_by(self, info: strawberry.Info[Context, None]) -> Partner:
        return await load_partner(info, self.answering_partner)


@strawberry.type(description="The caller, as the token says.")
class Viewer:
    sub: str = strawberry.field(description="The user's (or machine client's) id.")
    roles: list[str] = strawberry.field(description="Cognito groups recognised by the API.")
    partner_id: strawberry.Private[str | None]

    @strawberry.field(description="The partner the caller acts for, if any.")
    async def partner(self, info: strawberry.Info[Context, None]) -> Partner | None:
        if self.partner_id is None:
            return None
        found = await info.context.loaders.partner_by_id.load(self.partner_id)
        return Partner.from_domain(found) if found else None


presenter("Partner", Partner.from_domain)
presenter("FinancingAgreement", FinancingAgreement.from_domain)
presenter("ResellerLink", ResellerLink.from_domain)
