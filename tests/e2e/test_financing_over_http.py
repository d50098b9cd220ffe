"""The financing workflow's acceptance, over HTTP against `channelfin dev` (real definition, DynamoDB Local)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from tests import operations as ops
from tests.wait import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only


@pytest.fixture(scope="module")
def parties(dev_server):
    return _parties(dev_server)


def _parties(dev_server):
    admin = dev_server.token("leaser-admin", sub="alice")

    def register(name, *roles):
        data = dev_server.gql(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})
        return data["registerPartner"]["partner"]["id"]

    leaser, publisher = register("Crédit Bail SaaS", "LEASER"), register("Éditeur Flux", "PUBLISHER")
    reseller = register("Revendeur Flux", "RESELLER")
    dev_server.link(publisher, reseller)  # so the publisher may name it on its contracts
    dev_server.know_end_clients("552100554", "732829320")  # the contracts' end clients
    agreement = dev_server.gql(
        admin,
        ops.SIGN_AGREEMENT,
        input={"partnerId": publisher, "leaserId": leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )
    return {
        "publisher": publisher,
        "reseller": reseller,
        "agreement": agreement["signFinancingAgreement"]["agreement"]["id"],
        "owner": dev_server.token("partner-admin", partner=publisher, sub="pat"),
        "connector": dev_server.token("integration", sub="esign"),
        "analyst": dev_server.token("credit-analyst", sub="ana"),
        "treasury": dev_server.token("treasury", sub="tom"),
        "admin": admin,
    }


def _contract(server, p, software_fee, siren="552 100 554", email=None):
    data = server.gql(
        p["owner"],
        ops.CREATE_CONTRACT,
        input={
            "ownerId": p["publisher"],
            "publisherId": p["publisher"],
            "resellerId": p["reseller"],
            "customer": {"name": "Boulangerie Martin", "registrationNumber": siren, "email": email},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": software_fee,
            "supportFee": "150.00",
        },
    )
    return data["createContract"]["contract"]["id"]


def _mutate(server, token, operation, name, **fields):
    payload = server.gql(token, operation, input=fields)[name]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def _to_active(s, p, contract):
    """Request financing, sign both documents, submit the delivery report and have the end client sign it:
    the workflow pays and activates."""
    requested = _to_delivery(s, p, contract)
    _deliver(s, p, contract)
    return requested


def _to_delivery(s, p, contract):
    """Request financing (approved at once) and have both documents signed: the file awaits its delivery."""
    requested = _mutate(
        s, p["owner"], ops.REQUEST_FINANCING, "requestFinancing", contractId=contract, agreementId=p["agreement"]
    )
    _wait(s, p["owner"], contract, "AWAITING_SIGNATURES", "SIGNATURES")
    for document in ("SALE_CONTRACT", "LEASE_CONTRACT"):
        _mutate(
            s,
            p["connector"],
            ops.RECORD_SIGNATURE,
            "recordSignature",
            contractId=contract,
            document=document,
            signedBy="Marie Martin",
        )
    _wait(s, p["owner"], contract, "AWAITING_DELIVERY", "DELIVERY_REPORT")
    return requested


def _deliver(s, p, contract):
    """The owner submits the delivery report; the end client's signature, reported by the provider, counts."""
    _mutate(
        s,
        p["owner"],
        ops.SUBMIT_DELIVERY_REPORT,
        "submitDeliveryReport",
        contractId=contract,
        installedAt="2026-11-20",
        signedBy="Marie Martin",
    )
    # The owner's report alone pays nothing: it goes to the end client, whose signature the provider reports.
    sent = _wait(s, p["owner"], contract, "AWAITING_DELIVERY", "DELIVERY_SIGNATURE")
    assert sent["payouts"]["edges"] == [] and sent["financing"]["transmittedAt"] is None
    _mutate(
        s,
        p["connector"],
        ops.RECORD_SIGNATURE,
        "recordSignature",
        contractId=contract,
        document="DELIVERY_REPORT",
        signedBy="Marie Martin",
    )


def _wait(server, token, contract, status, waiting_for=None, timeout=30):
    last = {}

    def arrived():
        data = last["contract"] = server.gql(token, ops.FINANCED_CONTRACT, id=contract)["contract"]
        if data["status"] == status and (waiting_for is None or data["financing"]["waitingFor"] == waiting_for):
            return data
        return None

    return wait_until(
        arrived,
        timeout=timeout,
        interval=0.1,
        what=lambda: f"still {last['contract']['status']}: {last['contract']['timeline']}",
    )


def test_worked_example_from_request_to_active_and_support_shares(dev_server, parties):
    p, s = parties, dev_server
    contract = _contract(s, p, "1000.00")
    assert _to_active(s, p, contract)["decision"]["outcome"] == "APPROVED"

    active = _wait(s, p["owner"], contract, "ACTIVE")
    [upfront] = [e["node"] for e in active["payouts"]["edges"] if e["node"]["kind"] == "SOFTWARE_UPFRONT"]
    assert upfront["amount"]["amount"] == "32885.37"
    assert upfront["status"] == "PAID" and upfront["slaMet"] is True
    transmitted = datetime.fromisoformat(active["financing"]["transmittedAt"])
    assert datetime.fromisoformat(upfront["dueBy"]) == transmitted + timedelta(hours=72)

    for installment in (1, 1, 2, 2):
        _mutate(
            s,
            p["treasury"],
            ops.RECORD_INSTALLMENT,
            "recordInstallmentCollected",
            contractId=contract,
            installment=installment,
        )
    after = s.gql(p["admin"], ops.FINANCED_CONTRACT, id=contract)["contract"]
    shares = [e["node"] for e in after["payouts"]["edges"] if e["node"]["kind"] == "SUPPORT_SHARE"]
    assert sorted(sh["installment"] for sh in shares) == [1, 2]


