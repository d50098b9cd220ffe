"""The financing workflow's steps, one function per Task of infra/financing.asl.json.

Step Functions may run a step twice (a Lambda retry, a redelivered event), so every step
is idempotent: it checks where the contract already is and writes nothing if the step's
effect is there. Waiting steps store their task token on the contract, unless what they
wait for already happened, in which case they complete the token themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract
from channelfin.domain.errors import Conflict, InvalidTransition, NotFound
from channelfin.domain.financing_file import DocumentKind, WaitStep
from channelfin.domain.payouts import Payout, PayoutStatus, software_upfront
from channelfin.services import documents
from channelfin.services.contracts import update_contract
from channelfin.services.financing import leaser_of
from channelfin.services.incentives.rewards import fast_payment_hours, register_referral
from channelfin.services.ports import Ports
from channelfin.services.programs import undo_sale
from channelfin.services.signatures import DELIVERY_REPORT_DECLINED, SIGNATURE_DECLINED

Status = ContractStatus
WAITING_STATUS = {
    WaitStep.CREDIT_REVIEW: Status.UNDER_REVIEW,
    WaitStep.SIGNATURES: Status.AWAITING_SIGNATURES,
    WaitStep.DELIVERY_REPORT: Status.AWAITING_DELIVERY,
    WaitStep.DELIVERY_SIGNATURE: Status.AWAITING_DELIVERY,
    WaitStep.PAYOUT_RELEASE: Status.AWAITING_PAYMENT,
}


def _actor(step: str) -> str:
    return f"workflow:{step}"


def await_credit_review(ports: Ports, contract_id: str, token: str) -> None:
    decided: bool | None = None

    def hold(current: Contract) -> Contract:
        nonlocal decided
        if current.status is Status.UNDER_REVIEW:
            return current.waiting(WaitStep.CREDIT_REVIEW, token)
        decided = current.status is not Status.REJECTED  # the analyst was faster than this step
        return current

    update_contract(ports, contract_id, hold)
    if decided is not None:
        ports.workflows.resume(token, {"approved": decided})


def send_for_signature(ports: Ports, contract_id: str, token: str) -> None:
    """Produce the sale and lease contracts and send them for signature (once), then wait for both.

    Completes at once if both documents were signed meanwhile.
    """
    current = _get(ports, contract_id)
    file = current.financing
    if current.status in (Status.APPROVED, Status.AWAITING_SIGNATURES) and file and not file.declined:
        documents.send_for_signature(ports, contract_id)
    outcome: str | None = None

    def hold(current: Contract) -> Contract:
        nonlocal outcome
        outcome = None
        if current.status is Status.APPROVED:
            current = current.moved_to(
                Status.AWAITING_SIGNATURES,
                at=ports.clock(),
                actor=_actor("SendForSignature"),
                note="sale and lease contracts sent for signature",
            )
        file = current.financing
        assert file is not None
        if file.declined:
            outcome = "declined"
            return current
        if current.signatures_complete:
            outcome = "signed"
            return current.done_waiting() if file.task_token else current
        return current.waiting(WaitStep.SIGNATURES, token)

    contract = update_contract(ports, contract_id, hold)
    if outcome == "signed":
        ports.workflows.resume(token, {"signed": True})
    elif outcome == "declined":
        assert contract.financing is not None and contract.financing.declined
        ports.workflows.fail(token, SIGNATURE_DECLINED, contract.financing.declined)


def await_delivery_report(ports: Ports, contract_id: str, token: str) -> None:
    """Wait for the owner's delivery report (completes at once if it was submitted meanwhile)."""
    submitted: str | None = None

    def hold(current: Contract) -> Contract:
        nonlocal submitted
        submitted = None
        if current.status is Status.AWAITING_SIGNATURES:
            current = current.moved_to(
                Status.AWAITING_DELIVERY,
                at=ports.clock(),
                actor=_actor("AwaitDeliveryReport"),
                note="sale and lease contracts signed",
            )
        report = current.financing.delivery_report if current.financing else None
        if current.status is not Status.AWAITING_DELIVERY or report is not None:
            submitted = report.installed_at.isoformat() if report else "earlier"  # a retried step: move on
            return current.done_waiting() if current.financing and current.financing.task_token else current
        return current.waiting(WaitStep.DELIVERY_REPORT, token)

    update_contract(ports, contract_id, hold)
    if submitted is not None:
        ports.workflows.resume(token, {"installedAt": submitted})


