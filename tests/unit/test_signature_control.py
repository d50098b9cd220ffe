"""The paid party no longer controls the file (issue 17).

The finding: a partner had the documents signed, submitted the delivery report itself and was
paid 33,863.52 with no human involved. Now a signature, the delivery report's included, counts
only when the signature provider records it as the end client's (its webhook, or the platform
connector's `recordSignature`), or when a leaser-admin overrides with a reason; the owner's
`submitDeliveryReport` sends the report to the end client and completes nothing by itself.

The workflow's steps are called directly (FakeEngine records callbacks); the integration layer
runs this module again on DynamoDB Local, tests/workflow on the real definition.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from channelfin.domain.errors import InvalidTransition
from channelfin.services import financing_workflow as steps
from tests.factories import LEASER_ADMIN, Clock
from tests.financing_flow import SIGNATURE_CONNECTOR, FinancingFlow

DOCUMENTS = """query($id: ID!) { contract(id: $id) { status financing { waitingFor deliveryReport { installedAt } }
  documents { kind status signingUrl signedBy signatureSource overrideReason } timeline { status note } } }"""


AUDIT = """query($day: Date!) { auditTrail(day: $day, first: 100) {
  edges { node { actor operation outcome arguments } } } }"""


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def codes(payload):
    return [e["code"] for e in payload["userErrors"]]


def _step(flow, step, contract, token):
    flow.world.ports.workflows.issue(token)
    step(flow.world.ports, flow.local(contract), token)


def _awaiting_delivery(flow) -> str:
    contract = flow.new_contract()
    flow.request(contract)
    _step(flow, steps.send_for_signature, contract, "t-sign")
    flow.sign_both(contract)
    _step(flow, steps.await_delivery_report, contract, "t-delivery")
    return contract


def _file(flow, contract, who=None):
    result = flow.world.run(who or LEASER_ADMIN, DOCUMENTS, id=contract)
    assert result.errors == [], result.errors
    data = result.data["contract"]
    data["documents"] = {d["kind"]: d for d in data["documents"]}
    return data


def test_the_owner_alone_cannot_complete_its_file(flow):
    contract = _awaiting_delivery(flow)
    owner = flow.owner
    assert flow.deliver(contract, who=owner)["userErrors"] == []
    for document in ("DELIVERY_REPORT", "SALE_CONTRACT"):
        result = flow.world.run(
            owner,
            "mutation($i: RecordSignatureInput!) { recordSignature(input: $i) { userErrors { code } } }",
            i={"contractId": contract, "document": document, "signedBy": "Marie Martin", "overrideReason": "me"},
        )
        assert result.codes == ["FORBIDDEN"]
    _step(flow, steps.send_delivery_report, contract, "t-report")
    data = _file(flow, contract)
    assert data["status"] == "AWAITING_DELIVERY" and data["financing"]["waitingFor"] == "DELIVERY_SIGNATURE"
    with pytest.raises(InvalidTransition) as refused:
        steps.transmit_file(flow.world.ports, flow.local(contract))
    assert refused.value.code == "DELIVERY_REPORT_NOT_SIGNED"
    assert flow.payouts(flow.read(contract)) == []


def test_the_submitted_report_goes_to_the_end_client_at_its_own_address(flow):
    contract = _awaiting_delivery(flow)
    flow.deliver(contract)
    assert ("t-delivery", {"installedAt": "2026-11-01"}) in flow.world.ports.workflows.resumed
    _step(flow, steps.send_delivery_report, contract, "t-report")
    [request] = [r for r in flow.world.ports.signatures.requests if r["kind"].value == "DELIVERY_REPORT"]
    assert request["signer_name"] == "Marie Martin"  # the signer the report names
    assert request["contract_id"] == flow.local(contract)
    report = _file(flow, contract)["documents"]["DELIVERY_REPORT"]
    assert report["status"] == "SENT" and report["signingUrl"] and report["signedBy"] is None

    _step(flow, steps.send_delivery_report, contract, "t-report-again")  # a retried step sends nothing twice
    assert len([r for r in flow.world.ports.signatures.requests if r["kind"].value == "DELIVERY_REPORT"]) == 1


def test_the_connectors_signature_of_the_report_completes_delivery(flow):
    contract = _awaiting_delivery(flow)
    flow.deliver(contract)
    _step(flow, steps.send_delivery_report, contract, "t-report")
    signed = flow.sign_delivery(contract)
    assert signed["userErrors"] == []
    assert ("t-report", {"deliveryReportSigned": True}) in flow.world.ports.workflows.resumed
    data = _file(flow, contract)
    assert data["financing"]["waitingFor"] is None
    report = data["documents"]["DELIVERY_REPORT"]
    assert (report["signedBy"], report["signatureSource"], report["overrideReason"]) == (
        "Marie Martin",
        "PROVIDER",
        None,
    )
    steps.transmit_file(flow.world.ports, flow.local(contract))
    assert flow.read(contract)["status"] == "AWAITING_PAYMENT"


def test_a_report_signed_before_the_step_completes_it_at_once_and_is_not_sent(flow):
    contract = _awaiting_delivery(flow)
    flow.deliver_and_sign(contract)
    _step(flow, steps.send_delivery_report, contract, "t-report")
    assert ("t-report", {"deliveryReportSigned": True}) in flow.world.ports.workflows.resumed
    assert [r["kind"].value for r in flow.world.ports.signatures.requests] == ["SALE_CONTRACT", "LEASE_CONTRACT"]


def test_the_report_is_signed_only_once_submitted(flow):
    contract = _awaiting_delivery(flow)
    assert codes(flow.sign_delivery(contract)) == ["DELIVERY_REPORT_NOT_SUBMITTED"]
    early = flow.new_contract()
    flow.request(early)
    assert codes(flow.sign_delivery(early)) == ["DELIVERY_REPORT_NOT_SUBMITTED"]


def test_a_leaser_admin_overrides_only_with_a_reason_and_it_is_kept_and_audited(flow):
    contract = _awaiting_delivery(flow)
    flow.deliver(contract)
    _step(flow, steps.send_delivery_report, contract, "t-report")
    assert codes(flow.sign_delivery(contract, who=LEASER_ADMIN)) == ["OVERRIDE_REASON_REQUIRED"]
    too_long = flow.sign(contract, "DELIVERY_REPORT", who=LEASER_ADMIN, override_reason="x" * 501)
    assert codes(too_long) == ["TOO_LONG"]
    assert _file(flow, contract)["financing"]["waitingFor"] == "DELIVERY_SIGNATURE"  # nothing recorded

    reason = "signed on paper at the client's office, scan in the file"
    assert flow.sign(contract, "DELIVERY_REPORT", who=LEASER_ADMIN, override_reason=reason)["userErrors"] == []
    report = _file(flow, contract)["documents"]["DELIVERY_REPORT"]
    assert (report["signatureSource"], report["overrideReason"]) == ("OVERRIDE", reason)
    assert ("t-report", {"deliveryReportSigned": True}) in flow.world.ports.workflows.resumed
    day = flow.world.ports.clock().date().isoformat()
    trail = flow.world.run(LEASER_ADMIN, AUDIT, day=day).data["auditTrail"]["edges"]
    [entry] = [
        e["node"]
        for e in trail
        if (e["node"]["operation"], e["node"]["outcome"], e["node"]["actor"])
        == ("recordSignature", "DONE", LEASER_ADMIN.sub)
        and json.loads(e["node"]["arguments"])["input"]["contractId"] == contract
    ]
    assert json.loads(entry["arguments"])["input"]["overrideReason"] == reason


def test_the_connector_does_not_override(flow):
    contract = _awaiting_delivery(flow)
    flow.deliver(contract)
    refused = flow.sign(contract, "DELIVERY_REPORT", who=SIGNATURE_CONNECTOR, override_reason="because")
    assert codes(refused) == ["OVERRIDE_NOT_ALLOWED"]


def test_a_declined_report_is_dropped_and_a_corrected_one_is_sent_again(flow):
    contract = _awaiting_delivery(flow)
    flow.deliver(contract)
    _step(flow, steps.send_delivery_report, contract, "t-report")
    declined = flow.world.run(
        SIGNATURE_CONNECTOR,
        "mutation($i: DeclineSignatureInput!) { declineSignature(input: $i) { userErrors { code } } }",
        i={
            "contractId": contract,
            "document": "DELIVERY_REPORT",
            "declinedBy": "Marie Martin",
            "reason": "not installed",
        },
    )
    assert declined.data["declineSignature"]["userErrors"] == []
    [(token, error, cause)] = flow.world.ports.workflows.failed
    assert (token, error) == ("t-report", "DeliveryReportDeclined") and "not installed" in cause
    data = _file(flow, contract)
    assert data["status"] == "AWAITING_DELIVERY" and data["financing"]["deliveryReport"] is None
    assert data["documents"]["DELIVERY_REPORT"]["status"] == "DECLINED"
    assert "declined the DELIVERY_REPORT: not installed" in data["timeline"][-1]["note"]

    _step(flow, steps.await_delivery_report, contract, "t-delivery-2")  # the definition waits again
    corrected = flow.world.run(
        flow.owner,
        "mutation($i: SubmitDeliveryReportInput!) { submitDeliveryReport(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "installedAt": "2026-11-02", "signedBy": "Marie Martin"},
    )
    assert corrected.data["submitDeliveryReport"]["userErrors"] == []
    _step(flow, steps.send_delivery_report, contract, "t-report-2")
    assert _file(flow, contract)["documents"]["DELIVERY_REPORT"]["status"] == "SENT"
    assert len([r for r in flow.world.ports.signatures.requests if r["kind"].value == "DELIVERY_REPORT"]) == 2
    assert flow.sign_delivery(contract)["userErrors"] == []
    assert ("t-report-2", {"deliveryReportSigned": True}) in flow.world.ports.workflows.resumed


SUBMIT = "mutation($i: SubmitDeliveryReportInput!) { submitDeliveryReport(input: $i) { userErrors { code field } } }"


def test_todays_installation_date_in_france_is_not_refused_as_future_at_utc_midnight(flow):
    """At 00:00 in Paris it is still 23:00 UTC yesterday: the extranet's "today" was refused (CI caught
    it in a browser set to Europe/Paris). A date is in the future only once it is so everywhere."""
    contract = _awaiting_delivery(flow)
    now = flow.world.ports.clock()
    late_evening_utc = datetime.combine(now.date() + timedelta(days=1), time(23, 0), tzinfo=UTC)
    flow.world.ports = replace(flow.world.ports, clock=Clock(start=late_evening_utc))
    paris_today = (late_evening_utc + timedelta(hours=1)).date()

    def submit(installed):
        fields = {"contractId": contract, "installedAt": installed.isoformat(), "signedBy": "Marie Martin"}
        result = flow.world.run(flow.owner, SUBMIT, i=fields)
        assert result.errors == [], result.errors
        return result.data["submitDeliveryReport"]["userErrors"]

    assert submit(paris_today + timedelta(days=1)) == [{"code": "INVALID_DATE", "field": ["input", "installedAt"]}]
    assert submit(paris_today) == []
    assert _file(flow, contract)["financing"]["deliveryReport"] == {"installedAt": paris_today.isoformat()}
