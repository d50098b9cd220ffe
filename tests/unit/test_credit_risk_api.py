"""Credit risk (issue 17): what a credit analyst found in seed 000, each reproduced and now holding.

- the instant-decision limit applies to the end client's total outstanding financed amount;
- an escrow trigger freezes the defaulted publisher: its new requests are referred, its
  unpaid upfront payouts held for an analyst;
- a financing agreement can be terminated: new requests refused, files in flight go on.

The integration layer runs this module again on DynamoDB Local.
"""

from __future__ import annotations

import pytest

from channelfin.services import escrow as escrow_steps
from channelfin.services import financing_workflow as steps
from tests import operations as ops
from tests.escrow_flow import SECOND_ADMIN, EscrowFlow
from tests.factories import LEASER_ADMIN
from tests.financing_flow import ANALYST, TREASURY, FinancingFlow
from tests.operations import RELEASE_HELD_PAYOUT as RELEASE
from tests.world import register


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


# ------------------------------------------------------------------ the end client's total


def _annual(flow, amount="49999.99", siren="732829320", **overrides):
    """One rent paid in advance: the financed amount is the rent itself, to the cent."""
    return flow.new_contract(
        periodicity="ANNUAL",
        termMonths=12,
        softwareFee=amount,
        supportFee="0.00",
        customer={"name": "Boulangerie Martin", "registrationNumber": siren},
        **overrides,
    )


def test_two_contracts_of_49999_99_for_one_siren_refer_the_second(flow):
    first, second = _annual(flow), _annual(flow)
    assert flow.request(first)["decision"] == {"outcome": "APPROVED", "reasons": []}

    referred = flow.request(second)
    assert referred["decision"]["outcome"] == "REFERRED"
    [reason] = referred["decision"]["reasons"]
    assert "99999.98 EUR with this file (49999.99 EUR before it)" in reason
    data = flow.read(second)
    assert data["status"] == "UNDER_REVIEW"
    assert data["financing"]["financedAmount"]["amount"] == "49999.99"
    assert data["financing"]["decisionMode"] == "CREDIT_REVIEW"
    assert flow.world.ports.workflows.started[f"financing-{flow.local(second)}"]["decision"] == "REFERRED"


def test_the_total_counts_what_reaches_the_limit_exactly(flow):
    first, second = _annual(flow, "30000.00"), _annual(flow, "20000.00")
    assert flow.request(first)["decision"]["outcome"] == "APPROVED"
    assert flow.request(second)["decision"]["outcome"] == "REFERRED"  # 50,000.00 is not below the limit
    third = _annual(flow, "19999.99", siren="552100554")
    assert flow.request(third)["decision"]["outcome"] == "APPROVED"  # another end client


def test_a_file_under_review_counts_and_a_rejected_one_stops_counting(flow):
    big = _annual(flow, "60000.00")
    assert flow.request(big)["decision"]["outcome"] == "REFERRED"
    small = _annual(flow, "1000.00")
    assert flow.request(small)["decision"]["outcome"] == "REFERRED"  # 61,000.00 with the pending one

    assert flow.review(big, False, comment="no")["userErrors"] == []
    after = _annual(flow, "49999.99")
    # The small one (still under review) counts: 1,000.00 + 49,999.99 reaches the limit.
    assert flow.request(after)["decision"]["outcome"] == "REFERRED"
    for pending in (small, after):
        assert flow.review(pending, False)["userErrors"] == []
    last = _annual(flow, "49999.99")
    assert flow.request(last)["decision"]["outcome"] == "APPROVED"


def test_a_cancelled_file_stops_counting(flow):
    first = _annual(flow)
    flow.request(first)
    flow.world.ports.workflows.issue("t-sign")
    steps.send_for_signature(flow.world.ports, flow.local(first), "t-sign")
    flow.decline(first)
    steps.cancel(flow.world.ports, flow.local(first), "declined")
    assert flow.read(first)["status"] == "CANCELLED"
    assert flow.request(_annual(flow))["decision"]["outcome"] == "APPROVED"


def test_another_leasers_files_do_not_count(flow):
    world = flow.world
    assert flow.request(_annual(flow))["decision"]["outcome"] == "APPROVED"
    other_leaser = register(world.ports, "Autre Bailleur", "LEASER")
    signed = world.run(
        LEASER_ADMIN,
        ops.SIGN_AGREEMENT,
        input={"partnerId": world.publisher, "leaserId": other_leaser, "annualRate": "0.05", "fileFee": "100.00"},
    )
    other_agreement = signed.data["signFinancingAgreement"]["agreement"]["id"]
    contract = _annual(flow)
    assert flow.request(contract, agreement=other_agreement)["decision"]["outcome"] == "APPROVED"
    assert flow.request(_annual(flow), agreement=other_agreement)["decision"]["outcome"] == "REFERRED"


def test_a_retried_request_does_not_count_its_file_twice(flow):
    first = _annual(flow, "25000.00")
    assert flow.request(first)["decision"]["outcome"] == "APPROVED"
    assert flow.request(first)["decision"]["outcome"] == "APPROVED"
    assert flow.request(_annual(flow, "24999.99"))["decision"]["outcome"] == "APPROVED"  # 49,999.99 in all


