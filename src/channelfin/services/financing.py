"""Use cases of a contract's financing that people (or their systems) trigger: the request, the
credit review, installments (signatures and the delivery report: `signatures`).

Each one records a fact on the contract first (a version-conditioned write) and then,
if the workflow waits for that fact, completes its task token. The workflow's own steps
are in `financing_steps`; together they make every order of arrival safe: whichever of
the request and the waiting step comes second sees the other's write and moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from channelfin.domain.access import Principal, Role, require, require_acting_for
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract
from channelfin.domain.credit_exposure import CreditExposure, key_of
from channelfin.domain.error_codes import CommonCode, ContractCode, FinancingCode, PartnerCode
from channelfin.domain.errors import Conflict, InvalidTransition, NotFound, ValidationError
from channelfin.domain.financing import LeaseTerms, quote
from channelfin.domain.financing_file import (
    DecisionOutcome,
    FinancingDecision,
    decide,
    open_file,
)
from channelfin.domain.partners import AgreementStatus
from channelfin.domain.payouts import Payout, support_share
from channelfin.services.contracts import contract_for, update_contract, update_contract_with_exposure
from channelfin.services.paging import Page, PageRequest, all_items
from channelfin.services.ports import Ports
from channelfin.services.signatories import signatory_for
from channelfin.services.signatures import resume


def request_financing(ports: Ports, principal: Principal, *, contract_id: str, agreement_id: str) -> Contract:
    contract = contract_for(ports, principal, contract_id)
    require_acting_for(principal, contract.owner_id, action="requestFinancing", field=["contractId"])
    if contract.financing is not None:
        if contract.financing.agreement_id != agreement_id:
            raise InvalidTransition(
                "financing was already requested under another agreement", code=ContractCode.NOT_A_DRAFT
            )
        # A retried request: the execution name is deterministic, so this cannot start a second one.
        _start(ports, contract)
        return contract
    agreement = ports.partners.get_agreement(agreement_id)
    if agreement is None or agreement.partner_id != contract.owner_id:
        raise NotFound("the contract owner has no such financing agreement", field=["agreementId"])
    if agreement.status is AgreementStatus.TERMINATED:
        raise InvalidTransition(
            "the leaser terminated this financing agreement: no new request under it",
            code=PartnerCode.AGREEMENT_TERMINATED,
            field=["agreementId"],
        )
    if agreement.status is not AgreementStatus.ACTIVE:
        raise InvalidTransition(
            "the financing agreement is not active", code=PartnerCode.NO_ACTIVE_AGREEMENT, field=["agreementId"]
        )
    _require_signer_address(ports, contract)
    if contract.software_fee.currency != agreement.file_fee.currency:
        raise ValidationError(
            "the contract and the agreement are in different currencies", code=CommonCode.CURRENCY_MISMATCH
        )
    terms = LeaseTerms(contract.periodicity, contract.term_months, agreement.annual_rate)
    lease = quote(
        terms,
        file_fee=agreement.file_fee,
        instant_decision_limit=agreement.instant_decision_limit,
        software_fee=contract.software_fee,
    )
    now = ports.clock()
    default = ports.partners.default_of(contract.publisher_id, agreement.leaser_id)

    def record(current: Contract, exposure: CreditExposure | None) -> Contract:
        if current.financing is not None:
            return current  # a concurrent duplicate won the race; it started the workflow
        if current.customer != contract.customer:  # changed since the first read: checked as written
            _require_signer_address(ports, current)
        currency = lease.financed_amount.currency
        decision = decide(
            lease,
            term_months=current.term_months,
            customer_registration=current.customer.registration_number,
            decided_at=now,
            limit=agreement.instant_decision_limit,
            outstanding=exposure.outstanding(currency, excluding=current.id) if exposure else None,
            publisher_default=default.reason if default else None,
        )
        file = open_file(agreement, lease, decision, at=now, by=principal.sub)
        return current.financing_requested(file, at=now, actor=principal.sub)

    key = key_of(agreement.leaser_id, contract)
    if key is None:
        contract = update_contract(ports, contract_id, lambda current: record(current, None))
    else:
        contract = update_contract_with_exposure(ports, contract_id, key, record)
    _start(ports, contract)
    return contract


def _require_signer_address(ports: Ports, contract: Contract) -> None:
    """Where the provider mails its requests, the end client must be reachable: found now rather
    than by the workflow once the file is approved, where the request to sign could go nowhere
    and the file would wait for ever."""
    if ports.signatures.needs_signer_email and not contract.customer.email and signatory_for(ports, contract) is None:
        raise ValidationError(
            "the contracts go to the end client for signature by e-mail: give the customer's e-mail "
            "(updateContract) or have an analyst confirm its signatory (confirmSignatory)",
            code=FinancingCode.SIGNER_ADDRESS_REQUIRED,
            field=["contractId"],
        )


def _start(ports: Ports, contract: Contract) -> None:
    assert contract.financing is not None
    if contract.financing.decision.outcome is DecisionOutcome.REJECTED:
        return  # an immediate rejection ends the file: nothing to run
    ports.workflows.start(
        contract.execution_name,
        {"contractId": contract.id, "decision": contract.financing.decision.outcome.value},
    )


def review_financing(
    ports: Ports, principal: Principal, *, contract_id: str, approve: bool, comment: str | None
) -> Contract:
    require(principal, Role.CREDIT_ANALYST, action="reviewFinancing")
    decision = FinancingDecision(
        DecisionOutcome.APPROVED if approve else DecisionOutcome.REJECTED,
        (comment.strip(),) if comment and comment.strip() else (),
        ports.clock(),
        principal.sub,
    )
    token: str | None = None

    def record(current: Contract) -> Contract:
        nonlocal token
        reviewed = current.reviewed(decision)
        token = reviewed.financing.task_token if reviewed.financing else None
        return reviewed.done_waiting() if token else reviewed

    contract = update_contract(ports, contract_id, record)
    resume(ports, token, {"approved": approve})
    return contract


def leaser_of(ports: Ports, contract: Contract) -> str:
    """The leaser financing the contract (files older than payers: read from their agreement)."""
    file = contract.financing
    if file is None:
        raise InvalidTransition("the contract is not financed", code=FinancingCode.NOT_FINANCED)
    if file.leaser_id:
        return file.leaser_id
    agreement = ports.partners.get_agreement(file.agreement_id)
    if agreement is None:
        raise NotFound(f"the agreement {file.agreement_id} of contract {contract.id} is gone")
    return agreement.leaser_id


def record_installment_collected(
    ports: Ports, principal: Principal, *, contract_id: str, installment: int, collected_at: datetime | None
) -> tuple[Contract, Payout]:
    """Record installment k's collection and pay its support share exactly once."""
    require(principal, Role.TREASURY, action="recordInstallmentCollected")
    contract = ports.contracts.get(contract_id)
    if contract is None:
        raise NotFound("no such contract", field=["contractId"])
    if contract.financing is None:
        raise InvalidTransition("support shares are paid on financed contracts", code=FinancingCode.NOT_FINANCED)
    at = collected_at or ports.clock()
    if at > ports.clock():
        raise ValidationError("collectedAt is in the future", code=CommonCode.INVALID_DATE, field=["collectedAt"])
    contract.installment_collected(installment, at=at, actor=principal.sub)  # validates before any write
    payout = support_share(
        contract_id=contract.id,
        provider_id=contract.support_provider,
        leaser_id=leaser_of(ports, contract),
        installment=installment,
        amount=contract.support_fee,
        collected_at=at,
        sla_hours=contract.financing.payout_sla_hours,
    )
    # The payout's key is (contract, installment): of two concurrent calls, one put wins.
    try:
        ports.payouts.add(payout)
    except Conflict:
        existing = ports.payouts.get(payout.id, consistent=True)
        assert existing is not None
        payout = existing
    contract = update_contract(
        ports, contract_id, lambda c: c.installment_collected(installment, at=at, actor=principal.sub)
    )
    return contract, payout


