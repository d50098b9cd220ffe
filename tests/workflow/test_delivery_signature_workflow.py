"""The delivery report on the real definition: the owner submits it, the end client signs it (issue 17).

SendDeliveryReport (infra/financing.asl.json) sends the owner's report to the end client and
waits; nothing is transmitted or paid until the signature comes from the provider (the
connector here) or from a leaser-admin's override. A declined report sends the definition back
to AwaitDeliveryReport for the owner's corrected one.
"""

from __future__ import annotations

import time

import pytest

from tests.factories import LEASER_ADMIN

pytestmark = pytest.mark.workflow


def _submitted(flow) -> str:
    contract = flow.new_contract()
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    assert flow.deliver(contract)["userErrors"] == []
    return contract


DOCUMENTS = "query($id: ID!) { contract(id: $id) { documents { kind status signedBy signatureSource } } }"


def _documents(flow, contract):
    result = flow.world.run(LEASER_ADMIN, DOCUMENTS, id=contract)
    assert result.errors == [], result.errors
    return {d["kind"]: d for d in result.data["contract"]["documents"]}


def test_the_owners_report_alone_pays_nothing_and_an_admin_override_completes_it(flow):
    contract = _submitted(flow)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_SIGNATURE")
    time.sleep(1)  # give a wrongly wired definition time to move on
    waiting = flow.read(contract)
    assert waiting["status"] == "AWAITING_DELIVERY" and waiting["financing"]["transmittedAt"] is None
    assert flow.payouts(waiting) == []
    assert _documents(flow, contract)["DELIVERY_REPORT"]["status"] == "SENT"
    assert flow.execution(contract, until_done=False)["status"] == "RUNNING"

    refused = flow.world.run(
        flow.owner,
        "mutation($i: RecordSignatureInput!) { recordSignature(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "document": "DELIVERY_REPORT", "signedBy": "Marie Martin", "overrideReason": "me"},
    )
    assert refused.codes == ["FORBIDDEN"]
    reason = "signed on paper at the client's office"
    assert flow.sign(contract, "DELIVERY_REPORT", who=LEASER_ADMIN, override_reason=reason)["userErrors"] == []

    active = flow.wait_for(contract, "ACTIVE")
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    report = _documents(flow, contract)["DELIVERY_REPORT"]
    assert (report["signedBy"], report["signatureSource"]) == ("Marie Martin", "OVERRIDE")
    [upfront] = flow.payouts(active, "SOFTWARE_UPFRONT")
    assert upfront["status"] == "PAID"


def test_a_declined_report_waits_for_the_owners_corrected_one(flow):
    contract = _submitted(flow)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_SIGNATURE")
    assert flow.decline_delivery(contract)["userErrors"] == []

    again = flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    assert again["financing"]["deliveryReport"] is None
    assert _documents(flow, contract)["DELIVERY_REPORT"]["status"] == "DECLINED"
    assert "declined the DELIVERY_REPORT: not installed" in again["timeline"][-1]["note"]
    assert flow.payouts(again) == []

    assert flow.deliver(contract)["userErrors"] == []  # the corrected report
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_SIGNATURE")
    assert _documents(flow, contract)["DELIVERY_REPORT"]["status"] == "SENT"
    assert flow.sign_delivery(contract)["userErrors"] == []
    active = flow.wait_for(contract, "ACTIVE")
    assert _documents(flow, contract)["DELIVERY_REPORT"]["signatureSource"] == "PROVIDER"
    assert len(flow.payouts(active, "SOFTWARE_UPFRONT")) == 1


def test_a_report_nobody_signs_in_time_expires_the_file(flow):
    flow.set_timeout("deliverySeconds", 5)  # each delivery wait; submitted at once, signed never
    contract = _submitted(flow)
    assert flow.execution(contract, timeout=40)["status"] == "SUCCEEDED"
    expired = flow.read(contract)
    assert expired["status"] == "EXPIRED"
    assert _documents(flow, contract)["DELIVERY_REPORT"]["status"] == "EXPIRED"  # it was sent, then lapsed
    assert flow.payouts(expired) == []
    assert [e["code"] for e in flow.sign_delivery(contract)["userErrors"]] == ["DELIVERY_REPORT_NOT_SUBMITTED"]
