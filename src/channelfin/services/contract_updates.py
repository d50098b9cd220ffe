"""updateContract: the owner fixes a DRAFT contract, any of its terms, checked as at creation."""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from datetime import date
from typing import TypeVar

from channelfin.domain.access import Principal, require_acting_for
from channelfin.domain.contract_amendments import amended
from channelfin.domain.contracts import Contract
from channelfin.domain.customers import Customer
from channelfin.domain.errors import NotFound
from channelfin.domain.financing import Periodicity
from channelfin.domain.money import Money
from channelfin.domain.programs import Actor
from channelfin.services import outbox
from channelfin.services.contracts import contract_for
from channelfin.services.ports import Ports
from channelfin.services.programs import enrollment_for_contract
from channelfin.services.relations import require_relation
from channelfin.services.retry import optimistic_update

T = TypeVar("T")


class Keep(enum.Enum):
    """A term the owner did not send: it stays as it is (null, where allowed, clears it)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class ContractChanges:
    owner_id: str | Keep = KEEP
    publisher_id: str | Keep = KEEP
    reseller_id: str | None | Keep = KEEP
    customer: Customer | Keep = KEEP
    periodicity: Periodicity | Keep = KEEP
    term_months: int | Keep = KEEP
    start_date: date | Keep = KEEP
    software_fee: Money | Keep = KEEP
    support_fee: Money | Keep = KEEP
    enrollment_id: str | None | Keep = KEEP
    support_provider_id: str | None | Keep = KEEP

    def sent(self) -> list[str]:
        """The fields sent, as the API names them (for the timeline)."""
        return [_camel(f.name) for f in fields(self) if getattr(self, f.name) is not KEEP]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def _pick(value: T | Keep, current: T) -> T:
    return current if isinstance(value, Keep) else value


def update_draft(ports: Ports, principal: Principal, *, contract_id: str, changes: ContractChanges) -> Contract:
    """The contract with `changes`, while it is a DRAFT or was REJECTED by the automatic decision (then
    back to DRAFT: `contract_amendments`), NOT_A_DRAFT otherwise; by its owner's users.

    Everything `createContract` checks is checked again on the result: roles, who owns it, fees,
    term, the enrolment (when it or the publisher changes) and the support provider (kept if
    still a party, else chosen again as at creation). A partner no longer named loses the contract
    from its list in the same write.
    """
    contract = contract_for(ports, principal, contract_id)
    require_acting_for(principal, contract.owner_id, action="updateContract", field=["contractId"])
    owner_id = _pick(changes.owner_id, contract.owner_id)
    if owner_id != contract.owner_id:
        require_acting_for(principal, owner_id, action="updateContract", field=["ownerId"])
    publisher_id = _pick(changes.publisher_id, contract.publisher_id)
    reseller_id = _pick(changes.reseller_id, contract.reseller_id)
    found = ports.partners.get_many({owner_id, publisher_id} | ({reseller_id} if reseller_id else set()))
    for partner_id, field in ((owner_id, "ownerId"), (publisher_id, "publisherId"), (reseller_id, "resellerId")):
        if partner_id is not None and partner_id not in found:
            raise NotFound("no such partner", field=[field])

    enrollment_id = _pick(changes.enrollment_id, contract.enrollment_id)
    enrollment = None
    if enrollment_id is not None:
        if enrollment_id != contract.enrollment_id or publisher_id != contract.publisher_id:
            enrollment = enrollment_for_contract(ports, principal, enrollment_id, publisher_id)
        else:  # attributed at creation and kept: not checked again (it may have stopped onboarding since)
            enrollment = ports.programs.get_enrollment(enrollment_id)
        if enrollment is not None:
            enrollment.require_held_by(owner_id)
    program_partner_id = enrollment.partner_id if enrollment else None
    provider = changes.support_provider_id
    if isinstance(provider, Keep):
        parties = {owner_id, publisher_id, reseller_id, program_partner_id}
        provider = contract.support_provider_id if contract.support_provider_id in parties else None
    at = ports.clock()
    before: list[Contract] = []

    def change(current: Contract) -> Contract:
        before[:] = [current]
        changed = amended(
            current,
            owner=found[owner_id],
            publisher=found[publisher_id],
            reseller=found[reseller_id] if reseller_id else None,
            customer=_pick(changes.customer, current.customer),
            periodicity=_pick(changes.periodicity, current.periodicity),
            term_months=_pick(changes.term_months, current.term_months),
            start_date=_pick(changes.start_date, current.start_date),
            software_fee=_pick(changes.software_fee, current.software_fee),
            support_fee=_pick(changes.support_fee, current.support_fee),
            enrollment_id=enrollment.id if enrollment else None,
            program_partner_id=program_partner_id,
            support_provider_id=provider,
            partner_supports=enrollment is not None and enrollment.rules.support_by is Actor.PARTNER,
            at=at,
            actor=principal.sub,
            changed=changes.sent(),
        )
        if reseller_id is not None and (reseller_id, publisher_id) != (current.reseller_id, current.publisher_id):
            # As createContract, once the roles are checked: a reseller named, or a publisher changed
            # under one, agreed to deal with that publisher.
            field = "resellerId" if reseller_id != current.reseller_id else "publisherId"
            require_relation(ports, publisher_id=publisher_id, partner_id=reseller_id, field=field, who="reseller")
        return changed

    return optimistic_update(
        lambda: ports.contracts.get(contract_id),
        lambda changed, version: ports.contracts.save(
            changed,
            expected_version=version,
            events=outbox.of_contract(ports, before[0], changed),
            dropped_parties=before[0].party_ids,
        ),
        change,
        what="contract",
        field=["contractId"],
    )
