"""Use cases of a publisher's partner program: programs, enrolments, sales, settlements, statements."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime, time
from decimal import Decimal

from channelfin.domain.access import Principal, Role, require, require_acting_for
from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import CommonCode, PartnerCode, ProgramCode
from channelfin.domain.errors import Conflict, NotFound, ValidationError
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus, Statement, commission_id, partner_charge_id
from channelfin.domain.programs import Enrollment, PartnerProgram, PartnerTier, commission_for, partner_charges
from channelfin.services.paging import all_items
from channelfin.services.ports import Ports


def _require_publisher_admin(principal: Principal, publisher_id: str, *, action: str, field: list[str]) -> None:
    """The publisher's partner-admin (a leaser-admin may act on any program too)."""
    if principal.has_any(Role.LEASER_ADMIN):
        return
    require(principal, Role.PARTNER_ADMIN, action=action)
    require_acting_for(principal, publisher_id, action=action, field=field)


def create_partner_program(
    ports: Ports,
    principal: Principal,
    *,
    publisher_id: str,
    name: str,
    entry_fee_rate: Decimal,
    affiliate_min_sales_per_year: int | None,
    tier_overrides: dict[PartnerTier, dict[str, object]] | None = None,
) -> PartnerProgram:
    _require_publisher_admin(principal, publisher_id, action="createPartnerProgram", field=["publisherId"])
    publisher = ports.partners.get(publisher_id)
    if publisher is None:
        raise NotFound("no such partner", field=["publisherId"])
    if not publisher.has_role(PartnerRole.PUBLISHER):
        raise ValidationError(
            "a partner program is run by a publisher", code=PartnerCode.NOT_A_PUBLISHER, field=["publisherId"]
        )
    program = PartnerProgram.create(
        id=ports.new_id(),
        publisher_id=publisher_id,
        name=name,
        entry_fee_rate=entry_fee_rate,
        affiliate_min_sales_per_year=affiliate_min_sales_per_year,
        tier_overrides=tier_overrides,
        created_at=ports.clock(),
        created_by=principal.sub,
    )
    ports.programs.add_program(program)
    return program


def visible_program(ports: Ports, principal: Principal, program_id: str) -> PartnerProgram | None:
    program = ports.programs.get_program(program_id)
    if program is None or not principal.can_see_partner(program.publisher_id):
        return None
    return program


def _program_for_admin(ports: Ports, principal: Principal, program_id: str, action: str) -> PartnerProgram:
    program = visible_program(ports, principal, program_id)
    if program is None:
        raise NotFound("no such program", field=["programId"])
    _require_publisher_admin(principal, program.publisher_id, action=action, field=["programId"])
    return program


def enroll_partner(
    ports: Ports,
    principal: Principal,
    *,
    program_id: str,
    partner_id: str,
    tier: PartnerTier,
    segment_potential: Money | None,
) -> Enrollment:
    program = _program_for_admin(ports, principal, program_id, "enrollPartner")
    if ports.partners.get(partner_id) is None:
        raise NotFound("no such partner", field=["partnerId"])
    if partner_id == program.publisher_id:
        raise ValidationError(
            "a publisher does not enrol in its own program", code=CommonCode.SAME_PARTNER, field=["partnerId"]
        )
    enrollment = Enrollment.enroll(
        id=ports.new_id(),
        program=program,
        partner_id=partner_id,
        tier=tier,
        segment_potential=segment_potential,
        enrolled_at=ports.clock(),
        enrolled_by=principal.sub,
    )
    ports.programs.add_enrollment(enrollment)
    return enrollment


def visible_enrollment(ports: Ports, principal: Principal, enrollment_id: str) -> Enrollment | None:
    """Seen by the publisher's users, the enrolled partner's users and leaser staff."""
    enrollment = ports.programs.get_enrollment(enrollment_id)
    if enrollment is None or not principal.can_see_any_of((enrollment.publisher_id, enrollment.partner_id)):
        return None
    return enrollment


def set_technical_qualification(
    ports: Ports, principal: Principal, *, enrollment_id: str, qualified: bool
) -> Enrollment:
    enrollment = visible_enrollment(ports, principal, enrollment_id)
    if enrollment is None:
        raise NotFound("no such enrolment", field=["enrollmentId"])
    _require_publisher_admin(principal, enrollment.publisher_id, action="setTechnicalQualification", field=[])
    if enrollment.technically_qualified == qualified:
        return enrollment
    changed = replace(enrollment, technically_qualified=qualified)
    ports.programs.save_enrollment(changed)
    return changed


def enrollment_for_contract(ports: Ports, principal: Principal, enrollment_id: str, publisher_id: str) -> Enrollment:
    """The enrolment a new contract is attributed to: in that publisher's program, allowed to onboard.

    Only the enrolled partner's own users or the publisher's attribute a deal to it: anyone
    else could charge the partner (affiliates) or make the publisher pay a commission.
    """
    enrollment = ports.programs.get_enrollment(enrollment_id)
    if enrollment is None or not (
        principal.acts_for(enrollment.partner_id) or principal.acts_for(enrollment.publisher_id)
    ):
        raise NotFound("no such enrolment", field=["enrollmentId"])
    if enrollment.publisher_id != publisher_id:
        raise ValidationError(
            "the enrolment belongs to another publisher's program",
            code=ProgramCode.WRONG_PROGRAM,
            field=["enrollmentId"],
        )
    enrollment.require_may_onboard()
    return enrollment


