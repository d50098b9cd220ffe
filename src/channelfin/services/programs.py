"""Use cases of a publisher's partner program: programs, enrolments and their answer, sales, settlements,
statements."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from channelfin.domain.access import Principal, Role, require, require_acting_for
from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import CommonCode, PartnerCode, ProgramCode
from channelfin.domain.errors import Conflict, NotFound, ValidationError
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import (
    Payout,
    PayoutKind,
    PayoutStatus,
    Statement,
    commission_id,
    partner_charge_id,
)
from channelfin.domain.programs import (
    Enrollment,
    PartnerProgram,
    PartnerTier,
    commission_for,
    entry_fee,
    partner_charges,
)
from channelfin.domain.relations import ConsentStatus, Relation
from channelfin.services.clawbacks import ENDED_WITHOUT_SALE, undo_payout
from channelfin.services.paging import Page, PageRequest, all_items
from channelfin.services.ports import Ports
from channelfin.services.retry import MAX_WRITE_ATTEMPTS, backoff

SETTLED_KINDS = frozenset({PayoutKind.COMMISSION})  # what settleCommissions pays: a run of commissions


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
    if not principal.has_any(Role.LEASER_ADMIN):  # above the bounds, the leaser decides
        program.require_within_bounds()
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
    ports.programs.add_enrollment(enrollment)  # an offer: nothing is charged until the partner accepts
    return enrollment


def answer_enrollment(ports: Ports, principal: Principal, *, enrollment_id: str, accept: bool) -> Enrollment:
    """The enrolled partner's partner-admin accepts or declines, once; an acceptance charges the entry fee
    (an affiliate's: a charge of the enrolment, owed to the publisher) and relates the partner to the
    publisher, in the same transaction. Nobody answers for the partner, not the publisher nor the leaser."""
    action = "acceptEnrollment" if accept else "declineEnrollment"
    enrollment = visible_enrollment(ports, principal, enrollment_id)
    if enrollment is None:
        raise NotFound("no such enrolment", field=["enrollmentId"])
    require(principal, Role.PARTNER_ADMIN, action=action)
    require_acting_for(principal, enrollment.partner_id, action=action, field=["enrollmentId"])
    partner = ports.partners.get(enrollment.partner_id)
    assert partner is not None
    for attempt in range(MAX_WRITE_ATTEMPTS):
        backoff(attempt)
        current = ports.programs.get_enrollment(enrollment_id) if attempt else enrollment
        assert current is not None
        answered = current.answered(accept=accept, by=principal.sub, at=ports.clock())  # ALREADY_ANSWERED after a race
        relation = None
        if answered.is_accepted:
            assert answered.answered_at is not None
            relation = Relation.of_enrollment(enrollment.publisher_id, partner, enrollment.id, answered.answered_at)
        try:
            ports.programs.answer_enrollment(answered, charge=entry_fee(answered), relation=relation)
        except Conflict:
            continue
        return answered
    raise Conflict("the enrolment is being answered by others; try again")


def enrollments_of_partner(
    ports: Ports, principal: Principal, *, partner_id: str, status: ConsentStatus | None, page: PageRequest
) -> Page[Enrollment]:
    """A partner's enrolments (its own users and leaser staff): what it was offered and what it accepted."""
    if not principal.can_see_partner(partner_id):
        return Page(items=[])
    return ports.programs.enrollments_of_partner(partner_id, status=status, page=page)


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
    enrollment.require_accepted()
    enrollment.require_may_onboard()
    return enrollment


def _midnight(day: object) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)  # type: ignore[arg-type]


