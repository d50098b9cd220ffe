"""Credit risk (issue 17): what a credit analyst found in seed 000, each reproduced and now holding.

- the instant-decision limit applies to the end client's total outstanding financed amount;
- an escrow trigger freezes the defaulted publisher: its new requests are referred, its
  unpaid upfront payouts held for an analyst;
- a financing agreement can be terminated: new requests refused, files in flight go on.

The integration layer runs this module again on DynamoDB Local.
"""

from __future__ import annotations

import pytest

from channelfin.services import financing_workflow as steps
from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.financing_flow import ANALYST, TREASURY, FinancingFlow


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def codes(payload):
    return [e["code"] for e in payload["userErrors"]]


def _terminate(flow, who=LEASER_ADMIN, reason="the partner's accounts were not filed"):
    result = flow.world.run(who, ops.TERMINATE_AGREEMENT, input={"agreementId": flow.world.agreement, "reason": reason})
    return result


# ------------------------------------------------------------------ terminating an agreement


def test_a_terminated_agreement_refuses_new_requests_and_lets_files_in_flight_go_on(flow):
    in_flight = flow.new_contract()
    assert flow.request(in_flight)["contract"]["status"] == "APPROVED"
    later = flow.new_contract(customer={"name": "Garage Dupont", "registrationNumber": "552100554"})

    ended = _terminate(flow).data["terminateFinancingAgreement"]
    assert ended["userErrors"] == []
    assert ended["agreement"]["status"] == "TERMINATED"
    assert ended["agreement"]["terminationReason"] == "the partner's accounts were not filed"
    assert ended["agreement"]["terminatedAt"] is not None

    refused = flow.request(later)
    assert codes(refused) == ["AGREEMENT_TERMINATED"]
    assert refused["userErrors"][0]["field"] == ["input", "agreementId"]
    assert flow.read(later)["status"] == "DRAFT" and flow.read(later)["financing"] is None

    # The file requested before goes on: a retried request is still answered, its steps still run.
    assert flow.request(in_flight)["userErrors"] == []
    flow.world.ports.workflows.issue("t-sign")
    steps.send_for_signature(flow.world.ports, flow.local(in_flight), "t-sign")
    assert flow.read(in_flight)["status"] == "AWAITING_SIGNATURES"


def test_terminating_twice_changes_nothing(flow):
    first = _terminate(flow).data["terminateFinancingAgreement"]["agreement"]
    second = _terminate(flow, reason="again").data["terminateFinancingAgreement"]
    assert second["userErrors"] == []
    assert second["agreement"] == first


@pytest.mark.parametrize("who", ["analyst", "treasury", "publisher-admin"])
def test_only_a_leaser_admin_terminates_an_agreement(flow, who):
    caller = {
        "analyst": ANALYST,
        "treasury": TREASURY,
        "publisher-admin": flow.world.user_of(flow.world.publisher, "partner-admin"),
    }[who]
    assert _terminate(flow, who=caller).codes == ["FORBIDDEN"]
    contract = flow.new_contract()
    assert flow.request(contract)["userErrors"] == []  # still active


def test_a_termination_reason_is_bounded(flow):
    payload = _terminate(flow, reason="x" * 501).data["terminateFinancingAgreement"]
    assert codes(payload) == ["TOO_LONG"] and payload["userErrors"][0]["field"] == ["input", "reason"]
