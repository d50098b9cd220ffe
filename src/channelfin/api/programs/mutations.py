"""Mutations of partner programs (seed 001): each returns the changed object and `userErrors`."""

from collections.abc import Callable
from typing import Annotated

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.money import Money as MoneyType
from channelfin.api.core.node import Info, present
from channelfin.api.core.payloads import P, attempt, object_payload
from channelfin.api.core.refs import PayoutRef
from channelfin.api.programs.inputs import (
    AcceptEnrollmentInput,
    CreatePartnerProgramInput,
    DeclineEnrollmentInput,
    EnrollPartnerInput,
    SetTechnicalQualificationInput,
    SettleCommissionsInput,
)
from channelfin.api.programs.types import Enrollment, PartnerProgram
from channelfin.domain.money import Money
from channelfin.domain.money import Money as DomainMoney
from channelfin.domain.programs import PartnerTier
from channelfin.services import programs as program_service

TIER_RULE_FIELDS = (
    "rate",
    "from_sale",
    "reward",
    "onboarding_by",
    "onboarding_invoiced_by",
    "contract_held_by",
    "support_by",
    "needs_technical_qualification",
)


@strawberry.type(description="What `createPartnerProgram` answers: what it changed, or its userErrors.")
class CreatePartnerProgramPayload:
    program: PartnerProgram | None = strawberry.field(description="The new program; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `enrollPartner` answers: what it changed, or its userErrors.")
class EnrollPartnerPayload:
    enrollment: Enrollment | None = strawberry.field(description="The new enrolment; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `acceptEnrollment` answers: what it changed, or its userErrors.")
class AcceptEnrollmentPayload:
    enrollment: Enrollment | None = strawberry.field(description="The enrolment, ACCEPTED; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `declineEnrollment` answers: what it changed, or its userErrors.")
class DeclineEnrollmentPayload:
    enrollment: Enrollment | None = strawberry.field(description="The enrolment, DECLINED; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `setTechnicalQualification` answers: what it changed, or its userErrors.")
class SetTechnicalQualificationPayload:
    enrollment: Enrollment | None = strawberry.field(description="The enrolment after it; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `settleCommissions` answers: what it changed, or its userErrors.")
class SettleCommissionsPayload:
    settled: list[PayoutRef] = strawberry.field(description="The commissions this call paid (none on a repeat).")
    total: MoneyType = strawberry.field(description="What was paid in all.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


def _answer(info: Info, payload: Callable[..., P], enrollment_id: strawberry.ID, *, accept: bool) -> P:
    ctx = info.context
    return object_payload(
        payload,
        "enrollment",
        Enrollment.from_domain,
        lambda: program_service.answer_enrollment(
            ctx.ports,
            ctx.principal,
            enrollment_id=local_id(enrollment_id, "Enrollment", field=["enrollmentId"]),
            accept=accept,
        ),
    )


@strawberry.type
class ProgramsMutations:
    @strawberry.mutation(
        description="Start a partner program with the four tiers and their default rules "
        "(the publisher's partner-admin)."
    )
    def create_partner_program(
        self,
        info: Info,
        input: Annotated[
            CreatePartnerProgramInput, strawberry.argument(description="What to do: see `CreatePartnerProgramInput`.")
        ],
    ) -> CreatePartnerProgramPayload:
        ctx = info.context
        overrides: dict[PartnerTier, dict[str, object]] = {}
        for change in input.tier_rules or []:
            values = {name: getattr(change, name) for name in TIER_RULE_FIELDS}
            overrides[change.tier] = {k: v for k, v in values.items() if v is not None}
        return object_payload(
            CreatePartnerProgramPayload,
            "program",
            PartnerProgram.from_domain,
            lambda: program_service.create_partner_program(
                ctx.ports,
                ctx.principal,
                publisher_id=local_id(input.publisher_id, "Partner", field=["publisherId"]),
                name=input.name,
                entry_fee_rate=input.entry_fee_rate,
                affiliate_min_sales_per_year=input.affiliate_min_sales_per_year,
                tier_overrides=overrides,
            ),
        )

    @strawberry.mutation(description="Enrol a partner in a program at a tier (the publisher's partner-admin).")
    def enroll_partner(
        self,
        info: Info,
        input: Annotated[EnrollPartnerInput, strawberry.argument(description="What to do: see `EnrollPartnerInput`.")],
    ) -> EnrollPartnerPayload:
        ctx = info.context
        return object_payload(
            EnrollPartnerPayload,
            "enrollment",
            Enrollment.from_domain,
            lambda: program_service.enroll_partner(
                ctx.ports,
                ctx.principal,
                program_id=local_id(input.program_id, "PartnerProgram", field=["programId"]),
                partner_id=local_id(input.partner_id, "Partner", field=["partnerId"]),
                tier=input.tier,
                segment_potential=Money(input.segment_potential) if input.segment_potential is not None else None,
            ),
        )

    @strawberry.mutation(
        description="Accept an enrolment (the enrolled partner's partner-admin, once): from then on contracts may "
        "be attributed to it, and an affiliate's entry fee is charged."
    )
    def accept_enrollment(
        self,
        info: Info,
        input: Annotated[
            AcceptEnrollmentInput, strawberry.argument(description="What to do: see `AcceptEnrollmentInput`.")
        ],
    ) -> AcceptEnrollmentPayload:
        return _answer(info, AcceptEnrollmentPayload, input.enrollment_id, accept=True)

    @strawberry.mutation(
        description="Decline an enrolment (the enrolled partner's partner-admin, once): nothing is ever "
        "attributed to it or charged."
    )
    def decline_enrollment(
        self,
        info: Info,
        input: Annotated[
            DeclineEnrollmentInput, strawberry.argument(description="What to do: see `DeclineEnrollmentInput`.")
        ],
    ) -> DeclineEnrollmentPayload:
        return _answer(info, DeclineEnrollmentPayload, input.enrollment_id, accept=False)

    @strawberry.mutation(description="Record (or withdraw) an integrator's technical qualification (publisher admin).")
    def set_technical_qualification(
        self,
        info: Info,
        input: Annotated[
            SetTechnicalQualificationInput,
            strawberry.argument(description="What to do: see `SetTechnicalQualificationInput`."),
        ],
    ) -> SetTechnicalQualificationPayload:
        ctx = info.context
        return object_payload(
            SetTechnicalQualificationPayload,
            "enrollment",
            Enrollment.from_domain,
            lambda: program_service.set_technical_qualification(
                ctx.ports,
                ctx.principal,
                enrollment_id=local_id(input.enrollment_id, "Enrollment", field=["enrollmentId"]),
                qualified=input.qualified,
            ),
        )

    @strawberry.mutation(
        description="Pay the program's scheduled commissions due up to a time, once (the publisher's partner-admin)."
    )
    def settle_commissions(
        self,
        info: Info,
        input: Annotated[
            SettleCommissionsInput, strawberry.argument(description="What to do: see `SettleCommissionsInput`.")
        ],
    ) -> SettleCommissionsPayload:
        ctx = info.context
        settled, errors = attempt(
            lambda: program_service.settle_commissions(
                ctx.ports,
                ctx.principal,
                program_id=local_id(input.program_id, "PartnerProgram", field=["programId"]),
                up_to=input.up_to,
            )
        )
        paid = [present("Payout", p) for p in settled or []]
        total = sum((p.amount for p in settled or []), DomainMoney.zero())
        return SettleCommissionsPayload(settled=paid, total=MoneyType.from_domain(total), user_errors=errors)