def _midnight(day: object) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)  # type: ignore[arg-type]


def register_sale(ports: Ports, contract: Contract) -> None:
    """The moment the sale contract is signed: number the sale and schedule what it earns, once.

    Every write is keyed by the contract (sale item, `commission-<id>`, `charge-<id>-<year>`)
    and conditional, so a repeated signature event changes nothing.
    """
    if contract.enrollment_id is None or contract.sold_at is None:
        return
    enrollment = ports.programs.get_enrollment(contract.enrollment_id)
    if enrollment is None:
        return
    sale = ports.programs.record_sale(enrollment.id, contract.id, contract.sold_at)
    if sale.cancelled:
        return
    due: list[Payout] = []
    amount = commission_for(enrollment.rules, sale.number, contract)
    if amount is not None and amount.amount > 0:
        due.append(
            Payout(
                id=commission_id(contract.id),
                kind=PayoutKind.COMMISSION,
                status=PayoutStatus.SCHEDULED,
                amount=amount,
                beneficiary_id=enrollment.partner_id,
                created_at=contract.sold_at,
                contract_id=contract.id,
                due_by=contract.sold_at,
                program_id=enrollment.program_id,
            )
        )
    for charge in partner_charges(enrollment.rules, contract):
        due.append(
            Payout(
                id=partner_charge_id(contract.id, charge.year),
                kind=PayoutKind.PARTNER_CHARGE,
                status=PayoutStatus.SCHEDULED,
                amount=charge.amount,
                beneficiary_id=enrollment.partner_id,
                created_at=contract.sold_at,
                contract_id=contract.id,
                installment=charge.year,
                due_by=max(_midnight(charge.due_on), contract.sold_at),
                program_id=enrollment.program_id,
            )
        )
    for payout in due:
        with contextlib.suppress(Conflict):  # scheduled by an earlier delivery of the same event
            ports.payouts.add(payout)


def undo_sale(ports: Ports, contract: Contract) -> None:
    """A cancelled contract: its sale stops counting, and what it earned and was not settled is CANCELLED."""
    if contract.enrollment_id is not None:
        ports.programs.cancel_sale(contract.enrollment_id, contract.id)
    for payout in all_items(lambda page: ports.payouts.find(contract_id=contract.id, beneficiary_id=None, page=page)):
        if payout.kind in (PayoutKind.COMMISSION, PayoutKind.PARTNER_CHARGE) and payout.status is (
            PayoutStatus.SCHEDULED
        ):
            with contextlib.suppress(Conflict):  # settled meanwhile: a paid line stays paid
                ports.payouts.save(payout.cancelled(), expected_status=PayoutStatus.SCHEDULED)


def settle_commissions(ports: Ports, principal: Principal, *, program_id: str, up_to: datetime) -> list[Payout]:
    """Pay the program's scheduled commissions due by `up_to`; a second run finds nothing left to pay."""
    program = _program_for_admin(ports, principal, program_id, "settleCommissions")
    now = ports.clock()
    reference = f"settlement-{program.id}-{now:%Y%m%dT%H%M%S}"
    settled = []
    for payout in ports.payouts.scheduled_of_program(program.id, PayoutKind.COMMISSION, up_to):
        paid = payout.paid(at=now, reference=reference)
        try:
            ports.payouts.save(paid, expected_status=PayoutStatus.SCHEDULED)
        except Conflict:
            continue  # a concurrent settlement (or a cancellation) got there first
        settled.append(paid)
    return settled


def partner_statement(
    ports: Ports, principal: Principal, *, partner_id: str, start: datetime, end: datetime
) -> Statement | None:
    if not principal.can_see_partner(partner_id):
        return None
    if end <= start:
        raise ValidationError("the period ends after it starts", code=CommonCode.INVALID_PERIOD, field=["to"])
    lines = ports.payouts.of_beneficiary_between(partner_id, start, end)
    return Statement.of(partner_id, start, end, lines)


def affiliate_compliance(
    ports: Ports, principal: Principal, *, program_id: str, year: int
) -> list[tuple[Enrollment, int, bool]]:
    """Each affiliate's sales that year (cancelled ones do not count) against the program's minimum."""
    program = _program_for_admin(ports, principal, program_id, "affiliateCompliance")
    rows = []
    for enrollment in ports.programs.enrollments_of(program.id):
        if enrollment.tier is not PartnerTier.AFFILIATE:
            continue
        sales = sum(1 for s in ports.programs.sales_of(enrollment.id) if s.sold_at.year == year and not s.cancelled)
        rows.append((enrollment, sales, sales >= program.affiliate_min_sales_per_year))
    return rows
