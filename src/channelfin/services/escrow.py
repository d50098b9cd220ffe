"""Continuity: escrow agreements, publisher defaults and the escrow-trigger workflow's steps.

The mutations record a decision on the agreement (version-conditioned) and then complete
the waiting step's token; the steps (one per Task of infra/escrow.asl.json) are idempotent,
so a retried step, or a Map over contracts retried halfway, changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.contracts import Contract, PartyRole
from channelfin.domain.error_codes import EscrowCode
from channelfin.domain.errors import NotFound, ValidationError
from channelfin.domain.escrow import EscrowAgreement, EscrowStatus, Notification
from channelfin.domain.partners import MISSING_ROLE, PartnerRole, PublisherDefault
from channelfin.services import outbox
from channelfin.services.contracts import update_contract
from channelfin.services.paging import all_items
from channelfin.services.ports import Ports, TaskTokenRejected
from channelfin.services.retry import optimistic_update

STEP_ACTOR = "workflow:escrow"


def update_escrow(ports: Ports, agreement_id: str, change: Callable[[EscrowAgreement], EscrowAgreement]):
    tracked = outbox.Tracked(change)
    return optimistic_update(
        lambda: ports.escrows.get(agreement_id),
        lambda changed, version: ports.escrows.save(
            changed, expected_version=version, events=outbox.of_escrow(ports, tracked.before, changed)
        ),
        tracked,
        what="escrow agreement",
        field=["escrowAgreementId"],
    )


def sign_escrow_agreement(
    ports: Ports,
    principal: Principal,
    *,
    leaser_id: str,
    publisher_id: str,
    host_id: str,
    continuity_provider_id: str,
    products: list[str],
    deposit_reference: str,
    last_deposit_at: datetime,
) -> EscrowAgreement:
    require(principal, Role.LEASER_ADMIN, action="signEscrowAgreement")
    wanted = {
        "leaserId": leaser_id,
        "publisherId": publisher_id,
        "hostId": host_id,
        "continuityProviderId": continuity_provider_id,
    }
    found = ports.partners.get_many(wanted.values())
    for field, partner_id in wanted.items():
        if partner_id not in found:
            raise NotFound("no such partner", field=[field])
    for field, role in (
        ("leaserId", PartnerRole.LEASER),
        ("publisherId", PartnerRole.PUBLISHER),
        ("hostId", PartnerRole.HOST),
    ):
        if not found[wanted[field]].has_role(role):
            raise ValidationError(f"that partner is not a {role.value}", code=MISSING_ROLE[role], field=[field])
    agreement = EscrowAgreement.sign(
        id=ports.new_id(),
        leaser_id=leaser_id,
        publisher_id=publisher_id,
        host_id=host_id,
        continuity_provider_id=continuity_provider_id,
        products=products,
        deposit_reference=deposit_reference,
        last_deposit_at=last_deposit_at,
        signed_at=ports.clock(),
        signed_by=principal.sub,
    )
    ports.escrows.add(agreement)
    return agreement


def visible_escrow(ports: Ports, principal: Principal, agreement_id: str) -> EscrowAgreement | None:
    agreement = ports.escrows.get(agreement_id)
    if agreement is None or not principal.can_see_any_of(agreement.party_ids):
        return None
    return agreement


def declare_publisher_default(ports: Ports, principal: Principal, *, agreement_id: str, reason: str) -> EscrowAgreement:
    require(principal, Role.LEASER_ADMIN, action="declarePublisherDefault")
    at = ports.clock()
    agreement = update_escrow(ports, agreement_id, lambda a: a.default_declared(reason=reason, by=principal.sub, at=at))
    ports.escrow_workflows.start(agreement.execution_name, {"escrowAgreementId": agreement.id})
    return agreement


def confirm_escrow_trigger(ports: Ports, principal: Principal, *, agreement_id: str, confirm: bool) -> EscrowAgreement:
    """A different leaser admin confirms (or dismisses) the declared default."""
    require(principal, Role.LEASER_ADMIN, action="confirmEscrowTrigger")
    token: str | None = None

    def decide(current: EscrowAgreement) -> EscrowAgreement:
        nonlocal token
        token = current.task_token
        return current.decided(confirm=confirm, by=principal.sub, at=ports.clock())

    agreement = update_escrow(ports, agreement_id, decide)
    if token:
        try:
            ports.escrow_workflows.resume(token, {"confirmed": confirm})
        except TaskTokenRejected:
            return agreement  # timed out meanwhile: the workflow's own end (dismissed) stands
        if confirm:
            _freeze_publisher(ports, agreement)  # at once: the hand-over steps take a while
    return agreement


def _freeze_publisher(ports: Ports, agreement: EscrowAgreement) -> None:
    """The publisher is in default with this leaser: no automatic approval, upfront payouts held."""
    ports.partners.record_default(
        PublisherDefault(
            publisher_id=agreement.publisher_id,
            leaser_id=agreement.leaser_id,
            escrow_agreement_id=agreement.id,
            reason=agreement.default_reason or "escrow triggered",
            confirmed_at=ports.clock(),
        )
    )


# ---------------------------------------------------------------- the steps


def _agreement(ports: Ports, agreement_id: str) -> EscrowAgreement:
    agreement = ports.escrows.get(agreement_id)
    if agreement is None:
        raise NotFound(f"no escrow agreement {agreement_id}")
    return agreement


def validate_claim(ports: Ports, agreement_id: str) -> dict[str, object]:
    agreement = _agreement(ports, agreement_id)
    stale = agreement.deposit_is_stale(ports.clock(), ports.stale_deposit_days)
    # A second admin may already have decided (even dismissed) before this step ran: the
    # waiting step then completes at once. Only an agreement with no declaration is refused.
    if agreement.declarations == 0 or agreement.status is EscrowStatus.TRIGGERED:
        raise ValidationError(f"agreement {agreement_id} has no pending default", code=EscrowCode.NO_DECLARED_DEFAULT)
    return {"staleDeposit": stale}


def await_confirmation(ports: Ports, agreement_id: str, token: str) -> None:
    decided: bool | None = None

    def hold(current: EscrowAgreement) -> EscrowAgreement:
        nonlocal decided
        if current.confirmed_by is not None:
            decided = True  # the second admin was faster than this step
            return current
        if current.status is EscrowStatus.DISMISSED:
            decided = False
            return current
        return current.waiting(token)

    update_escrow(ports, agreement_id, hold)
    if decided is not None:
        ports.escrow_workflows.resume(token, {"confirmed": decided})


def _notify(
    ports: Ports, agreement: EscrowAgreement, recipient_id: str, kind: str, subject: str, contract_id=None
) -> None:
    """Send unless `agreement` (read at the start of the step) records it as sent by an earlier attempt."""
    if any((n.recipient_id, n.contract_id) == (recipient_id, contract_id) for n in agreement.notifications):
        return
    ports.notifier.send(recipient_id=recipient_id, kind=kind, subject=subject, body=subject)
    sent = Notification(recipient_id, kind, subject, ports.clock(), contract_id)
    update_escrow(ports, agreement.id, lambda a: a.notified(sent, STEP_ACTOR))


def notify_host(ports: Ports, agreement_id: str) -> None:
    agreement = _agreement(ports, agreement_id)
    _notify(
        ports,
        agreement,
        agreement.host_id,
        "HOST",
        f"Publisher default: keep {', '.join(agreement.products)} running for the continuity provider",
    )


def affected_contracts(ports: Ports, agreement: EscrowAgreement) -> list[Contract]:
    """Financed by that leaser, published by that publisher, not closed: one Query on the publisher's contracts."""
    leaser_of: dict[str, str | None] = {}
    found = []
    published = all_items(
        lambda page: ports.contracts.find(
            party_id=agreement.publisher_id, role=PartyRole.PUBLISHER, status=None, page=page
        )
    )
    for contract in published:
        if contract.financing is None or contract.is_closed:
            continue
        agreement_id = contract.financing.agreement_id
        if agreement_id not in leaser_of:
            financing_agreement = ports.partners.get_agreement(agreement_id)
            leaser_of[agreement_id] = financing_agreement.leaser_id if financing_agreement else None
        if leaser_of[agreement_id] == agreement.leaser_id:
            found.append(contract)
    return found