def send_delivery_report(ports: Ports, contract_id: str, token: str) -> None:
    """Send the owner's report to the end client for signature (once), then wait for the signature.

    Completes at once if the end client signed it meanwhile (or an admin overrode); fails with
    `DeliveryReportDeclined` if it was declined before this step ran, so the definition waits
    for the owner's corrected report again.
    """
    current = _get(ports, contract_id)
    report = current.financing.delivery_report if current.financing else None
    signed = current.signature_of(DocumentKind.DELIVERY_REPORT)
    if current.status is Status.AWAITING_DELIVERY and report is not None and signed is None:
        documents.send_delivery_report(ports, contract_id)
    outcome: str | None = None

    def hold(current: Contract) -> Contract:
        nonlocal outcome
        outcome = None
        file = current.financing
        assert file is not None
        if (
            current.signature_of(DocumentKind.DELIVERY_REPORT) is not None
            or current.status is not Status.AWAITING_DELIVERY
        ):
            outcome = "signed"
            return current.done_waiting() if file.task_token else current
        if file.delivery_report is None:
            outcome = "declined"
            return current
        return current.waiting(WaitStep.DELIVERY_SIGNATURE, token)

    update_contract(ports, contract_id, hold)
    if outcome == "signed":
        ports.workflows.resume(token, {"deliveryReportSigned": True})
    elif outcome == "declined":
        ports.workflows.fail(token, DELIVERY_REPORT_DECLINED, "the end client declined the delivery report")


def transmit_file(ports: Ports, contract_id: str) -> dict[str, str]:
    """The complete file goes to the leaser: AWAITING_PAYMENT, and the SLA clock starts."""

    now = ports.clock()
    fast = fast_payment_hours(ports, _get(ports, contract_id), now)

    def transmit(current: Contract) -> Contract:
        if current.status is Status.AWAITING_PAYMENT:
            return current
        return current.transmitted(at=now, actor=_actor("TransmitFile"), sla_hours=fast)

    contract = update_contract(ports, contract_id, transmit)
    assert contract.payout_due_by is not None
    return {"payoutDueBy": contract.payout_due_by.isoformat()}


def create_upfront_payout(ports: Ports, contract_id: str) -> dict[str, str]:
    """The SOFTWARE_UPFRONT payout (PV − file fee) to the owner, due by the SLA; once per contract."""
    contract = _get(ports, contract_id)
    file = contract.financing
    if file is None or file.payout_due_by is None:
        raise InvalidTransition("the file has not been transmitted")
    payout = software_upfront(
        contract_id=contract.id,
        owner_id=contract.owner_id,
        payer_id=leaser_of(ports, contract),
        amount=file.upfront_payout,
        due_by=file.payout_due_by,
        created_at=ports.clock(),
    )
    with contextlib.suppress(Conflict):  # a retried step: the payout is there already
        ports.payouts.add(payout)
    return {"payoutId": payout.id}


def hold_upfront_payout(ports: Ports, contract_id: str, token: str) -> None:
    """Go on to the transfer at once, unless the file needs an analyst first (issue 17).

    It does when the publisher is in default with the leaser, or when a signature request went
    to an address no analyst confirmed as the end client's signatory (`domain/signatories.py`).
    Then the payout stays SCHEDULED and unpaid, and the file waits (PAYOUT_RELEASE) for a credit
    analyst's `releaseHeldPayout`; a release that came first completes the step at once.
    """
    contract = _get(ports, contract_id)
    default = ports.partners.default_of(contract.publisher_id, leaser_of(ports, contract))
    go_on = False

    def hold(current: Contract) -> Contract:
        nonlocal go_on
        file = current.financing
        assert file is not None
        reasons = []
        if default is not None:
            reasons.append(f"the publisher is in default ({default.reason})")
        if file.unconfirmed_signer is not None:
            reasons.append(
                f"the documents were sent for signature to {file.unconfirmed_signer}, "
                "not to a signatory an analyst confirmed for the end client"
            )
        go_on = not reasons or file.payout_released_by is not None
        if go_on:
            return current.done_waiting() if file.task_token else current
        if file.waiting_for is WaitStep.PAYOUT_RELEASE and file.task_token == token:
            return current  # a retried step
        note = f"upfront payout held: {'; '.join(reasons)}; an analyst releases it"
        return current.waiting(WaitStep.PAYOUT_RELEASE, token).noted(
            note, at=ports.clock(), actor=_actor("HoldUpfrontPayout")
        )

    update_contract(ports, contract_id, hold)
    if go_on:
        ports.workflows.resume(token, {"released": True})


