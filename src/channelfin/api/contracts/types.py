"""GraphQL types of contracts with end clients."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import to_global_id
from channelfin.api.core.money import Money
from channelfin.api.core.node import Node, present, presenter
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.pagination import After, Before, Connection, First, Last, paging
from channelfin.api.core.refs import DocumentRef, EnrollmentRef, FinancingRef, PartnerRef, PayoutRef
from channelfin.domain import contracts as dc
from channelfin.domain import signatories as ds
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import ResellerRole
from channelfin.domain.financing import Periodicity
from channelfin.services import payouts as payout_service
from channelfin.services import programs as program_service
from channelfin.services.paging import paginate


@strawberry.type(description="The end client of a contract.")
class Customer:
    name: str = strawberry.field(description="The end client's name.")
    registration_number: str | None = strawberry.field(
        description="Its SIREN (9 digits, check digit verified), if given."
    )
    email: str | None = strawberry.field(
        description="Its e-mail. Signature requests go to the signatory the leaser confirmed for this SIREN "
        "(confirmSignatory); only without one do they go here, and the upfront payout then waits for an analyst."
    )


@strawberry.type(description="One status change of a contract: what, when, who.")
class TimelineEvent:
    status: ContractStatus = strawberry.field(description="The status the contract moved to.")
    at: dt.datetime = strawberry.field(description="When (UTC).")
    actor: str = strawberry.field(description="The user (JWT `sub`) or system step that made the change.")
    note: str | None = strawberry.field(description="Why, or what changed, where said.")


@strawberry.type(description="A SaaS contract with an end client, owned by its publisher or its reseller.")
class Contract(Node):
    status: ContractStatus = strawberry.field(description="Where the contract stands (see ContractStatus).")
    reseller_role: ResellerRole | None = strawberry.field(
        description="INTRODUCER when the publisher owns the contract, BUY_RESELL when the reseller does."
    )
    customer: Customer = strawberry.field(description="The end client.")
    periodicity: Periodicity = strawberry.field(description="How often rents fall due.")
    term_months: int = strawberry.field(description="The lease term in months, a whole number of periods.")
    start_date: dt.date = strawberry.field(description="When the service starts for the end client.")
    software_fee: Money = strawberry.field(description="Software part of each rent, excluding tax.")
    support_fee: Money = strawberry.field(description="Support part of each rent, excluding tax.")
    under_continuity: bool = strawberry.field(description="Run by a continuity provider after a publisher default.")
    created_at: dt.datetime = strawberry.field(description="When the contract was created (UTC).")
    timeline: list[TimelineEvent] = strawberry.field(
        description="Every status change, oldest first, with who made it and why."
    )
    payout_due_by: dt.datetime | None = strawberry.field(
        description="When the file was transmitted plus the agreement's payout SLA; null before."
    )
    collected_installments: list[int] = strawberry.field(description="Installments collected from the end client.")
    owner_id: strawberry.Private[str]
    publisher_id: strawberry.Private[str]
    reseller_id: strawberry.Private[str | None]
    local_id: strawberry.Private[str]
    enrollment_id: strawberry.Private[str | None]
    payout_ids: strawberry.Private[frozenset[str]]
    domain: strawberry.Private[dc.Contract]

    @classmethod
    def from_domain(cls, c: dc.Contract) -> "Contract":
        return cls(
            id=strawberry.ID(to_global_id("Contract", c.id)),
            status=c.status,
            reseller_role=c.reseller_role,
            customer=Customer(
                name=c.customer.name, registration_number=c.customer.registration_number, email=c.customer.email
            ),
            periodicity=c.periodicity,
            term_months=c.term_months,
            start_date=c.start_date,
            software_fee=Money.from_domain(c.software_fee),
            support_fee=Money.from_domain(c.support_fee),
            under_continuity=c.under_continuity,
            created_at=c.created_at,
            timeline=[TimelineEvent(status=e.status, at=e.at, actor=e.actor, note=e.note) for e in c.timeline],
            payout_due_by=c.payout_due_by,
            collected_installments=list(c.collected_installments),
            owner_id=c.owner_id,
            publisher_id=c.publisher_id,
            reseller_id=c.reseller_id,
            local_id=c.id,
            enrollment_id=c.enrollment_id,
            payout_ids=c.payout_ids,
            domain=c,
        )

    @strawberry.field(description="Null until financing is requested.")
    def financing(self) -> FinancingRef | None:
        return present("Financing", self.domain.financing)

    @strawberry.field(description="The file's documents (none before financing).")
    def documents(self) -> list[DocumentRef]:
        return present("Documents", self.domain)

    @strawberry.field(description="The contract owner, beneficiary of the financing.")
    async def owner(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.owner_id)

    @strawberry.field(description="The software's publisher (public profile for other partners).")
    async def publisher(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.publisher_id)

    @strawberry.field(
        description="Who gives the end client support and is paid each installment's support share: the owner "
        "by default (the reseller in buy-resell, an affiliate for its contracts), a continuity provider after an "
        "escrow trigger."
    )
    async def support_provider(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.domain.support_provider)

    @strawberry.field(description="The reseller, if any: introducer or buy-resell owner.")
    async def reseller(self, info: strawberry.Info[Context, None]) -> PartnerRef | None:
        if self.reseller_id is None:
            return None
        return await load_partner(info, self.reseller_id)

    @strawberry.field(description="The program enrolment the contract is attributed to, if any.")
    def enrollment(self, info: strawberry.Info[Context, None]) -> EnrollmentRef | None:
        if self.enrollment_id is None:
            return None

        found = program_service.visible_enrollment(info.context.ports, info.context.principal, self.enrollment_id)
        return present("Enrollment", found) if found else None

    @strawberry.field(description="Payouts of this contract that the caller may see (a partner: its own).")
    async def payouts(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PayoutRef]:
        ctx = info.context
        request = paging(info, first, after, last=last, before=before, bound_to=(self.local_id,))
        # One BatchGetItem for the payouts of every contract on the page, through the request's loader.
        loaded = await ctx.loaders.payout_by_id.load_many(sorted(self.payout_ids))
        shown = payout_service.visible_on_contract(ctx.principal, loaded)
        page = paginate(shown, lambda p: p.id, request.request)
        return Connection[PayoutRef].from_page(page, lambda p: present("Payout", p), request, total_count=len(shown))


presenter("Contract", Contract.from_domain)


@strawberry.type(
    description="Who signs for an end client (by SIREN), as leaser staff confirmed it: its signature requests "
    "go to this address, whatever address a partner typed on the contract."
)
class Signatory:
    registration_number: str = strawberry.field(description="The end client's SIREN.")
    name: str = strawberry.field(description="The signatory's name.")
    email: str = strawberry.field(description="Where signature requests go (the provider's code is sent there).")
    confirmed_by: str = strawberry.field(description="The user id of who confirmed it.")
    confirmed_at: dt.datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_domain(cls, s: ds.Signatory) -> "Signatory":
        return cls(
            registration_number=s.siren,
            name=s.name,
            email=s.email,
            confirmed_by=s.confirmed_by,
            confirmed_at=s.confirmed_at,
        )
