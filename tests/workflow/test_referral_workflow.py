"""Fast payment of seed 002: the reseller that brought a financed contract is paid within 48 h of ACTIVE.

Runs infra/financing.asl.json for real: CreateReferralPayout → DisburseReferral after Activate.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from channelfin.domain.payouts import PayoutKind
from tests import operations as ops

pytestmark = pytest.mark.workflow

TIMELINE = "query($id: ID!) { contract(id: $id) { timeline { status at } } }"


def referral_campaign(flow, **fields):
    values = {
        "vendorId": flow.world.publisher,
        "name": "Paiement sous 48 heures",
        "kind": "FINANCING_REFERRAL",
        "startsAt": "2020-01-01T00:00:00Z",
        "endsAt": "2100-01-01T00:00:00Z",
        "partnerRoles": ["RESELLER"],
        "rate": "0.01",
        **fields,
    }
    result = flow.world.run(
        flow.world.user_of(flow.world.publisher, "partner-admin"), ops.CREATE_CAMPAIGN, input=values
    )
    assert result.errors == [] and result.data["createIncentiveCampaign"]["userErrors"] == [], result
    return result.data["createIncentiveCampaign"]["campaign"]


def to_active(flow) -> str:
    contract = flow.new_contract()
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    flow.deliver_and_sign(contract)
    flow.wait_for(contract, "ACTIVE")
    return contract


def test_the_introducing_reseller_is_paid_its_referral_within_48_hours_of_active(flow):
    referral_campaign(flow)
    contract = to_active(flow)
    assert flow.execution(contract)["status"] == "SUCCEEDED"

    active = flow.read(contract)
    [referral] = flow.payouts(active, "REFERRAL")
    assert referral["amount"]["amount"] == str((Decimal("33035.37") * Decimal("0.01")).quantize(Decimal("0.01")))
    assert referral["beneficiary"]["id"] == flow.world.reseller
    assert referral["status"] == "PAID" and referral["slaMet"] is True
    timeline = flow.world.run(flow.world.user_of(flow.world.publisher), TIMELINE, id=contract).data["contract"][
        "timeline"
    ]
    activated = datetime.fromisoformat(next(e["at"] for e in timeline if e["status"] == "ACTIVE"))
    assert datetime.fromisoformat(referral["dueBy"]) == activated + timedelta(hours=48)
    local = flow.local(contract)
    assert flow.payments.attempts == [f"upfront-{local}", f"referral-{local}"]


def test_without_a_referral_campaign_nothing_more_is_paid(flow):
    referral_campaign(flow, partnerRoles=["SERVICES_FIRM"])  # does not cover a reseller
    contract = to_active(flow)
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    assert flow.payouts(flow.read(contract), "REFERRAL") == []
    assert flow.payments.attempts == [f"upfront-{flow.local(contract)}"]


def test_a_referral_transfer_failing_for_good_is_visible_and_the_contract_stays_active(flow):
    referral_campaign(flow)
    flow.payments.refused_kinds = {PayoutKind.REFERRAL}
    contract = to_active(flow)
    execution = flow.execution(contract)
    assert execution["status"] == "FAILED"
    assert flow.read(contract)["status"] == "ACTIVE"
    [referral] = flow.payouts(flow.read(contract), "REFERRAL")
    assert referral["status"] == "FAILED" and "bank refused" in referral["failureReason"]
    assert ("PayoutFailed", {"kind": "REFERRAL"}) in flow.metrics.counts
    assert flow.payments.attempts.count(f"referral-{flow.local(contract)}") == 4  # first try and three retries
