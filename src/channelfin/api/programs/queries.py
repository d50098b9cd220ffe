"""Root query fields of partner programs (seed 001)."""

import datetime as dt
from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.programs.types import AffiliateCompliance, Enrollment, PartnerProgram, PartnerStatement
from channelfin.domain.relations import ConsentStatus
from channelfin.services import ledger as ledger_service
from channelfin.services import programs as program_service


@strawberry.type
class ProgramsQueries:
    @strawberry.field(description="A partner program: its publisher's users and leaser staff.")
    def partner_program(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")]
    ) -> PartnerProgram | None:
        ctx = info.context
        key = local_id(id, "PartnerProgram", field=["id"])
        found = program_service.visible_program(ctx.ports, ctx.principal, key)
        return PartnerProgram.from_domain(found) if found else None

    @strawberry.field(description="An enrolment: the publisher's users, the enrolled partner's users, leaser staff.")
    def enrollment(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")]
    ) -> Enrollment | None:
        ctx = info.context
        key = local_id(id, "Enrollment", field=["id"])
        found = program_service.visible_enrollment(ctx.ports, ctx.principal, key)
        return Enrollment.from_domain(found) if found else None

    @strawberry.field(
        description="A partner's enrolments in publishers' programs, newest first, optionally of one status: "
        "the PENDING ones await its partner-admin's answer (its own users and leaser staff; empty for others)."
    )
    def enrollments(
        self,
        info: Info,
        partner_id: Annotated[strawberry.ID, strawberry.argument(description="The enrolled partner.")],
        status: Annotated[
            ConsentStatus | None, strawberry.argument(description="Only enrolments in this state; none: every state.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Enrollment]:
        ctx = info.context
        request = paging(info, first, after)
        page = program_service.enrollments_of_partner(
            ctx.ports,
            ctx.principal,
            partner_id=local_id(partner_id, "Partner", field=["partnerId"]),
            status=status,
            page=request.request,
        )
        return Connection[Enrollment].from_page(page, Enrollment.from_domain, request)

    @strawberry.field(description="A partner's payouts and charges whose value date is in [from, to), with totals.")
    def partner_statement(
        self,
        info: Info,
        partner_id: Annotated[strawberry.ID, strawberry.argument(description="The partner whose statement it is.")],
        from_: Annotated[dt.datetime, strawberry.argument(name="from", description="Start of the period, included.")],
        to: Annotated[dt.datetime, strawberry.argument(description="End of the period, excluded.")],
    ) -> PartnerStatement | None:
        ctx = info.context
        partner = local_id(partner_id, "Partner", field=["partnerId"])
        statement = program_service.partner_statement(ctx.ports, ctx.principal, partner_id=partner, start=from_, end=to)
        if statement is None:
            return None
        ledger = ledger_service.statement(ctx.ports, ctx.principal, partner_id=partner, start=from_, end=to)
        return PartnerStatement.from_domain(statement, ledger)

    @strawberry.field(
        description="Each affiliate's sales in a year and whether it meets the program's minimum "
        "(the publisher's partner-admin)."
    )
    def affiliate_compliance(
        self,
        info: Info,
        program_id: Annotated[strawberry.ID, strawberry.argument(description="The partner program.")],
        year: Annotated[int, strawberry.argument(description="The calendar year counted.")],
    ) -> list[AffiliateCompliance]:
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


node_loader("PartnerProgram", program_service.visible_program, PartnerProgram.from_domain)
node_loader("Enrollment", program_service.visible_enrollment, Enrollment.from_domain)