def test_a_file_signed_at_an_address_the_owner_typed_is_paid_only_after_an_analyst_released_it(dev_server, parties):
    """Issue 17's finding, on the real definition: nobody confirmed who signs for this end client, and the
    owner typed the address the signature requests went to. The upfront payout waits for an analyst."""
    s, p = dev_server, parties
    contract = _contract(s, p, "1000.00", siren="130 005 481", email="signe@revendeur.example")
    _to_active(s, p, contract)
    held = _wait(s, p["owner"], contract, "AWAITING_PAYMENT", "PAYOUT_RELEASE")
    assert held["financing"]["unconfirmedSigner"] == "signe@revendeur.example"
    [upfront] = [e["node"] for e in held["payouts"]["edges"] if e["node"]["kind"] == "SOFTWARE_UPFRONT"]
    assert upfront["status"] == "SCHEDULED" and upfront["paidAt"] is None
    time.sleep(1)  # the workflow stays where it is
    assert _wait(s, p["owner"], contract, "AWAITING_PAYMENT", "PAYOUT_RELEASE")["payouts"] == held["payouts"]

    refused = s.post(p["owner"], ops.RELEASE_HELD_PAYOUT, input={"contractId": contract}).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _mutate(s, p["analyst"], ops.RELEASE_HELD_PAYOUT, "releaseHeldPayout", contractId=contract, comment="client called")
    active = _wait(s, p["owner"], contract, "ACTIVE")
    [paid] = [e["node"] for e in active["payouts"]["edges"] if e["node"]["kind"] == "SOFTWARE_UPFRONT"]
    assert paid["status"] == "PAID" and paid["amount"] == upfront["amount"]


def test_a_52000_request_waits_for_an_analyst(dev_server, parties):
    p, s = parties, dev_server
    contract = _contract(s, p, "1574.00")  # PV about 52,000
    requested = _mutate(
        s, p["owner"], ops.REQUEST_FINANCING, "requestFinancing", contractId=contract, agreementId=p["agreement"]
    )
    assert requested["decision"]["outcome"] == "REFERRED"
    waiting = _wait(s, p["owner"], contract, "UNDER_REVIEW", "CREDIT_REVIEW")
    assert Decimal("51900") < Decimal(waiting["financing"]["financedAmount"]["amount"]) < Decimal("52100")

    refused = s.post(p["owner"], ops.REVIEW_FINANCING, input={"contractId": contract, "approve": True}).json()
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    assert s.gql(p["owner"], ops.FINANCED_CONTRACT, id=contract)["contract"]["status"] == "UNDER_REVIEW"

    _mutate(s, p["analyst"], ops.REVIEW_FINANCING, "reviewFinancing", contractId=contract, approve=True)
    _wait(s, p["owner"], contract, "AWAITING_SIGNATURES", "SIGNATURES")


def test_two_contracts_of_one_siren_reaching_the_limit_refer_the_second(dev_server):
    s = dev_server
    p = _parties(s)  # its own publisher and leaser: no other file of this module counts
    first, second = _contract(s, p, "1000.00", siren="732829320"), _contract(s, p, "1000.00", siren="732829320")
    request = {"agreementId": p["agreement"]}
    approved = _mutate(s, p["owner"], ops.REQUEST_FINANCING, "requestFinancing", contractId=first, **request)
    assert approved["decision"]["outcome"] == "APPROVED"  # about 33,000: below the limit alone
    referred = _mutate(s, p["owner"], ops.REQUEST_FINANCING, "requestFinancing", contractId=second, **request)
    assert referred["decision"]["outcome"] == "REFERRED"
    assert "the end client's outstanding financed amount" in referred["decision"]["reasons"][0]
    _wait(s, p["owner"], second, "UNDER_REVIEW", "CREDIT_REVIEW")


def test_a_file_in_flight_moves_on_after_a_restart(tmp_path):
    from channelfin.local.dynamodb_local import free_port
    from tests.e2e.conftest import DevServer

    server = DevServer(data_dir=tmp_path / "data", port=free_port())
    server.start()
    try:
        p = _parties(server)
        contract = _contract(server, p, "1000.00")
        _mutate(
            server,
            p["owner"],
            ops.REQUEST_FINANCING,
            "requestFinancing",
            contractId=contract,
            agreementId=p["agreement"],
        )
        _wait(server, p["owner"], contract, "AWAITING_SIGNATURES", "SIGNATURES")
    finally:
        server.stop()
    server.start()
    try:
        assert "restarted the financing workflow of 1 contract(s)" in "".join(server.output)
        _wait(server, p["owner"], contract, "AWAITING_SIGNATURES", "SIGNATURES")
        for document in ("SALE_CONTRACT", "LEASE_CONTRACT"):
            _mutate(
                server,
                p["connector"],
                ops.RECORD_SIGNATURE,
                "recordSignature",
                contractId=contract,
                document=document,
                signedBy="Marie Martin",
            )
        _wait(server, p["owner"], contract, "AWAITING_DELIVERY", "DELIVERY_REPORT")
    finally:
        server.stop()