# ------------------------------------------------------------------ a publisher in default


def _trigger(flow, confirm=True):
    """Declare the publisher's default on its escrow agreement; a second admin confirms (or dismisses) it."""
    escrow = EscrowFlow(flow.world)
    escrow.setup()
    assert escrow.declare().data["declarePublisherDefault"]["userErrors"] == []
    flow.world.ports.escrow_workflows.issue("t-confirm")
    escrow_steps.await_confirmation(flow.world.ports, escrow.local, "t-confirm")
    assert escrow.confirm(confirm=confirm).data["confirmEscrowTrigger"]["userErrors"] == []
    return escrow


def test_after_an_escrow_trigger_a_new_request_of_the_publisher_is_referred(flow):
    before = flow.new_contract()
    assert flow.request(before)["decision"]["outcome"] == "APPROVED"
    _trigger(flow)

    later = flow.new_contract(customer={"name": "Garage Dupont", "registrationNumber": "552100554"})
    referred = flow.request(later)
    assert referred["decision"]["outcome"] == "REFERRED"
    assert referred["decision"]["reasons"] == [
        "the publisher is in default (publisher in receivership): no automatic approval"
    ]
    assert flow.read(later)["status"] == "UNDER_REVIEW"
    assert flow.world.ports.workflows.started[f"financing-{flow.local(later)}"]["decision"] == "REFERRED"


def test_a_dismissed_default_freezes_nothing(flow):
    _trigger(flow, confirm=False)
    assert flow.request(flow.new_contract())["decision"]["outcome"] == "APPROVED"


def test_the_triggered_workflow_step_freezes_the_publisher_too(flow):
    escrow = EscrowFlow(flow.world)
    escrow.setup()
    escrow.declare()
    # The confirmation's resume was lost (a confirmation racing the step): the step still freezes.
    agreement = flow.world.ports.escrows.get(escrow.local)
    confirmed = agreement.decided(confirm=True, by=SECOND_ADMIN.sub, at=flow.world.ports.clock())
    flow.world.ports.escrows.save(confirmed, expected_version=agreement.version)
    escrow_steps.mark_triggered(flow.world.ports, escrow.local)
    assert flow.request(flow.new_contract())["decision"]["outcome"] == "REFERRED"


def test_the_upfront_payout_of_a_file_in_flight_is_held_for_an_analyst_after_a_trigger(flow):
    contract = flow.transmitted()  # approved and signed before the default
    _trigger(flow)
    flow.hold(contract)
    engine = flow.world.ports.workflows
    assert [t for t, _ in engine.resumed if t == "t-hold"] == []
    held = flow.read(contract)
    assert held["status"] == "AWAITING_PAYMENT" and held["financing"]["waitingFor"] == "PAYOUT_RELEASE"
    assert (
        "upfront payout held: the publisher is in default (publisher in receivership)" in held["timeline"][-1]["note"]
    )
    [upfront] = flow.payouts(held, "SOFTWARE_UPFRONT")
    assert upfront["status"] == "SCHEDULED" and upfront["paidAt"] is None
    flow.hold(contract)  # a retried step notes nothing twice
    assert len(flow.read(contract)["timeline"]) == len(held["timeline"])

    assert flow.world.run(flow.owner, RELEASE, input={"contractId": contract}).codes == ["FORBIDDEN"]
    released = flow.world.run(ANALYST, RELEASE, input={"contractId": contract, "comment": "continuity provider paid"})
    assert released.data["releaseHeldPayout"]["userErrors"] == []
    assert ("t-hold", {"released": True}) in engine.resumed
    after = flow.read(contract)
    assert after["financing"]["waitingFor"] is None
    assert after["timeline"][-1]["note"] == "upfront payout released by a credit analyst: continuity provider paid"
    again = flow.world.run(ANALYST, RELEASE, input={"contractId": contract})
    assert again.data["releaseHeldPayout"]["userErrors"] == []  # released already: nothing changes
    assert engine.resumed.count(("t-hold", {"released": True})) == 1


def test_without_a_default_the_hold_step_goes_on_at_once_and_nothing_is_held(flow):
    contract = flow.transmitted()
    flow.hold(contract)
    assert ("t-hold", {"released": True}) in flow.world.ports.workflows.resumed
    assert flow.read(contract)["financing"]["waitingFor"] is None
    refused = flow.world.run(ANALYST, RELEASE, input={"contractId": contract}).data["releaseHeldPayout"]
    assert codes(refused) == ["PAYOUT_NOT_HELD"]


def test_a_release_comment_is_bounded(flow):
    contract = flow.transmitted()
    _trigger(flow)
    flow.hold(contract)
    payload = flow.world.run(ANALYST, RELEASE, input={"contractId": contract, "comment": "x" * 501}).data
    assert codes(payload["releaseHeldPayout"]) == ["TOO_LONG"]
    assert flow.read(contract)["financing"]["waitingFor"] == "PAYOUT_RELEASE"