def register_sale(ports: Ports, contract: Contract) -> None:
    """The moment the sale contract is signed: number the sale and schedule what it earns, once.

    Every write is keyed by the contract (sale item, `commission-<id>`, `charge-<id>-<year>`)
    and conditional, so a repeated signature event changes nothing.

    The commission of a file whose documents went to an address no analyst confirmed is not
    scheduled yet: whoever typed the address may have signed as the end client (issue 17). The
    analyst's `releaseHeldPayout` calls this again, which then schedules it.
    """
    if contract.enrollment_id is None or contract.sold_at is None:
        return
    enrollment = ports.programs.get_enrollment(contract.enrollment_id)
    if enrollment is None or not enrollment.is_accepted:  # attributed only once accepted (enrollment_for_contract)
        return
    sale = ports.programs.record_sale(enrollment.id, contract.id, contract.sold_at)
    if sale.cancelled:
        return
    due: list[Payout] = []
    amount = commission_for(enrollment.rules, sale.number, contract)
    held = contract.financing is not None and contract.financing.signer_unchecked
    if amount is not None and amount.amount > 0 and not held:
        due.append(
            Payout(  # the publisher pays its partner's commission
                id=commission_id(contract.id),
                kind=PayoutKind.COMMISSION,
                status=PayoutStatus.SCHEDULED,
                amount=amount,
                beneficiary_id=enrollment.partner_id,
                payer_id=enrollment.publisher_id,
                created_at=contract.sold_at,
                contract_id=contract.id,
                due_by=contract.sold_at,
                program_id=enrollment.program_id,
                enrollment_id=enrollment.id,
            )
        )
    # Only the partner holding the contract owes its share (contracts attributed before that was checked).
    charged = partner_charges(enrollment.rules, contract) if contract.owner_id == enrollment.partner_id else []
    for charge in charged:
        due.append(
            Payout(  # an affiliate holding the contract owes the publisher its share, year by year
                id=partner_charge_id(contract.id, charge.year),
                kind=PayoutKind.PARTNER_CHARGE,
                status=PayoutStatus.SCHEDULED,
                amount=charge.amount,
                beneficiary_id=enrollment.publisher_id,
                payer_id=enrollment.partner_id,
                created_at=contract.sold_at,
                contract_id=contract.id,
                installment=charge.year,
                due_by=max(_midnight(charge.due_on), contract.sold_at),
                program_id=enrollment.program_id,
                enrollment_id=enrollment.id,
            )
        )
    for payout in due:
        with contextlib.suppress(Conflict):  # scheduled by an earlier delivery of the same event
            ports.payouts.add(payout)
    # The file may have ended since the signature was read (a Cancel or Expire step, cancelContract):
    # its undo_sale then found no sale to undo. Both sides check after writing, so one of them undoes it.
    latest = ports.contracts.get(contract.id, consistent=True)
    if latest is not None and latest.status in ENDED_WITHOUT_SALE:
        undo_sale(ports, latest)


def undo_sale(ports: Ports, contract: Contract) -> None:
    """A cancelled contract: its sale stops counting (the next sale takes its number), what it earned
    or owes and was not settled is CANCELLED, and what was settled goes back (services/clawbacks.py):
    a commission clawed back, a partner charge refunded, each set off or paid in a later run."""
    if contract.enrollment_id is not None:
        ports.programs.cancel_sale(contract.enrollment_id, contract.id)
    now = ports.clock()
    # The contract's own list of its payouts (written with each payout, read here consistently
    # with the contract) and the index's (which may lag, but knows payouts older than that list).
    listed = all_items(lambda page: ports.payouts.find(contract_id=contract.id, beneficiary_id=None, page=page))
    ids = set(contract.payout_ids) | {p.id for p in listed}
    for payout in ports.payouts.get_many(sorted(ids), consistent=True).values():
        undo_payout(ports, payout, contract, now)


def settle_commissions(ports: Ports, principal: Principal, *, program_id: str, up_to: datetime) -> list[Payout]:
    """A payment run of the program's commissions due by `up_to`, run at once: the commissions it paid
    (in full, by transfer or set off against what the partner owes); a second call pays nothing more."""
    from channelfin.domain.payment_runs import MAX_DAYS_AHEAD
    from channelfin.services.payment_run_reads import paid_in_run
    from channelfin.services.payment_runs import run_payments_inline

    program = _program_for_admin(ports, principal, program_id, "settleCommissions")
    # A settlement has always accepted any `upTo`; what it pays is due by now at the latest.
    up_to = min(up_to, ports.clock() + timedelta(days=MAX_DAYS_AHEAD))
    run, executed = run_payments_inline(
        ports,
        principal,
        payer_id=program.publisher_id,
        up_to=up_to,
        kinds=SETTLED_KINDS,
        program_id=program.id,
    )
    if not executed:
        return []  # the same settlement asked again (or meanwhile): that call pays, this one nothing
    return paid_in_run(ports, run)


def partner_statement(
    ports: Ports, principal: Principal, *, partner_id: str, start: datetime, end: datetime
) -> Statement | None:
    if not principal.can_see_partner(partner_id):
        return None
    if end <= start:
        raise ValidationError("the period ends after it starts", code=CommonCode.INVALID_PERIOD, field=["to"])
    lines = ports.payouts.of_party_between(partner_id, start, end)
    return Statement.of(partner_id, start, end, lines)


def affiliate_compliance(
    ports: Ports, principal: Principal, *, program_id: str, year: int
) -> list[tuple[Enrollment, int, bool]]:
    """Each affiliate's sales that year (cancelled ones do not count) against the program's minimum."""
    program = _program_for_admin(ports, principal, program_id, "affiliateCompliance")
    rows = []
    for enrollment in ports.programs.enrollments_of(program.id):
        if enrollment.tier is not PartnerTier.AFFILIATE or not enrollment.is_accepted:
            continue
        if (enrollment.answered_at or enrollment.enrolled_at).year > year:
            continue  # not an affiliate of the program yet that year: nothing to meet
        sales = sum(1 for s in ports.programs.sales_of(enrollment.id) if s.sold_at.year == year and not s.cancelled)
        rows.append((enrollment, sales, sales >= program.affiliate_min_sales_per_year))
    return rows
