"""The financing state machine, executed from infra/financing.asl.json, driven through GraphQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

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
    flow.deliver(contract)
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
