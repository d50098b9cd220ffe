"""GraphQL object types, built from domain objects (`from_domain`).

Foreign ids stay private and are resolved through the request's DataLoaders; nested
lists apply the same visibility rules as the root fields.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from channelfin.api.context import Context
from channelfin.api.ids import to_global_id
from channelfin.api.pagination import Connection, page_request
from channelfin.api.scalars import Decimal
from channelfin.domain import contracts as dc
from channelfin.domain import documents as ddoc
from channelfin.domain import financing as df
from channelfin.domain import financing_file as dff
from channelfin.domain import partners as dp
from channelfin.domain import payouts as dpay
from channelfin.domain.money import Money as DomainMoney
from channelfin.services import documents as document_service
from channelfin.services import partners as partner_service
from channelfin.services import payouts as payout_service
from channelfin.services import programs as program_service

if TYPE_CHECKING:
    from channelfin.api.program_types import Enrollment

PartnerRole = strawberry.enum(dp.PartnerRole, description="What a partner is to the platform.")
Periodicity = strawberry.enum(df.Periodicity, description="How often rents fall due (12, 4 or 1 a year).")
DecisionMode = strawberry.enum(df.DecisionMode, description="IMMEDIATE below the agreement's limit.")
ContractStatus = strawberry.enum(dc.ContractStatus, description="Where a contract stands in its life.")
ResellerRole = strawberry.enum(dc.ResellerRole, description="INTRODUCER or BUY_RESELL (achat-revente).")
PartyRole = strawberry.enum(dc.PartyRole, description="The part a partner plays on a contract.")
AgreementStatus = strawberry.enum(dp.AgreementStatus, description="Whether the agreement is in force.")
PayoutKind = strawberry.enum(dpay.PayoutKind, description="What a payout pays for.")
PayoutStatus = strawberry.enum(dpay.PayoutStatus, description="Where a payout stands.")


DocumentKind = strawberry.enum(dff.DocumentKind, description="The signed documents of a financed contract's file.")
DecisionOutcome = strawberry.enum(dff.DecisionOutcome, description="A financing decision.")
WaitStep = strawberry.enum(dff.WaitStep, description="What the financing workflow waits for.")


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Global id, opaque.")


@strawberry.type(description="An amount of money; `amount` is an exact decimal string.")
class Money:
    amount: Decimal = strawberry.field(description='Exact amount, e.g. "33035.37".')
    currency: str = strawberry.field(description="ISO 4217 code, e.g. EUR.")

    @classmethod
    def from_domain(cls, money: DomainMoney) -> Money:
        return cls(amount=money.rounded().amount, currency=money.currency)  # shown: to the cent


@strawberry.type(description="A convention d'agrément: a leaser agrees to finance a partner's contracts.")
class FinancingAgreement(Node):
    status: AgreementStatus
    annual_rate: Decimal = strawberry.field(description='Yearly rate as a fraction, e.g. "0.06" for 6%.')
    file_fee: Money = strawberry.field(description="Flat fee deducted from each upfront payout.")
    payout_sla_hours: int = strawberry.field(description="Hours from file transmission to payment.")
    instant_decision_limit: Money = strawberry.field(
        description="Financed amounts strictly below it are decided at once; at or above, by credit review."
    )
    signed_at: dt.datetime
    partner_id: strawberry.Private[str]
    leaser_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, a: dp.FinancingAgreement) -> FinancingAgreement:
        return cls(
            id=strawberry.ID(to_global_id("FinancingAgreement", a.id)),
            status=a.status,
            annual_rate=a.annual_rate,
            file_fee=Money.from_domain(a.file_fee),
            payout_sla_hours=a.payout_sla_hours,
            instant_decision_limit=Money.from_domain(a.instant_decision_limit),
            signed_at=a.signed_at,
            partner_id=a.partner_id,
            leaser_id=a.leaser_id,
        )

    @strawberry.field(description="The publisher or reseller whose contracts are financed.")
    async def partner(self, info: strawberry.Info[Context, None]) -> Partner:
        return Partner.from_domain(await info.context.loaders.partner_by_id.load(self.partner_id))

    @strawberry.field(description="The leaser.")
    async def leaser(self, info: strawberry.Info[Context, None]) -> Partner:
        return Partner.from_domain(await info.context.loaders.partner_by_id.load(self.leaser_id))


@strawberry.type(description="A company on the platform: leaser, publisher, reseller, distributor...")
class Partner(Node):
    name: str
    roles: list[PartnerRole]
    registration_number: str | None = strawberry.field(description="SIREN or other national identifier.")
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2.")
    created_at: dt.datetime
    local_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, p: dp.Partner) -> Partner:
        return cls(
            id=strawberry.ID(to_global_id("Partner", p.id)),
            name=p.name,
            roles=sorted(p.roles, key=lambda r: r.value),
            registration_number=p.registration_number,
            country=p.country,
            created_at=p.created_at,
            local_id=p.id,
        )

    @strawberry.field(description="Financing agreements signed by this partner (its own users and leaser staff).")
    def financing_agreements(self, info: strawberry.Info[Context, None]) -> list[FinancingAgreement]:
        ctx = info.context
        agreements = partner_service.visible_agreements_of(ctx.ports, ctx.principal, self.local_id)
        return [FinancingAgreement.from_domain(a) for a in agreements]


@strawberry.type(description="The end client of a contract.")
class Customer:
    name: str
    registration_number: str | None
    email: str | None


@strawberry.type(description="One status change of a contract: what, when, who.")
class TimelineEvent:
    status: ContractStatus
    at: dt.datetime
    actor: str = strawberry.field(description="The user (JWT `sub`) or system step that made the change.")
    note: str | None


@strawberry.type(description="A leaser's decision on a financing request.")
class FinancingDecision:
    outcome: DecisionOutcome
    reasons: list[str]
    decided_at: dt.datetime
    decided_by: str = strawberry.field(description="`automatic`, or the credit analyst's user id.")


@strawberry.type(description="The delivery report (procès-verbal de livraison) signed after installation.")
class DeliveryReport:
    installed_at: dt.date
    signed_by: str
    submitted_at: dt.datetime


@strawberry.type(description="The financing of a contract.")
class Financing:
    financed_amount: Money = strawberry.field(description="PV of the software fees, financed by the leaser.")
    upfront_payout: Money = strawberry.field(description="Paid to the owner: financed amount less the file fee.")
    leaser_fees: Money
    decision_mode: DecisionMode
    decision: FinancingDecision | None
    requested_at: dt.datetime
    transmitted_at: dt.datetime | None = strawberry.field(description="When the complete file went to the leaser.")
    payout_due_by: dt.datetime | None = strawberry.field(description="transmittedAt + the agreement's payoutSlaHours.")
    delivery_report: DeliveryReport | None
    declined: str | None = strawberry.field(description="Who declined to sign what, and why.")
    waiting_for: WaitStep | None = strawberry.field(description="What the workflow waits for now, if anything.")
    agreement_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, f: dff.ContractFinancing) -> Financing:
        d = f.decision
        report = f.delivery_report
        return cls(
            financed_amount=Money.from_domain(f.financed_amount),
            upfront_payout=Money.from_domain(f.upfront_payout),
            leaser_fees=Money.from_domain(f.leaser_fees),
            decision_mode=f.decision_mode,
            decision=FinancingDecision(
                outcome=d.outcome, reasons=list(d.reasons), decided_at=d.decided_at, decided_by=d.decided_by
            ),
            requested_at=f.requested_at,
            transmitted_at=f.transmitted_at,
            payout_due_by=f.payout_due_by,
            delivery_report=DeliveryReport(
                installed_at=report.installed_at, signed_by=report.signed_by, submitted_at=report.submitted_at
            )
            if report
            else None,
            declined=f.declined,
            waiting_for=f.waiting_for,
            agreement_id=f.agreement_id,
        )

    @strawberry.field(
        description="The financing agreement the file runs under: null for a party that is not its owner or leaser."
    )
    async def agreement(self, info: strawberry.Info[Context, None]) -> FinancingAgreement | None:
        # Batched: a page of financed contracts reads its agreements in one BatchGetItem.
        found = await info.context.loaders.agreement_by_id.load(self.agreement_id)
        if found is None or not info.context.principal.can_see_any_of((found.partner_id, found.leaser_id)):
            return None  # the same rule as node(id:): an introducer does not read the owner's terms
        return FinancingAgreement.from_domain(found)


DocumentStatus = strawberry.enum(ddoc.DocumentStatus, description="GENERATED, SENT, SIGNED, DECLINED or EXPIRED.")


@strawberry.type(description="A document of the contract's file: produced, sent for signature, signed.")
class Document:
    kind: DocumentKind
    status: DocumentStatus | None = strawberry.field(description="Null while the document is not produced yet.")
    sha256: str | None = strawberry.field(description="SHA-256 of the PDF as produced and sent (hex).")
    signing_url: str | None = strawberry.field(description="Where the end client signs, while SENT.")
    signed_by: str | None
    signed_at: dt.datetime | None
    decline_reason: str | None = None
    file: strawberry.Private[ddoc.FileDocument | None] = None

    @strawberry.field(description="A link to the PDF valid for 5 minutes (presigned), for the contract's parties.")
    def download_url(self, info: strawberry.Info[Context, None]) -> str | None:
        if self.file is None:
            return None
        return document_service.download_url(info.context.ports, self.file)

    @classmethod
    def list_from(cls, c: dc.Contract) -> list[Document]:
        """The sale contract always; the lease contract and delivery report once financing is requested."""
        f = c.financing
        kinds = (
            [*dff.SIGNED_BEFORE_DELIVERY, dff.DocumentKind.DELIVERY_REPORT] if f else [dff.DocumentKind.SALE_CONTRACT]
        )
        documents = []
        for kind in kinds:
            file = c.document(kind)
            signature = c.signature_of(kind)
            signed_by = signature.signed_by if signature else None
            signed_at = signature.signed_at if signature else None
            if kind is dff.DocumentKind.DELIVERY_REPORT:
                report = f.delivery_report if f else None
                signed_by, signed_at = (report.signed_by, report.submitted_at) if report else (None, None)
            if file is not None and file.status is ddoc.DocumentStatus.DECLINED:
                signed_by, signed_at = file.signed_by, file.signed_at
            documents.append(
                cls(
                    kind=kind,
                    status=file.status if file else None,
                    sha256=file.sha256 if file else None,
                    signing_url=file.signing_url if file and file.status is ddoc.DocumentStatus.SENT else None,
                    signed_by=signed_by,
                    signed_at=signed_at,
                    decline_reason=file.decline_reason if file else None,
                    file=file,
                )
            )
        return documents


@strawberry.type(description="A payment to (or charge on) a partner.")
class Payout(Node):
    kind: PayoutKind
    status: PayoutStatus
    amount: Money
    installment: int | None = strawberry.field(description="Installment number (1..n) for support shares.")
    due_by: dt.datetime | None
    paid_at: dt.datetime | None
    sla_met: bool | None = strawberry.field(description="Paid by `dueBy`; null until paid.")
    failure_reason: str | None = strawberry.field(description="Why the transfer failed, for FAILED payouts.")
    beneficiary_id: strawberry.Private[str]
    contract_id: strawberry.Private[str | None]

    @classmethod
    def from_domain(cls, p: dpay.Payout) -> Payout:
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
            beneficiary_id=p.beneficiary_id,
            contract_id=p.contract_id,
        )

    @strawberry.field
    async def beneficiary(self, info: strawberry.Info[Context, None]) -> Partner:
        return Partner.from_domain(await info.context.loaders.partner_by_id.load(self.beneficiary_id))

    @strawberry.field
    async def contract(self, info: strawberry.Info[Context, None]) -> Contract | None:
        if self.contract_id is None:
            return None
        contract = await info.context.loaders.contract_by_id.load(self.contract_id)
        return Contract.from_domain(contract) if contract else None


@strawberry.type(description="A SaaS contract with an end client, owned by its publisher or its reseller.")
class Contract(Node):
    status: ContractStatus
    reseller_role: ResellerRole | None = strawberry.field(
        description="INTRODUCER when the publisher owns the contract, BUY_RESELL when the reseller does."
    )
    customer: Customer
    periodicity: Periodicity
    term_months: int
    start_date: dt.date
    software_fee: Money = strawberry.field(description="Software part of each rent, excluding tax.")
    support_fee: Money = strawberry.field(description="Support part of each rent, excluding tax.")
    under_continuity: bool = strawberry.field(description="Run by a continuity provider after a publisher default.")
    created_at: dt.datetime
    timeline: list[TimelineEvent]
    payout_due_by: dt.datetime | None = strawberry.field(
        description="When the file was transmitted plus the agreement's payout SLA; null before."
    )
    financing: Financing | None = strawberry.field(description="Null until financing is requested.")
    collected_installments: list[int] = strawberry.field(description="Installments collected from the end client.")
    documents: list[Document] = strawberry.field(description="The file's documents (none before financing).")
    owner_id: strawberry.Private[str]
    publisher_id: strawberry.Private[str]
    reseller_id: strawberry.Private[str | None]
    local_id: strawberry.Private[str]
    enrollment_id: strawberry.Private[str | None]
    payout_ids: strawberry.Private[frozenset[str]]

    @classmethod
    def from_domain(cls, c: dc.Contract) -> Contract:
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
            financing=Financing.from_domain(c.financing) if c.financing else None,
            collected_installments=list(c.collected_installments),
            documents=Document.list_from(c),
            owner_id=c.owner_id,
            publisher_id=c.publisher_id,
            reseller_id=c.reseller_id,
            local_id=c.id,
            enrollment_id=c.enrollment_id,
            payout_ids=c.payout_ids,
        )

    @strawberry.field(description="The contract owner, beneficiary of the financing.")
    async def owner(self, info: strawberry.Info[Context, None]) -> Partner:
        return Partner.from_domain(await info.context.loaders.partner_by_id.load(self.owner_id))

    @strawberry.field
    async def publisher(self, info: strawberry.Info[Context, None]) -> Partner:
        return Partner.from_domain(await info.context.loaders.partner_by_id.load(self.publisher_id))

    @strawberry.field
    async def reseller(self, info: strawberry.Info[Context, None]) -> Partner | None:
        if self.reseller_id is None:
            return None
        return Partner.from_domain(await info.context.loaders.partner_by_id.load(self.reseller_id))

    @strawberry.field(description="The program enrolment the contract is attributed to, if any.")
    def enrollment(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Enrollment, strawberry.lazy("channelfin.api.program_types")] | None:
        if self.enrollment_id is None:
            return None
        from channelfin.api.program_types import Enrollment

        found = program_service.visible_enrollment(info.context.ports, info.context.principal, self.enrollment_id)
        return Enrollment.from_domain(found) if found else None

    @strawberry.field(description="Payouts of this contract that the caller may see (a partner: its own).")
    async def payouts(
        self, info: strawberry.Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Payout]:
        ctx = info.context
        request = page_request(first, after)
        # One BatchGetItem for the payouts of every contract on the page, through the request's loader.
        loaded = await ctx.loaders.payout_by_id.load_many(sorted(self.payout_ids))
        page = payout_service.visible_on_contract(ctx.principal, loaded, request)
        return Connection[Payout].from_page(page, Payout.from_domain, after=after)


@strawberry.type(description="The calculator's answer; nothing is recorded.")
class LeaseQuote:
    financed_amount: Money = strawberry.field(description="PV of the rents paid in advance, to the cent.")
    rent: Money = strawberry.field(description="Software fee per period.")
    upfront_payout: Money = strawberry.field(description="Financed amount less the file fee.")
    leaser_fees: Money = strawberry.field(description="Rents over the term less the upfront payout.")
    decision_mode: DecisionMode
    periods: int = strawberry.field(description="Number of rents over the term.")

    @classmethod
    def from_domain(cls, q: df.LeaseQuote) -> LeaseQuote:
        return cls(
            financed_amount=Money.from_domain(q.financed_amount),
            rent=Money.from_domain(q.rent),
            upfront_payout=Money.from_domain(q.upfront_payout),
            leaser_fees=Money.from_domain(q.leaser_fees),
            decision_mode=q.decision_mode,
            periods=q.periods,
        )


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