def notify_end_clients(ports: Ports, agreement_id: str) -> None:
    agreement = _agreement(ports, agreement_id)
    for contract in affected_contracts(ports, agreement):
        _notify(
            ports,
            agreement,
            contract.customer.email or contract.customer.name,
            "END_CLIENT",
            "Your service continues with a continuity provider",
            contract_id=contract.id,
        )


def release_deposit(ports: Ports, agreement_id: str) -> None:
    agreement = _agreement(ports, agreement_id)
    _notify(
        ports,
        agreement,
        agreement.continuity_provider_id,
        "CONTINUITY_PROVIDER",
        f"Escrow deposit {agreement.deposit_reference} released to you",
    )
    update_escrow(ports, agreement_id, lambda a: a.deposit_released(at=ports.clock(), actor=STEP_ACTOR))


def list_affected(ports: Ports, agreement_id: str) -> dict[str, list[str]]:
    return {"contractIds": [c.id for c in affected_contracts(ports, _agreement(ports, agreement_id))]}


def take_over_contract(ports: Ports, agreement_id: str, contract_id: str) -> None:
    """One item of the Map: idempotent, so a batch retried halfway re-marks nothing."""
    provider = _agreement(ports, agreement_id).continuity_provider_id
    update_contract(ports, contract_id, lambda c: c.taken_over_by(provider))
    update_escrow(ports, agreement_id, lambda a: a.contract_taken_over(contract_id, at=ports.clock(), actor=STEP_ACTOR))


def mark_triggered(ports: Ports, agreement_id: str) -> None:
    agreement = update_escrow(ports, agreement_id, lambda a: a.triggered(at=ports.clock(), actor=STEP_ACTOR))
    _freeze_publisher(ports, agreement)  # idempotent: confirmation froze it already


def dismiss_unconfirmed(ports: Ports, agreement_id: str) -> None:
    update_escrow(ports, agreement_id, lambda a: a.expired_unconfirmed(at=ports.clock(), actor=STEP_ACTOR))
