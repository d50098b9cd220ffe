"""Use cases of distributor credit lines: limits and their guard, firm orders, reseller payments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from channelfin.domain.access import PARTNER_ROLES, Principal, Role
from channelfin.domain.error_codes import CommonCode, IncentiveCode
from channelfin.domain.errors import Conflict, NotFound, ValidationError
from channelfin.domain.incentives.campaigns import CampaignKind
from channelfin.domain.incentives.credit_lines import (
    CreditLine,
    CreditMovement,
    CreditPosition,
    MovementKind,
    credit_guarantees,
    order_extras,
)
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.services import outbox
from channelfin.services.incentives.checks import clean_reference, partner_with_role, require_admin_of
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports
from channelfin.services.retry import MAX_WRITE_ATTEMPTS, backoff, optimistic_update

# What a movement's request says of it: kind, amount, reference, licence program.
Sent = tuple[MovementKind, Money, str | None, str | None]


def credit_position(ports: Ports, line: CreditLine, at: datetime | None = None) -> CreditPosition:
    """The line's limit plus the vendors' guarantees and order-linked extras in force, less the outstanding."""
    at = at or ports.clock()
    reseller = ports.partners.get(line.reseller_id)
    roles = reseller.roles if reseller else frozenset()
    guarantee_campaigns = ports.incentives.started_campaigns(
        distributor_id=line.distributor_id, kind=CampaignKind.CREDIT_GUARANTEE, at=at
    )
    order_campaigns = ports.incentives.started_campaigns(
        distributor_id=line.distributor_id, kind=CampaignKind.ORDER_CREDIT, at=at
    )
    extras = Money.zero(line.insured_limit.currency)
    live = [c for c in order_campaigns if c.in_force(at)]
    if live:
        earliest = min(c.starts_at for c in live)
        orders = ports.incentives.movements(line.id, start=earliest, end=at)
        extras = order_extras(live, orders, distributor_id=line.distributor_id, reseller_roles=roles, at=at)
    guarantees = credit_guarantees(guarantee_campaigns, distributor_id=line.distributor_id, reseller_roles=roles, at=at)
    return line.position(guarantees, extras)


def _update_line(ports: Ports, line_id: str, change: Callable[[CreditLine], CreditLine]) -> CreditLine:
    tracked = outbox.Tracked(change)
    return optimistic_update(
        lambda: ports.incentives.get_line(line_id),
        lambda changed, version: ports.incentives.save_line(
            changed, expected_version=version, events=outbox.of_credit_line(ports, tracked.before, changed)
        ),
        tracked,
        what="credit line",
        field=["creditLineId"],
    )


def set_credit_line(
    ports: Ports, principal: Principal, *, distributor_id: str, reseller_id: str, insured_limit: Money
) -> CreditLine:
    """Open the line, or change its insured limit; a drastic cut waits for a second user."""
    require_admin_of(principal, distributor_id, Role.PARTNER_ADMIN, action="setCreditLine", field=["distributorId"])
    partner_with_role(ports, distributor_id, PartnerRole.DISTRIBUTOR, "distributorId")
    partner_with_role(ports, reseller_id, PartnerRole.RESELLER, "resellerId")
    line_id = CreditLine.id_for(distributor_id, reseller_id)
    now = ports.clock()
    if ports.incentives.get_line(line_id) is None:
        line = CreditLine.open(
            distributor_id=distributor_id, reseller_id=reseller_id, limit=insured_limit, by=principal.sub, at=now
        )
        try:
            ports.incentives.add_line(line, events=outbox.of_credit_line(ports, None, line))
            return line
        except Conflict:
            pass  # opened meanwhile by someone else: this call is a change of it
    lookback = timedelta(days=ports.credit_cut_lookback_days)
    return _update_line(
        ports, line_id, lambda line: line.set_limit(insured_limit, by=principal.sub, at=now, lookback=lookback)
    )


def visible_credit_line(ports: Ports, principal: Principal, line_id: str) -> CreditLine | None:
    """Seen by the distributor's and the reseller's users, and leaser staff."""
    line = ports.incentives.get_line(line_id)
    if line is None or not principal.can_see_any_of((line.distributor_id, line.reseller_id)):
        return None
    return line


def _line_for_distributor(ports: Ports, principal: Principal, line_id: str, *roles: Role, action: str) -> CreditLine:
    line = visible_credit_line(ports, principal, line_id)
    if line is None:
        raise NotFound("no such credit line", field=["creditLineId"])
    require_admin_of(principal, line.distributor_id, *roles, action=action, field=["creditLineId"])
    return line


def confirm_credit_line_change(ports: Ports, principal: Principal, *, line_id: str) -> CreditLine:
    _line_for_distributor(ports, principal, line_id, Role.PARTNER_ADMIN, action="confirmCreditLineChange")
    now = ports.clock()
    return _update_line(ports, line_id, lambda line: line.confirm_change(by=principal.sub, at=now))


def withdraw_credit_line_change(ports: Ports, principal: Principal, *, line_id: str) -> CreditLine:
    _line_for_distributor(ports, principal, line_id, Role.PARTNER_ADMIN, action="withdrawCreditLineChange")
    now = ports.clock()
    return _update_line(ports, line_id, lambda line: line.withdraw_change(by=principal.sub, at=now))


def list_credit_lines(
    ports: Ports, principal: Principal, *, partner_id: str, as_distributor: bool, page: PageRequest
) -> Page[CreditLine]:
    if not principal.can_see_partner(partner_id):
        return Page(items=[])
    return ports.incentives.lines_of(partner_id, as_distributor=as_distributor, page=page)


def _movement(
    ports: Ports,
    line: CreditLine,
    kind: MovementKind,
    amount: Money,
    at: datetime,
    principal: Principal,
    reference: str | None,
    licence_program: str | None = None,
) -> CreditMovement:
    return CreditMovement(
        id=ports.new_id(),
        credit_line_id=line.id,
        kind=kind,
        amount=amount,
        at=at,
        by=principal.sub,
        licence_program=licence_program,
        reference=reference,
    )


def _recorded(ports: Ports, line: CreditLine, asked: Sent) -> CreditMovement | None:
    """The movement already recorded with the reference `asked` carries: its retry changes nothing more."""
    kind, amount, reference, licence_program = asked
    if reference is None:
        return None
    found = ports.incentives.movement_by_reference(line.id, kind, reference)
    if found is not None and (found.amount, found.licence_program) != (amount, licence_program):
        raise ValidationError(
            "this reference names another movement of the line already",
            code=IncentiveCode.REFERENCE_USED,
            field=["reference"],
        )
    return found


def _move(
    ports: Ports,
    line_id: str,
    asked: Sent,
    build: Callable[[CreditLine, datetime], tuple[CreditLine, CreditMovement]],
) -> tuple[CreditLine, CreditMovement]:
    """Change the line and record the movement in one conditional transaction; re-read on a race.

    A movement sent again with its reference (a retry) is found and returned, the line unchanged.
    """
    for attempt in range(MAX_WRITE_ATTEMPTS):
        backoff(attempt)
        line = ports.incentives.get_line(line_id)
        if line is None:
            raise NotFound("no such credit line", field=["creditLineId"])
        done = _recorded(ports, line, asked)
        if done is not None:
            return line, done
        changed, movement = build(line, ports.clock())
        try:
            events = outbox.of_credit_line(ports, line, changed, movement)
            ports.incentives.save_line(changed, expected_version=line.version, movement=movement, events=events)
        except Conflict:
            continue  # another order or payment moved the line: check again against the new figures
        return changed, movement
    raise Conflict("the credit line is being changed by others; try again")


def record_firm_order(
    ports: Ports,
    principal: Principal,
    *,
    reseller_id: str,
    distributor_id: str,
    amount: Money,
    licence_program: str,
    reference: str | None = None,
) -> tuple[CreditLine, CreditMovement]:
    """Charge a firm order to the line, if it fits the credit available before it (nothing recorded if not)."""
    require_admin_of(principal, distributor_id, *PARTNER_ROLES, action="recordFirmOrder", field=["distributorId"])
    line_id = CreditLine.id_for(distributor_id, reseller_id)
    if ports.incentives.get_line(line_id) is None:
        raise NotFound("this distributor has no credit line for that reseller", field=["resellerId"])
    programme = licence_program.strip()
    if not programme:
        raise ValidationError(
            "name the licence program (e.g. OEM, Open)", code=CommonCode.REQUIRED, field=["licenceProgram"]
        )
    reference = clean_reference(reference)

    def order(line: CreditLine, now: datetime) -> tuple[CreditLine, CreditMovement]:
        charged = line.charge(amount, credit_position(ports, line, now))
        return charged, _movement(ports, line, MovementKind.FIRM_ORDER, amount, now, principal, reference, programme)

    return _move(ports, line_id, (MovementKind.FIRM_ORDER, amount, reference, programme), order)


def record_reseller_payment(
    ports: Ports, principal: Principal, *, line_id: str, amount: Money, reference: str | None = None
) -> tuple[CreditLine, CreditMovement]:
    """The reseller paid the distributor: the outstanding goes down by that amount."""
    _line_for_distributor(ports, principal, line_id, *PARTNER_ROLES, action="recordResellerPayment")
    reference = clean_reference(reference)

    def pay(line: CreditLine, now: datetime) -> tuple[CreditLine, CreditMovement]:
        return line.repay(amount), _movement(
            ports, line, MovementKind.RESELLER_PAYMENT, amount, now, principal, reference
        )

    return _move(ports, line_id, (MovementKind.RESELLER_PAYMENT, amount, reference, None), pay)


def credit_movements(ports: Ports, principal: Principal, line: CreditLine, page: PageRequest) -> Page[CreditMovement]:
    if not principal.can_see_any_of((line.distributor_id, line.reseller_id)):
        return Page(items=[])
    return ports.incentives.movements_page(line.id, page)
