"""A draft contract amended by its owner: every term checked again as if it were created anew.

A contract is fixed while it is a DRAFT (issue 18: a draft with a mistake had no way out but
cancelling it). The amended contract goes through `Contract.create`'s checks, keeps its id,
creation and timeline (plus a line saying it was amended) and moves to the next version.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract, TimelineEvent
from channelfin.domain.customers import Customer, require_siren
from channelfin.domain.error_codes import ContractCode
from channelfin.domain.errors import InvalidTransition
from channelfin.domain.financing import Periodicity
from channelfin.domain.financing_file import AUTOMATIC, DecisionOutcome
from channelfin.domain.money import Money
from channelfin.domain.partners import Partner


def amended(
    current: Contract,
    *,
    owner: Partner,
    publisher: Partner,
    reseller: Partner | None,
    customer: Customer,
    periodicity: Periodicity,
    term_months: int,
    start_date: date,
    software_fee: Money,
    support_fee: Money,
    enrollment_id: str | None,
    program_partner_id: str | None,
    support_provider_id: str | None,
    partner_supports: bool,
    at: datetime,
    actor: str,
    changed: list[str],
) -> Contract:
    """`current` with these terms; `changed` names the fields the owner sent, for the timeline.

    A contract the automatic decision REJECTED goes back to DRAFT with its financing request
    dropped: that decision's reasons (no SIREN, a file fee that eats the amount, too long a term)
    are all terms the owner fixes here, then it asks again. An analyst's rejection is final.
    The end client's SIREN, once the contract has one, may be corrected but not removed:
    financing needs it, so an amendment never makes a contract unfit for it.
    """
    reopened = rejected_automatically(current)
    if current.status is not ContractStatus.DRAFT and not reopened:
        raise InvalidTransition(
            f"only a DRAFT contract (or one the automatic decision rejected) can be updated; "
            f"this one is {current.status.value}",
            code=ContractCode.NOT_A_DRAFT,
            field=["contractId"],
        )
    if current.customer.registration_number is not None:
        require_siren(
            customer,
            "financing needs the end client's SIREN: this contract has one, which may be corrected but not removed",
        )
    fresh = Contract.create(
        id=current.id,
        owner=owner,
        publisher=publisher,
        reseller=reseller,
        customer=customer,
        periodicity=periodicity,
        term_months=term_months,
        start_date=start_date,
        software_fee=software_fee,
        support_fee=support_fee,
        created_at=current.created_at,
        created_by=current.created_by,
        enrollment_id=enrollment_id,
        program_partner_id=program_partner_id,
        support_provider_id=support_provider_id,
        partner_supports=partner_supports,
    )
    note = "contract updated: " + ", ".join(changed) if changed else "contract updated"
    if reopened:
        note += " (after an automatic rejection; financing to be asked again)"
    return replace(
        current,
        owner_id=fresh.owner_id,
        publisher_id=fresh.publisher_id,
        reseller_id=fresh.reseller_id,
        reseller_role=fresh.reseller_role,
        customer=fresh.customer,
        periodicity=fresh.periodicity,
        term_months=fresh.term_months,
        start_date=fresh.start_date,
        software_fee=fresh.software_fee,
        support_fee=fresh.support_fee,
        enrollment_id=fresh.enrollment_id,
        program_partner_id=fresh.program_partner_id,
        support_provider_id=fresh.support_provider_id,
        status=ContractStatus.DRAFT,
        financing=None,
        timeline=(*current.timeline, TimelineEvent(ContractStatus.DRAFT, at, actor, note)),
        version=current.version + 1,
    )


def rejected_automatically(contract: Contract) -> bool:
    """REJECTED at request time by the automatic decision (no workflow ran, no document was made)."""
    decision = contract.financing.decision if contract.financing else None
    return (
        contract.status is ContractStatus.REJECTED
        and decision is not None
        and decision.outcome is DecisionOutcome.REJECTED
        and decision.decided_by == AUTOMATIC
    )
