"""The continuity acceptance, over HTTP against `channelfin dev` (both real state machines)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests import operations as ops
from tests.e2e.test_financing_over_http import _contract, _deliver, _mutate, _parties, _to_active, _to_delivery, _wait
from tests.operations import RELEASE_HELD_PAYOUT as RELEASE
from tests.wait import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only


def test_a_confirmed_default_moves_support_shares_and_holds_files_in_flight_for_an_analyst(dev_server):
    s = dev_server
    p = _parties(s)
    contract = _contract(s, p, "1000.00")
    _to_active(s, p, contract)
    in_flight = _contract(s, p, "500.00", siren="732829320")  # approved and signed before the default
    _to_delivery(s, p, in_flight)
    _wait(s, p["owner"], contract, "ACTIVE")
    _mutate(s, p["treasury"], ops.RECORD_INSTALLMENT, "recordInstallmentCollected", contractId=contract, installment=1)

    admin = p["admin"]
    register = "mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { partner { id } } }"
    host = s.gql(admin, register, i={"name": "Hébergeur", "roles": ["HOST"]})["registerPartner"]["partner"]["id"]
    provider = s.gql(admin, register, i={"name": "Repreneur", "roles": ["SERVICES_FIRM"]})["registerPartner"][
        "partner"
    ]["id"]
    leaser = s.gql(
        admin, "query($id: ID!) { contract(id: $id) { financing { agreement { leaser { id } } } } }", id=contract
    )["contract"]["financing"]["agreement"]["leaser"]["id"]
    escrow = _mutate(
        s,
        admin,
        ops.SIGN_ESCROW,
        "signEscrowAgreement",
        leaserId=leaser,
        publisherId=p["publisher"],
        hostId=host,
        continuityProviderId=provider,
        products=["Flux"],
        depositReference="APP-1",
        lastDepositAt=(datetime.now(UTC) - timedelta(days=20)).isoformat(),
    )["escrowAgreement"]["id"]

    _mutate(s, admin, ops.DECLARE_DEFAULT, "declarePublisherDefault", escrowAgreementId=escrow, reason="receivership")
    time.sleep(1)  # the workflow now waits; nothing may happen without a second admin
    assert s.gql(admin, ops.ESCROW, id=escrow)["escrowAgreement"]["status"] == "DEFAULT_DECLARED"
    same_admin = s.post(admin, ops.CONFIRM_TRIGGER, input={"escrowAgreementId": escrow, "confirm": True}).json()
    assert [e["extensions"]["code"] for e in same_admin["errors"]] == ["FORBIDDEN"]

    second = s.token("leaser-admin", sub="bob")
    _mutate(s, second, ops.CONFIRM_TRIGGER, "confirmEscrowTrigger", escrowAgreementId=escrow, confirm=True)
    last = {}

    def triggered():
        agreement = last["agreement"] = s.gql(admin, ops.ESCROW, id=escrow)["escrowAgreement"]
        return agreement if agreement["status"] == "TRIGGERED" else None

    agreement = wait_until(triggered, timeout=30, interval=0.1, what=lambda: str(last["agreement"]["history"]))
    under = {c["id"] for c in agreement["contractsUnderContinuity"] if c["underContinuity"]}
    assert under == {contract, in_flight}  # the file in flight is the publisher's too

    # The publisher is frozen with that leaser: a new request (another end client) is not approved automatically.
    later = _contract(s, p, "100.00", siren="732829320")
    requested = _mutate(
        s, p["owner"], ops.REQUEST_FINANCING, "requestFinancing", contractId=later, agreementId=p["agreement"]
    )
    assert requested["decision"] == {
        "outcome": "REFERRED",
        "reasons": ["the publisher is in default (receivership): no automatic approval"],
    }

    _mutate(s, p["treasury"], ops.RECORD_INSTALLMENT, "recordInstallmentCollected", contractId=contract, installment=2)
    data = s.gql(admin, ops.FINANCED_CONTRACT, id=contract)["contract"]
    shares = {
        e["node"]["installment"]: e["node"]["beneficiary"]["id"]
        for e in data["payouts"]["edges"]
        if e["node"]["kind"] == "SUPPORT_SHARE"
    }
    assert shares == {1: p["publisher"], 2: provider}

    # The file in flight is delivered after the trigger: its upfront payout waits for an analyst.
    _deliver(s, p, in_flight)
    held = _wait(s, p["owner"], in_flight, "AWAITING_PAYMENT", "PAYOUT_RELEASE")
    [upfront] = [e["node"] for e in held["payouts"]["edges"] if e["node"]["kind"] == "SOFTWARE_UPFRONT"]
    assert upfront["status"] == "SCHEDULED" and upfront["paidAt"] is None
    assert "the publisher is in default (receivership)" in held["timeline"][-1]["note"]
    refused = s.post(p["owner"], RELEASE, input={"contractId": in_flight, "comment": "pay me"}).json()
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]  # not the paid party's call
    released = _mutate(s, p["analyst"], RELEASE, "releaseHeldPayout", contractId=in_flight, comment="KBIS checked")
    assert released["contract"]["id"] == in_flight
    active = _wait(s, p["owner"], in_flight, "ACTIVE")
    [upfront] = [e["node"] for e in active["payouts"]["edges"] if e["node"]["kind"] == "SOFTWARE_UPFRONT"]
    assert upfront["status"] == "PAID" and upfront["amount"] == active["financing"]["upfrontPayout"]
