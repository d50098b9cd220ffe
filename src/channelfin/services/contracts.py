"""Use cases on contracts: creation and scoped reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from channelfin.domain.access import Principal, Role, require_acting_for
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract, PartyRole
from channelfin.domain.credit_exposure import CreditExposure, ExposureKey, key_of, open_amount
from channelfin.domain.customers import Customer, require_siren
from channelfin.domain.error_codes import CommonCode, ContractCode
from channelfin.domain.errors import Conflict, InvalidTransition, NotFound, ValidationError
from channelfin.domain.financing import Periodicity
from channelfin.domain.money import Money
from channelfin.domain.programs import Actor
from channelfin.services import outbox
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports
from channelfin.services.programs import enrollment_for_contract, undo_sale
from channelfin.services.relations import require_relation
from channelfin.services.retry import MAX_WRITE_ATTEMPTS, backoff


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
    for_financing: bool = True,
) -> Contract:
    """A DRAFT contract. One meant for financing (the default) names its end client's SIREN; with
    `for_financing` False it may wait for it (updateContract adds it; financing asked without it is
    rejected automatically)."""
    require_acting_for(principal, owner_id, action="createContract", field=["ownerId"])
    if for_financing:
        require_siren(
            customer,
            "financing needs the end client's SIREN (customer.registrationNumber); send it, or "
            "forFinancing: false to keep a draft without it until updateContract adds it",
        )
    enrollment = enrollment_for_contract(ports, principal, enrollment_id, publisher_id) if enrollment_id else None
    if enrollment is not None:
        enrollment.require_held_by(owner_id)
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
    change's events (a new status, a decision, a signature...) are written with it (the outbox); a
    change that opens or closes the contract's file updates its end client's exposure in the same write.
    """
    return _update(ports, contract_id, None, lambda current, _: change(current))


def update_contract_with_exposure(
    ports: Ports, contract_id: str, key: ExposureKey, change: Callable[[Contract, CreditExposure | None], Contract]
) -> Contract:
    """`update_contract` for a change that depends on the end client's exposure (the decision): the
    exposure it was given is the one the write is conditioned on, so a concurrent file is never missed."""
    return _update(ports, contract_id, key, change)


def _update(
    ports: Ports,
    contract_id: str,
    key: ExposureKey | None,
    change: Callable[[Contract, CreditExposure | None], Contract],
) -> Contract:
    for attempt in range(MAX_WRITE_ATTEMPTS):
        backoff(attempt)
        current = ports.contracts.get(contract_id)
        if current is None:
            raise NotFound("no such contract", field=["contractId"])
        seen = ports.contracts.exposure(key) if key is not None else None
        changed = change(current, seen)
        if changed is current:
            return current
        try:
            exposure = _exposure_after(ports, current, changed, seen)
            ports.contracts.save(
                changed,
                expected_version=current.version,
                events=outbox.of_contract(ports, current, changed),
                exposure=exposure,
            )
        except Conflict:
            continue
        return changed
    raise Conflict("the contract is being changed by others; try again")


def _exposure_after(
    ports: Ports, before: Contract, after: Contract, seen: CreditExposure | None
) -> CreditExposure | None:
    """The end client's exposure as it must be written with `after`, or None when it does not change."""
    amount = open_amount(after)
    if amount == open_amount(before):
        return None  # the file neither opened nor closed (files older than exposures: `migrations`)
    key = _key(ports, after)
    if key is None:
        return None
    exposure = seen if seen is not None and seen.key == key else ports.contracts.exposure(key)
    updated = exposure.with_file(after.id, amount)
    return None if updated is exposure else updated


def count_in_exposure(ports: Ports, contract_id: str, *, dry_run: bool = False) -> bool:
    """Make the end client's exposure hold the contract's open file as it is (for files stored before
    exposures existed); whether it had to change."""
    for attempt in range(MAX_WRITE_ATTEMPTS):
        backoff(attempt)
        contract = ports.contracts.get(contract_id)
        key = _key(ports, contract) if contract is not None else None
        if contract is None or key is None:
            return False
        exposure = ports.contracts.exposure(key)
        updated = exposure.with_file(contract.id, open_amount(contract))
        if updated is exposure or dry_run:
            return updated is not exposure
        try:  # the contract is written again (version + 1) so that the two change in one transaction
            touched = replace(contract, version=contract.version + 1)
            ports.contracts.save(touched, expected_version=contract.version, exposure=updated)
        except Conflict:
            continue
        return True
    raise Conflict("the contract is being changed by others; try again")


def _key(ports: Ports, contract: Contract) -> ExposureKey | None:
    file = contract.financing
    if file is None:
        return None
    leaser_id = file.leaser_id
    if not leaser_id:  # a file stored before payers: its agreement names the leaser
        agreement = ports.partners.get_agreement(file.agreement_id)
        leaser_id = agreement.leaser_id if agreement else ""
    return key_of(leaser_id, contract)


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
