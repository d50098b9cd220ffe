"""Use cases on contracts: creation and scoped reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from channelfin.domain.access import Principal, Role, require_acting_for
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract, PartyRole
from channelfin.domain.customers import Customer
from channelfin.domain.error_codes import CommonCode, ContractCode
from channelfin.domain.errors import InvalidTransition, NotFound, ValidationError
from channelfin.domain.financing import Periodicity
from channelfin.domain.money import Money
from channelfin.domain.programs import Actor
from channelfin.services import outbox
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports
from channelfin.services.programs import enrollment_for_contract, undo_sale
from channelfin.services.relations import require_relation
from channelfin.services.retry import optimistic_update


def create_contract(
    ports: Ports,
    principal: Principal,
    *,
    owner_id: str,
    publisher_id: str,
    reseller_id: str | None,
    customer: Customer,
    periodicity: Periodicity,
    term_months: int,
    start_date: date,
    software_fee: Money,
    support_fee: Money,
    enrollment_id: str | None = None,
    support_provider_id: str | None = None,
) -> Contract:
    require_acting_for(principal, owner_id, action="createContract", field=["ownerId"])
    enrollment = enrollment_for_contract(ports, principal, enrollment_id, publisher_id) if enrollment_id else None
    wanted = {owner_id, publisher_id} | ({reseller_id} if reseller_id else set())
    found = ports.partners.get_many(wanted)
    for partner_id, field in ((owner_id, "ownerId"), (publisher_id, "publisherId"), (reseller_id, "resellerId")):
        if partner_id is not None and partner_id not in found:
            raise NotFound("no such partner", field=[field])
    contract = Contract.create(
        id=ports.new_id(),
        owner=found[owner_id],
        publisher=found[publisher_id],
        reseller=found[reseller_id] if reseller_id else None,
        customer=customer,
        periodicity=periodicity,
        term_months=term_months,
        start_date=start_date,
        software_fee=software_fee,
        support_fee=support_fee,
        created_at=ports.clock(),
        created_by=principal.sub,
        enrollment_id=enrollment.id if enrollment else None,
        program_partner_id=enrollment.partner_id if enrollment else None,
        support_provider_id=support_provider_id,
        partner_supports=enrollment is not None and enrollment.rules.support_by is Actor.PARTNER,
    )
    if reseller_id is not None:  # introducer or buy-resell: the reseller and the publisher agreed to deal
        require_relation(ports, publisher_id=publisher_id, partner_id=reseller_id, field="resellerId", who="reseller")
    ports.contracts.add(contract, events=outbox.of_contract(ports, None, contract))
    return contract


def visible_contract(ports: Ports, principal: Principal, contract_id: str) -> Contract | None:
    """The contract if the caller's partner plays a role on it (or the caller is leaser staff)."""
    contract = ports.contracts.get(contract_id)
    if contract is None or not principal.can_see_any_of(contract.party_ids):
        return None
    return contract


def contract_for(ports: Ports, principal: Principal, contract_id: str) -> Contract:
    """The contract, or NOT_FOUND when the caller may not see it (no hint that it exists)."""
    contract = visible_contract(ports, principal, contract_id)
    if contract is None:
        raise NotFound("no such contract", field=["contractId"])
    return contract


def list_contracts(
    ports: Ports,
    principal: Principal,
    *,
    partner_id: str | None,
    role: PartyRole | None,
    status: ContractStatus | None,
    page: PageRequest,
) -> Page[Contract]:
    if not principal.sees_everything:
        # A partner's users list their own partner's contracts, whatever filter they send.
        if principal.partner_id is None or (partner_id is not None and partner_id != principal.partner_id):
            return Page(items=[])
        partner_id = principal.partner_id
    if role is not None and partner_id is None:
        raise ValidationError(
            "a role filter needs a partnerId", field=["filter", "role"], code=ContractCode.PARTNER_REQUIRED
        )
    return ports.contracts.find(party_id=partner_id, role=role, status=status, page=page)


def update_contract(ports: Ports, contract_id: str, change: Callable[[Contract], Contract]) -> Contract:
    """Read, change, write conditioned on the version read; on a concurrent write, read again and retry.

    `change` is pure and may raise a DomainError (nothing is written then). Returning the
    contract unchanged writes nothing, which is how steps and requests stay idempotent. The
    change's events (a new status, a decision, a signature...) are written with it (the outbox).
    """
    tracked = outbox.Tracked(change)
    return optimistic_update(
        lambda: ports.contracts.get(contract_id),
        lambda changed, version: ports.contracts.save(
            changed, expected_version=version, events=outbox.of_contract(ports, tracked.before, changed)
        ),
        tracked,
        what="contract",
        field=["contractId"],
    )


def cancel_contract(ports: Ports, principal: Principal, *, contract_id: str, reason: str) -> Contract:
    """Cancel a contract before financing, or a sale without financing; unsettled commissions go with it."""
    contract = contract_for(ports, principal, contract_id)
    if not principal.has_any(Role.LEASER_ADMIN):
        require_acting_for(principal, contract.owner_id, action="cancelContract", field=["contractId"])
    note = reason.strip()
    if not note:
        raise ValidationError("say why the contract is cancelled", code=CommonCode.REQUIRED, field=["reason"])
    at = ports.clock()

    def cancel(current: Contract) -> Contract:
        if current.status is ContractStatus.CANCELLED:
            return current
        if current.financing is not None:
            raise InvalidTransition(
                "a financed contract ends through its financing (declined signature, expiry)",
                code=ContractCode.FINANCED,
            )
        return current.moved_to(ContractStatus.CANCELLED, at=at, actor=principal.sub, note=note)

    contract = update_contract(ports, contract_id, cancel)
    undo_sale(ports, contract)
    return contract
