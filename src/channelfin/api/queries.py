"""Root query fields."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from channelfin.api.audit import AuditEntryType
from channelfin.api.context import Context
from channelfin.api.escrow_types import EscrowAgreement
from channelfin.api.ids import from_global_id, local_id
from channelfin.api.incentive_types import CampaignKind, CreditLine, IncentiveCampaign, PriceQuote
from channelfin.api.inputs import ContractFilter, LeaseQuoteInput, PartnerFilter, PayoutFilter, PriceQuoteInput
from channelfin.api.pagination import Connection, page_request
from channelfin.api.program_types import AffiliateCompliance, Enrollment, PartnerProgram, PartnerStatement
from channelfin.api.types import Contract, FinancingAgreement, LeaseQuote, Node, Partner, Payout, Viewer
from channelfin.domain.errors import ValidationError
from channelfin.domain.incentives import CreditLine as DomainCreditLine
from channelfin.domain.incentives import OrderLine
from channelfin.domain.money import Money as DomainMoney
from channelfin.services import audit as audit_service
from channelfin.services import contracts as contract_service
from channelfin.services import escrow as escrow_service
from channelfin.services import incentives as incentive_service
from channelfin.services import partners as partner_service
from channelfin.services import payouts as payout_service
from channelfin.services import programs as program_service
from channelfin.services import quotes as quote_service

Info = strawberry.Info[Context, None]


def _optional_id(value: strawberry.ID | None, type_name: str, field: list[str]) -> str | None:
    return local_id(value, type_name, field=field) if value else None


@strawberry.type
class Query:
    @strawberry.field(description="The caller.")
    def viewer(self, info: Info) -> Viewer:
        p = info.context.principal
        return Viewer(sub=p.sub, roles=sorted(r.value for r in p.roles), partner_id=p.partner_id)

    @strawberry.field(description="Any object by global id; null when it does not exist or is not yours to see.")
    def node(self, info: Info, id: strawberry.ID) -> Node | None:
        ctx = info.context
        principal = ctx.principal
        type_name, key = from_global_id(id)
        if type_name == "Partner":
            partner = partner_service.visible_partner(ctx.ports, principal, key)
            return Partner.from_domain(partner) if partner else None
        if type_name == "FinancingAgreement":
            agreement = partner_service.visible_agreement(ctx.ports, principal, key)
            return FinancingAgreement.from_domain(agreement) if agreement else None
        if type_name == "Contract":
            contract = contract_service.visible_contract(ctx.ports, principal, key)
            return Contract.from_domain(contract) if contract else None
        if type_name == "EscrowAgreement":
            escrow = escrow_service.visible_escrow(ctx.ports, principal, key)
            return EscrowAgreement.from_domain(escrow) if escrow else None
        if type_name == "PartnerProgram":
            program = program_service.visible_program(ctx.ports, principal, key)
            return PartnerProgram.from_domain(program) if program else None
        if type_name == "CreditLine":
            line = incentive_service.visible_credit_line(ctx.ports, principal, key)
            return CreditLine.from_domain(line) if line else None
        if type_name == "IncentiveCampaign":
            campaign = incentive_service.visible_campaign(ctx.ports, principal, key)
            return IncentiveCampaign.from_domain(campaign) if campaign else None
        if type_name == "Enrollment":
            enrollment = program_service.visible_enrollment(ctx.ports, principal, key)
            return Enrollment.from_domain(enrollment) if enrollment else None
        payout = payout_service.visible_payout(ctx.ports, principal, key)
        return Payout.from_domain(payout) if payout else None

    @strawberry.field(description="A partner: your own, or any for leaser staff; null otherwise.")
    def partner(self, info: Info, id: strawberry.ID) -> Partner | None:
        ctx = info.context
        found = partner_service.visible_partner(ctx.ports, ctx.principal, local_id(id, "Partner", field=["id"]))
        return Partner.from_domain(found) if found else None

    @strawberry.field(description="Partners by name (leaser staff: all; a partner's users: their own).")
    def partners(
        self, info: Info, filter: PartnerFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Partner]:
        ctx = info.context
        page = partner_service.list_partners(
            ctx.ports, ctx.principal, role=filter.role if filter else None, page=page_request(first, after)
        )
        return Connection[Partner].from_page(page, Partner.from_domain, after=after)

    @strawberry.field(description="A contract where your partner plays a role; null otherwise.")
    def contract(self, info: Info, id: strawberry.ID) -> Contract | None:
        ctx = info.context
        found = contract_service.visible_contract(ctx.ports, ctx.principal, local_id(id, "Contract", field=["id"]))
        return Contract.from_domain(found) if found else None

    @strawberry.field(description="Contracts newest first, by party, role and status.")
    def contracts(
        self, info: Info, filter: ContractFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Contract]:
        ctx = info.context
        filter = filter or ContractFilter()
        page = contract_service.list_contracts(
            ctx.ports,
            ctx.principal,
            partner_id=_optional_id(filter.partner_id, "Partner", ["filter", "partnerId"]),
            role=filter.role,
            status=filter.status,
            page=page_request(first, after),
        )
        return Connection[Contract].from_page(page, Contract.from_domain, after=after)

    @strawberry.field(description="Payouts newest first (a partner's users: the ones their partner receives).")
    def payouts(
        self, info: Info, filter: PayoutFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Payout]:
        ctx = info.context
        filter = filter or PayoutFilter()
        page = payout_service.list_payouts(
            ctx.ports,
            ctx.principal,
            contract_id=_optional_id(filter.contract_id, "Contract", ["filter", "contractId"]),
            beneficiary_id=_optional_id(filter.beneficiary_id, "Partner", ["filter", "beneficiaryId"]),
            page=page_request(first, after),
        )
        return Connection[Payout].from_page(page, Payout.from_domain, after=after)

    @strawberry.field(description="The lease calculator under a financing agreement. No side effect.")
    def lease_quote(self, info: Info, input: LeaseQuoteInput) -> LeaseQuote:
        ctx = info.context
        quote = quote_service.lease_quote(
            ctx.ports,
            ctx.principal,
            agreement_id=local_id(input.agreement_id, "FinancingAgreement", field=["agreementId"]),
            periodicity=input.periodicity,
            term_months=input.term_months,
            software_fee=DomainMoney(input.software_fee) if input.software_fee is not None else None,
            financed_amount=DomainMoney(input.financed_amount) if input.financed_amount is not None else None,
        )
        return LeaseQuote.from_domain(quote)

    @strawberry.field(description="A partner program: its publisher's users and leaser staff.")
    def partner_program(self, info: Info, id: strawberry.ID) -> PartnerProgram | None:
        ctx = info.context
        key = local_id(id, "PartnerProgram", field=["id"])
        found = program_service.visible_program(ctx.ports, ctx.principal, key)
        return PartnerProgram.from_domain(found) if found else None

    @strawberry.field(description="An enrolment: the publisher's users, the enrolled partner's users, leaser staff.")
    def enrollment(self, info: Info, id: strawberry.ID) -> Enrollment | None:
        ctx = info.context
        key = local_id(id, "Enrollment", field=["id"])
        found = program_service.visible_enrollment(ctx.ports, ctx.principal, key)
        return Enrollment.from_domain(found) if found else None

    @strawberry.field(description="A partner's payouts and charges whose value date is in [from, to), with totals.")
    def partner_statement(
        self,
        info: Info,
        partner_id: strawberry.ID,
        from_: Annotated[dt.datetime, strawberry.argument(name="from")],
        to: dt.datetime,
    ) -> PartnerStatement | None:
        ctx = info.context
        statement = program_service.partner_statement(
            ctx.ports,
            ctx.principal,
            partner_id=local_id(partner_id, "Partner", field=["partnerId"]),
            start=from_,
            end=to,
        )
        return PartnerStatement.from_domain(statement) if statement else None

    @strawberry.field(
        description="Each affiliate's sales in a year and whether it meets the program's minimum "
        "(the publisher's partner-admin)."
    )
    def affiliate_compliance(self, info: Info, program_id: strawberry.ID, year: int) -> list[AffiliateCompliance]:
        ctx = info.context
        rows = program_service.affiliate_compliance(
            ctx.ports,
            ctx.principal,
            program_id=local_id(program_id, "PartnerProgram", field=["programId"]),
            year=year,
        )
        return [
            AffiliateCompliance(enrollment=Enrollment.from_domain(e), sales=sales, meets_minimum=meets)
            for e, sales, meets in rows
        ]

    @strawberry.field(description="An escrow agreement: leaser staff and the partners it names.")
    def escrow_agreement(self, info: Info, id: strawberry.ID) -> EscrowAgreement | None:
        ctx = info.context
        key = local_id(id, "EscrowAgreement", field=["id"])
        found = escrow_service.visible_escrow(ctx.ports, ctx.principal, key)
        return EscrowAgreement.from_domain(found) if found else None

    @strawberry.field(
        description="A credit line by id, or by its distributor and reseller: their users and leaser staff."
    )
    def credit_line(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        distributor_id: strawberry.ID | None = None,
        reseller_id: strawberry.ID | None = None,
    ) -> CreditLine | None:
        ctx = info.context
        if id is not None:
            key = local_id(id, "CreditLine", field=["id"])
        elif distributor_id is not None and reseller_id is not None:
            key = DomainCreditLine.id_for(
                local_id(distributor_id, "Partner", field=["distributorId"]),
                local_id(reseller_id, "Partner", field=["resellerId"]),
            )
        else:
            raise ValidationError("give id, or distributorId and resellerId", code="REQUIRED", field=["id"])
        found = incentive_service.visible_credit_line(ctx.ports, ctx.principal, key)
        return CreditLine.from_domain(found) if found else None

    @strawberry.field(description="A partner's credit lines: as distributor (default) or as reseller.")
    def credit_lines(
        self,
        info: Info,
        partner_id: strawberry.ID,
        as_reseller: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CreditLine]:
        ctx = info.context
        page = incentive_service.list_credit_lines(
            ctx.ports,
            ctx.principal,
            partner_id=local_id(partner_id, "Partner", field=["partnerId"]),
            as_distributor=not as_reseller,
            page=page_request(first, after),
        )
        return Connection[CreditLine].from_page(page, CreditLine.from_domain, after=after)

    @strawberry.field(description="A vendor's incentive campaigns, by kind then start date (any signed-in caller).")
    def incentive_campaigns(
        self,
        info: Info,
        vendor_id: strawberry.ID,
        kind: CampaignKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[IncentiveCampaign]:
        ctx = info.context
        page = incentive_service.list_campaigns(
            ctx.ports,
            ctx.principal,
            vendor_id=local_id(vendor_id, "Partner", field=["vendorId"]),
            kind=kind,
            page=page_request(first, after),
        )
        return Connection[IncentiveCampaign].from_page(page, IncentiveCampaign.from_domain, after=after)

    @strawberry.field(description="Order lines priced under the vendor's DISCOUNT campaigns in force. No side effect.")
    def price_quote(self, info: Info, input: PriceQuoteInput) -> PriceQuote:
        ctx = info.context
        quote = incentive_service.price_quote(
            ctx.ports,
            ctx.principal,
            vendor_id=local_id(input.vendor_id, "Partner", field=["vendorId"]),
            at=input.at,
            lines=[
                OrderLine(
                    reference=line.reference.strip(),
                    licence_program=line.licence_program,
                    quantity=line.quantity,
                    unit_price=DomainMoney(line.unit_price),
                    product_family=line.product_family,
                )
                for line in input.lines
            ],
        )
        return PriceQuote.from_domain(quote)

    @strawberry.field(
        description="Every mutation of a UTC day, newest first: who, when, what, how it ended (leaser-admin)."
    )
    def audit_trail(
        self, info: Info, day: dt.date, first: int | None = None, after: str | None = None
    ) -> Connection[AuditEntryType]:
        ctx = info.context
        page = audit_service.audit_trail(ctx.ports, ctx.principal, day=day, page=page_request(first, after))
        return Connection[AuditEntryType].from_page(page, AuditEntryType.from_domain, after=after)