def _in_status(ports: Ports, status: ContractStatus) -> Callable[[PageRequest], Page[Contract]]:
    return lambda page: ports.contracts.find(party_id=None, role=None, status=status, page=page)


# Where a file in each status re-enters the workflow (see ResumeAt in infra/financing.asl.json).
RESUME_POINTS = {
    "UNDER_REVIEW": "CREDIT_REVIEW",
    "APPROVED": "SIGNATURES",
    "AWAITING_SIGNATURES": "SIGNATURES",
    "AWAITING_DELIVERY": "DELIVERY_REPORT",
    "AWAITING_PAYMENT": "TRANSMISSION",
}


def restart_in_flight_workflows(ports: Ports, progress: Callable[[str], None] = lambda _: None) -> int:
    """Start the workflow again for every file still in flight (the local engine forgets executions).

    Contracts are found with one Query per status; the steps are idempotent, so a file
    re-enters exactly where it stood.
    """
    restarted = 0
    for status, resume_at in RESUME_POINTS.items():
        for contract in all_items(_in_status(ports, ContractStatus(status))):
            ports.workflows.start(
                contract.execution_name, {"contractId": contract.id, "decision": "RESUME", "resumeAt": resume_at}
            )
            restarted += 1
    if restarted:
        progress(f"restarted the financing workflow of {restarted} contract(s) in flight")
    return restarted