def disburse(ports: Ports, payout_id: str) -> dict[str, str]:
    """Transfer the payout; `TransferFailed` propagates so the definition retries with backoff."""
    payout = _payout(ports, payout_id)
    if payout.status is PayoutStatus.PAID:
        return {"payoutId": payout.id, "status": payout.status.value}
    reference = ports.payments.transfer(payout)
    now = ports.clock()
    paid = payout.paid(at=now, reference=reference)
    ports.payouts.save(paid, before=payout, at=now)
    if paid.sla_met is False:
        ports.metrics.count("PayoutSlaMissed", kind=paid.kind.value)
    return {"payoutId": paid.id, "status": paid.status.value}


def mark_payout_failed(ports: Ports, payout_id: str, cause: str) -> dict[str, str]:
    """Retries are exhausted: the payout is FAILED for treasury to see, and a metric raises the alarm."""
    payout = _payout(ports, payout_id)
    if payout.status is not PayoutStatus.FAILED:
        ports.payouts.save(payout.failed(cause[:500] or "transfer failed"), before=payout, at=ports.clock())
        ports.metrics.count("PayoutFailed", kind=payout.kind.value)
    return {"payoutId": payout.id, "status": PayoutStatus.FAILED.value}


def activate(ports: Ports, contract_id: str) -> None:
    def make_active(current: Contract) -> Contract:
        if current.status is Status.ACTIVE:
            return current
        return current.moved_to(Status.ACTIVE, at=ports.clock(), actor=_actor("Activate"), note="software part paid")

    update_contract(ports, contract_id, make_active)


def create_referral_payout(ports: Ports, contract_id: str) -> dict[str, object]:
    """A FINANCING_REFERRAL campaign of the publisher pays the reseller that brought the file, once.

    Due `payoutSlaHours` (48) after the contract became ACTIVE; `due` tells the definition
    whether there is a transfer to make (none without a campaign, or once it is paid).
    """
    contract = _get(ports, contract_id)
    activated_at = next((e.at for e in reversed(contract.timeline) if e.status is Status.ACTIVE), None)
    if activated_at is None:
        raise InvalidTransition("the contract is not active yet")
    payout = register_referral(ports, contract, activated_at)
    if payout is None:
        return {"payoutId": None, "due": False}
    return {"payoutId": payout.id, "due": payout.status is PayoutStatus.SCHEDULED}


def expire(ports: Ports, contract_id: str, step: str) -> None:
    """A wait timed out: the file is EXPIRED (from whichever waiting status it was in)."""
    _end(ports, contract_id, Status.EXPIRED, "Expire", lambda _: f"no {step.lower().replace('_', ' ')} in time")


def cancel(ports: Ports, contract_id: str, reason: str) -> None:
    """The end client declined to sign: CANCELLED, with the refusal the contract recorded."""
    _end(
        ports,
        contract_id,
        Status.CANCELLED,
        "Cancel",
        lambda current: (current.financing.declined if current.financing else None) or reason,
    )


def _end(ports: Ports, contract_id: str, status: Status, step: str, note: Callable[[Contract], str]) -> None:
    """The file ends without a lease: signature requests still open lapse with it, and a sale its sale
    contract made stops counting, what it earned unsettled cancelled and anything paid clawed back, as
    `cancelContract` does (DESIGN 4: a cancelled contract's sale does not count)."""

    def make_ended(current: Contract) -> Contract:
        if current.status is status:
            return current
        ended = current.moved_to(status, at=ports.clock(), actor=_actor(step), note=note(current)[:500])
        for document in ended.documents:
            ended = ended.with_document(document.expired())
        return ended.done_waiting()

    undo_sale(ports, update_contract(ports, contract_id, make_ended))


def _get(ports: Ports, contract_id: str) -> Contract:
    contract = ports.contracts.get(contract_id)
    if contract is None:
        raise NotFound(f"no contract {contract_id}")
    return contract


def _payout(ports: Ports, payout_id: str) -> Payout:
    payout = ports.payouts.get(payout_id)
    if payout is None:
        raise NotFound(f"no payout {payout_id}")
    return payout
