"""The financing state machine, executed from infra/financing.asl.json, driven through GraphQL."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import pytest

from channelfin.services.ports import TaskTokenRejected
from tests.financing_flow import ANALYST

pytestmark = pytest.mark.workflow


def test_happy_path_pays_the_software_part_within_the_sla_and_activates(flow):
    contract = flow.new_contract()
    requested = flow.request(contract)
    assert requested["userErrors"] == []
    assert requested["decision"] == {"outcome": "APPROVED", "reasons": []}

    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    assert flow.deliver(contract)["userErrors"] == []
    sent = flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_SIGNATURE")
    report = flow.world.run(ANALYST, "query($id: ID!) { contract(id: $id) { documents { kind status } } }", id=contract)
    assert {d["kind"]: d["status"] for d in report.data["contract"]["documents"]}["DELIVERY_REPORT"] == "SENT"
    assert flow.payouts(sent) == []  # the owner's word alone pays nothing
    assert flow.sign_delivery(contract)["userErrors"] == []  # the end client signs, as the provider reports

    active = flow.wait_for(contract, "ACTIVE")
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    [upfront] = flow.payouts(active, "SOFTWARE_UPFRONT")
    assert upfront["amount"]["amount"] == "32885.37"
    assert upfront["status"] == "PAID" and upfront["slaMet"] is True
    assert upfront["beneficiary"]["id"] == flow.world.publisher
    transmitted = datetime.fromisoformat(active["financing"]["transmittedAt"])
    assert datetime.fromisoformat(upfront["dueBy"]) == transmitted + timedelta(hours=72)
    assert active["payoutDueBy"] == upfront["dueBy"]
    assert [e["status"] for e in active["timeline"]] == [
        "DRAFT",
        "FINANCING_REQUESTED",
        "APPROVED",
        "AWAITING_SIGNATURES",
        "AWAITING_DELIVERY",
        "AWAITING_PAYMENT",
        "ACTIVE",
    ]
    assert {d["kind"]: d["signedBy"] for d in active["documents"]} == {
        "SALE_CONTRACT": "Marie Martin",
        "LEASE_CONTRACT": "Marie Martin",
        "DELIVERY_REPORT": "Marie Martin",
    }
    assert flow.payments.attempts == [f"upfront-{flow.local(contract)}"]


def test_installments_collected_twice_pay_one_support_share_each(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    flow.deliver_and_sign(contract)
    flow.wait_for(contract, "ACTIVE")

    ids = set()
    for installment in (1, 2, 1, 2):
        collected = flow.collect(contract, installment)
        assert collected["userErrors"] == []
        ids.add(collected["payout"]["id"])
    shares = flow.payouts(flow.read(contract), "SUPPORT_SHARE")
    assert len(ids) == 2 and len(shares) == 2
    assert sorted(s["installment"] for s in shares) == [1, 2]
    assert {s["amount"]["amount"] for s in shares} == {"150.00"}
    assert {s["beneficiary"]["id"] for s in shares} == {flow.world.publisher}
    assert flow.read(contract)["collectedInstallments"] == [1, 2]


def test_immediate_rejection_gives_reasons_and_starts_nothing(flow):
    contract = flow.new_contract(customer={"name": "Client Sans SIREN"}, forFinancing=False)
    requested = flow.request(contract)
    assert requested["decision"]["outcome"] == "REJECTED"
    assert any("SIREN" in reason for reason in requested["decision"]["reasons"])
    assert flow.read(contract)["status"] == "REJECTED"
    assert flow.execution_names(contract) == []


def test_a_52000_request_is_referred_and_waits_for_an_analyst(flow):
    contract = flow.new_contract(softwareFee="1600.00")  # PV 52,856.59: at or above the 50,000 limit
    requested = flow.request(contract)
    assert requested["decision"]["outcome"] == "REFERRED"
    flow.wait_for(contract, "UNDER_REVIEW", waiting_for="CREDIT_REVIEW")

    partner_try = flow.world.run(
        flow.owner,
        "mutation($i: ReviewFinancingInput!) { reviewFinancing(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "approve": True},
    )
    assert partner_try.codes == ["FORBIDDEN"]
    assert flow.read(contract)["status"] == "UNDER_REVIEW"

    assert flow.review(contract, True, comment="solid end client")["userErrors"] == []
    moved = flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    assert moved["financing"]["decision"] == {
        "outcome": "APPROVED",
        "reasons": ["solid end client"],
        "decidedBy": ANALYST.sub,
    }
    assert [e["status"] for e in moved["timeline"]][-3:] == ["UNDER_REVIEW", "APPROVED", "AWAITING_SIGNATURES"]


def test_credit_review_refused_ends_rejected(flow):
    contract = flow.new_contract(softwareFee="1600.00")
    flow.request(contract)
    flow.wait_for(contract, "UNDER_REVIEW", waiting_for="CREDIT_REVIEW")
    flow.review(contract, False, comment="exposure too high")
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    final = flow.read(contract)
    assert final["status"] == "REJECTED"
    assert final["financing"]["decision"]["reasons"] == ["exposure too high"]
    assert flow.payouts(final) == []


def test_credit_review_timeout_expires_the_file(flow):
    flow.set_timeout("creditReviewSeconds", 1)
    contract = flow.new_contract(softwareFee="1600.00")
    flow.request(contract)
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    expired = flow.read(contract)
    assert expired["status"] == "EXPIRED"
    assert expired["timeline"][-1]["note"] == "no credit review in time"
    late = flow.review(contract, True)
    assert [e["code"] for e in late["userErrors"]] == ["NOT_UNDER_REVIEW"]


def test_signature_declined_cancels_the_file(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    assert flow.sign(contract, "SALE_CONTRACT")["userErrors"] == []
    assert flow.decline(contract)["userErrors"] == []
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    final = flow.read(contract)
    assert final["status"] == "CANCELLED"
    assert "declined the LEASE_CONTRACT: the rent is too high" in final["timeline"][-1]["note"]
    assert flow.payouts(final) == []


def test_delivery_report_before_signatures_is_refused(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign(contract, "SALE_CONTRACT")
    early = flow.deliver(contract)
    assert [e["code"] for e in early["userErrors"]] == ["SIGNATURES_MISSING"]
    current = flow.read(contract)
    assert current["status"] == "AWAITING_SIGNATURES" and current["financing"]["deliveryReport"] is None
    assert flow.execution(contract, until_done=False)["status"] == "RUNNING"


def _through_delivery(flow, contract):
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    flow.deliver_and_sign(contract)  # signed at once: the SendDeliveryReport step finds it signed


def test_a_failing_transfer_is_retried_then_paid(flow):
    flow.payments.failures = 2
    contract = flow.new_contract()
    _through_delivery(flow, contract)
    active = flow.wait_for(contract, "ACTIVE", timeout=30)
    [upfront] = flow.payouts(active, "SOFTWARE_UPFRONT")
    assert upfront["status"] == "PAID"
    assert len(flow.payments.attempts) == 3
    assert flow.metrics.counts == []


def test_a_transfer_failing_for_good_leaves_a_failed_payout_and_raises_the_alarm(flow):
    flow.payments.failures = 100
    contract = flow.new_contract()
    _through_delivery(flow, contract)
    execution = flow.execution(contract, timeout=40)
    assert execution["status"] == "FAILED"
    final = flow.read(contract)
    assert final["status"] == "AWAITING_PAYMENT"
    [upfront] = flow.payouts(final, "SOFTWARE_UPFRONT")
    assert upfront["status"] == "FAILED" and "bank refused" in upfront["failureReason"]
    assert len(flow.payments.attempts) == 4  # the first try and three retries
    assert flow.metrics.counts == [("PayoutFailed", {"kind": "SOFTWARE_UPFRONT"})]


def test_a_repeated_request_starts_one_execution(flow):
    contract = flow.new_contract()
    before = len(flow.executions())
    first = flow.request(contract)
    second = flow.request(contract)
    assert first["userErrors"] == [] and second["userErrors"] == []
    assert second["contract"]["status"] in ("APPROVED", "AWAITING_SIGNATURES")
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    assert flow.request(contract)["userErrors"] == []
    assert len(flow.executions()) == before + 1
    assert flow.execution_names(contract) == [f"financing-{flow.local(contract)}"]


def test_bad_and_reused_task_tokens_change_nothing(flow):
    contract = flow.new_contract()
    flow.request(contract)
    waiting = flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    assert waiting["financing"]["waitingFor"] == "SIGNATURES"
    engine = flow.world.ports.workflows
    with pytest.raises(TaskTokenRejected):
        engine.resume("not-a-token", {})
    token = flow.world.ports.contracts.get(flow.local(contract)).financing.task_token
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    # AWS rejects a used token; moto ignores it. Either way the workflow must not move.
    with contextlib.suppress(TaskTokenRejected):
        engine.resume(token, {"signed": True})
    # Our own callers never reuse one: the contract dropped the token when it was used.
    assert flow.sign(contract, "SALE_CONTRACT")["userErrors"] == []
    current = flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    assert current["timeline"][-1]["status"] == "AWAITING_DELIVERY"
    assert flow.execution(contract, until_done=False)["status"] == "RUNNING"


def test_concurrent_collection_of_one_installment_pays_once(flow):
    from concurrent.futures import ThreadPoolExecutor

    contract = flow.new_contract()
    _through_delivery(flow, contract)
    flow.wait_for(contract, "ACTIVE")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: flow.collect(contract, 3), range(8)))
    assert all(r["userErrors"] == [] for r in results)
    assert len({r["payout"]["id"] for r in results}) == 1
    shares = flow.payouts(flow.read(contract), "SUPPORT_SHARE")
    assert [(s["installment"], s["amount"]["amount"]) for s in shares] == [(3, "150.00")]


def test_installment_numbers_outside_the_term_are_refused(flow):
    contract = flow.new_contract()
    _through_delivery(flow, contract)
    flow.wait_for(contract, "ACTIVE")
    for bad in (0, 37, -1):
        assert [e["code"] for e in flow.collect(contract, bad)["userErrors"]] == ["INVALID_INSTALLMENT"]
    assert flow.payouts(flow.read(contract), "SUPPORT_SHARE") == []
