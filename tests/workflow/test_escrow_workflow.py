"""The escrow-trigger state machine, executed from infra/escrow.asl.json, driven through GraphQL."""

from __future__ import annotations

import pytest

from channelfin.services import escrow as escrow_service
from tests.escrow_flow import SECOND_ADMIN, EscrowFlow
from tests.factories import LEASER_ADMIN
from tests.world import confirm_signatory

pytestmark = pytest.mark.workflow


def _active_contract(flow, **overrides) -> str:
    contract = flow.new_contract(**overrides)
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    flow.deliver_and_sign(contract)
    flow.wait_for(contract, "ACTIVE")
    return contract


def _wait_escrow(flow, escrow, status):
    execution = flow.escrow_execution(escrow.local)
    assert escrow.read()["status"] == status, (execution["status"], escrow.read()["history"])
    return execution


def test_a_confirmed_default_hands_the_contract_to_the_continuity_provider(flow):
    contract = _active_contract(flow)
    assert flow.collect(contract, 1)["userErrors"] == []
    escrow = EscrowFlow(flow.world)
    escrow.setup()
    assert escrow.declare().data["declarePublisherDefault"]["escrowAgreement"]["status"] == "DEFAULT_DECLARED"

    forbidden = escrow.confirm(who=LEASER_ADMIN)  # the declaring admin
    assert forbidden.codes == ["FORBIDDEN"]
    assert flow.read(contract)["status"] == "ACTIVE"
    assert escrow.read()["status"] == "DEFAULT_DECLARED"

    assert escrow.confirm().data["confirmEscrowTrigger"]["userErrors"] == []
    assert _wait_escrow(flow, escrow, "TRIGGERED")["status"] == "SUCCEEDED"
    agreement = escrow.read()
    assert agreement["confirmedBy"] == SECOND_ADMIN.sub and agreement["depositReleasedAt"]
    assert agreement["contractsUnderContinuity"] == [{"id": contract, "underContinuity": True}]
    kinds = sorted(n["recipientKind"] for n in agreement["notifications"])
    assert kinds == ["CONTINUITY_PROVIDER", "END_CLIENT", "HOST"]
    # The host is told to keep the service running, not who the publisher's end clients are.
    host_view = escrow.read(who=flow.world.user_of(escrow.host))
    assert [n["recipientKind"] for n in host_view["notifications"]] == ["HOST"]
    steps = [e["step"] for e in agreement["history"]]
    assert steps[:3] == ["SIGNED", "DEFAULT_DECLARED", "DEFAULT_CONFIRMED"] and steps[-1] == "TRIGGERED"
    assert {"NOTIFIED", "DEPOSIT_RELEASED", "CONTRACT_UNDER_CONTINUITY"} <= set(steps)

    flow.collect(contract, 2)
    shares = {s["installment"]: s["beneficiary"]["id"] for s in flow.payouts(flow.read(contract), "SUPPORT_SHARE")}
    assert shares == {1: flow.world.publisher, 2: escrow.provider}
    provider_view = flow.read(contract, who=flow.world.user_of(escrow.provider))
    assert provider_view["id"] == contract  # the provider now runs it, so it sees it
    assert [p["installment"] for p in flow.payouts(provider_view)] == [2]  # and only its own payouts


def test_a_dismissed_default_changes_nothing(flow):
    contract = _active_contract(flow)
    escrow = EscrowFlow(flow.world)
    escrow.setup()
    escrow.declare()
    assert escrow.confirm(confirm=False).data["confirmEscrowTrigger"]["escrowAgreement"]["status"] == "DISMISSED"
    assert _wait_escrow(flow, escrow, "DISMISSED")["status"] == "SUCCEEDED"
    assert flow.world.ports.contracts.get(flow.local(contract)).under_continuity is False
    assert escrow.read()["notifications"] == [] and escrow.read()["contractsUnderContinuity"] == []


def test_an_unconfirmed_default_is_dismissed_after_the_timeout(flow):
    flow.world.ports.escrow_workflows.timeouts["confirmationSeconds"] = 1
    escrow = EscrowFlow(flow.world)
    escrow.setup()
    escrow.declare()
    assert _wait_escrow(flow, escrow, "DISMISSED")["status"] == "SUCCEEDED"
    assert escrow.read()["history"][-1] == {
        "step": "DISMISSED",
        "actor": "workflow:escrow",
        "note": "not confirmed in time",
    }
    late = escrow.confirm()
    assert [e["code"] for e in late.data["confirmEscrowTrigger"]["userErrors"]] == ["NOTHING_TO_CONFIRM"]


def test_a_failing_notification_is_retried_and_sent_once(flow):
    _active_contract(flow)
    flow.notifier.failures = 2
    escrow = EscrowFlow(flow.world)
    escrow.setup()
    escrow.declare()
    escrow.confirm()
    assert _wait_escrow(flow, escrow, "TRIGGERED")["status"] == "SUCCEEDED"
    assert flow.notifier.attempts == 5  # three messages, two refusals
    assert len(flow.notifier.sent) == 3 and len(escrow.read()["notifications"]) == 3


def test_a_batch_retried_halfway_marks_each_contract_once(flow, monkeypatch):
    confirm_signatory(flow.world.ports, "552100554")  # a second end client the leaser knows
    first, second = (
        _active_contract(flow),
        _active_contract(flow, customer={"name": "Garage Dupont", "registrationNumber": "552100554"}),
    )
    escrow = EscrowFlow(flow.world)
    escrow.setup()
    original = escrow_service.take_over_contract
    calls: list[str] = []

    def flaky(ports, agreement_id, contract_id):
        calls.append(contract_id)
        if contract_id == flow.local(second) and calls.count(contract_id) == 1:
            raise RuntimeError("lost the connection halfway")
        return original(ports, agreement_id, contract_id)

    monkeypatch.setattr(escrow_service, "take_over_contract", flaky)
    escrow.declare()
    escrow.confirm()
    assert _wait_escrow(flow, escrow, "TRIGGERED")["status"] == "SUCCEEDED"
    assert calls.count(flow.local(second)) == 2  # retried
    marked = [e["note"] for e in escrow.read()["history"] if e["step"] == "CONTRACT_UNDER_CONTINUITY"]
    assert sorted(marked) == sorted([flow.local(first), flow.local(second)])
    for contract in (first, second):
        assert flow.world.ports.contracts.get(flow.local(contract)).under_continuity is True
