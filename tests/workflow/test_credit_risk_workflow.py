"""HoldUpfrontPayout on the real definition stops before the transfer (issue 17): a publisher in default,
or documents signed at an address nobody confirmed as the end client's signatory."""

from __future__ import annotations

import time

import pytest

from channelfin.domain.partners import PublisherDefault
from tests.financing_flow import ANALYST
from tests.operations import RELEASE_HELD_PAYOUT as RELEASE

pytestmark = pytest.mark.workflow


def test_a_file_in_flight_of_a_publisher_in_default_is_paid_only_once_an_analyst_releases_it(flow):
    contract = flow.new_contract()
    assert flow.request(contract)["decision"]["outcome"] == "APPROVED"  # before the default
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    ports = flow.world.ports
    ports.partners.record_default(  # what a confirmed escrow trigger records (tests/unit: through the API)
        PublisherDefault(
            flow.local(flow.world.publisher), flow.local(flow.world.leaser), "escrow-1", "receivership", ports.clock()
        )
    )
    flow.deliver_and_sign(contract)

    held = flow.wait_for(contract, "AWAITING_PAYMENT", waiting_for="PAYOUT_RELEASE")
    time.sleep(1)  # give a wrongly wired definition time to pay
    [upfront] = flow.payouts(flow.read(contract), "SOFTWARE_UPFRONT")
    assert upfront["status"] == "SCHEDULED" and flow.payments.attempts == []
    assert "the publisher is in default (receivership)" in held["timeline"][-1]["note"]
    assert flow.execution(contract, until_done=False)["status"] == "RUNNING"

    released = flow.world.run(ANALYST, RELEASE, input={"contractId": contract, "comment": "checked"})
    assert released.data["releaseHeldPayout"]["userErrors"] == []
    active = flow.wait_for(contract, "ACTIVE")
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    [upfront] = flow.payouts(active, "SOFTWARE_UPFRONT")
    assert upfront["status"] == "PAID" and flow.payments.attempts == [f"upfront-{flow.local(contract)}"]


def test_a_file_signed_at_the_address_the_owner_typed_is_paid_only_once_an_analyst_releases_it(flow):
    customer = {"name": "Client Inconnu", "registrationNumber": "130 005 481", "email": "moi@revendeur.example"}
    contract = flow.new_contract(customer=customer)
    assert flow.request(contract)["decision"]["outcome"] == "APPROVED"
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    flow.sign_both(contract)
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")
    flow.deliver_and_sign(contract)

    held = flow.wait_for(contract, "AWAITING_PAYMENT", waiting_for="PAYOUT_RELEASE")
    time.sleep(1)  # give a wrongly wired definition time to pay
    assert flow.payments.attempts == []
    assert "sent for signature to moi@revendeur.example" in held["timeline"][-1]["note"]
    assert flow.execution(contract, until_done=False)["status"] == "RUNNING"

    released = flow.world.run(ANALYST, RELEASE, input={"contractId": contract, "comment": "client called back"})
    assert released.data["releaseHeldPayout"]["userErrors"] == []
    active = flow.wait_for(contract, "ACTIVE")
    [upfront] = flow.payouts(active, "SOFTWARE_UPFRONT")
    assert upfront["status"] == "PAID" and flow.payments.attempts == [f"upfront-{flow.local(contract)}"]
