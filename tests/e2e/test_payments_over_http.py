"""Issue 16's first acceptance over HTTP on `channelfin dev`: money reaches the party that gives support.

A reseller holds a contract in buy-resell; financed and active, its first installment is
collected, so the leaser owes the reseller the support share. Treasury's `runPayments` starts
the payments state machine (the real definition, on the local engine); the run pays the share,
on time, and the books balance before and after.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests import operations as ops
from tests.e2e.test_financing_over_http import _mutate, _to_active, _wait
from tests.wait import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only

RUN_STATUS = """query($id: ID!) { node(id: $id) { ... on PaymentRun { id status paidCount paid { amount }
  transfers { edges { node { status amount { amount } counterparty { id } payouts { id status } } } } } } }"""
SHARES = """query($id: ID!) { contract(id: $id) { supportProvider { id } payouts { edges { node {
  id kind status installment amount { amount } slaMet payer { id } beneficiary { id } } } } } }"""


def _balanced(server, admin) -> bool:
    return server.gql(admin, ops.TRIAL_BALANCE)["ledgerTrialBalance"]["balanced"]


def test_a_resellers_support_share_is_paid_by_treasurys_run(dev_server):
    s = dev_server
    admin = s.token("leaser-admin", sub="alice")

    def register(name, *roles):
        data = s.gql(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})
        return data["registerPartner"]["partner"]["id"]

    leaser, publisher = register("Bailleur Paiements", "LEASER"), register("Éditeur Paiements", "PUBLISHER")
    reseller = register("Revendeur Paiements", "RESELLER")
    s.link(publisher, reseller)  # so the reseller may name itself on that publisher's contract
    s.know_end_clients("552100554")
    agreement = s.gql(
        admin,
        ops.SIGN_AGREEMENT,
        input={"partnerId": reseller, "leaserId": leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )["signFinancingAgreement"]["agreement"]["id"]
    owner = s.token("partner-admin", partner=reseller, sub="rita")
    contract = _mutate(
        s,
        owner,
        ops.CREATE_CONTRACT,
        "createContract",
        ownerId=reseller,
        publisherId=publisher,
        resellerId=reseller,
        customer={"name": "Boulangerie Martin", "registrationNumber": "552 100 554"},
        periodicity="MONTHLY",
        termMonths=36,
        startDate="2027-01-01",
        softwareFee="1000.00",
        supportFee="200.00",
    )["contract"]["id"]
    parties = {
        "owner": owner,
        "agreement": agreement,
        "connector": s.token("integration", sub="esign"),
    }
    _to_active(s, parties, contract)
    _wait(s, owner, contract, "ACTIVE")
    treasury = s.token("treasury", sub="tom")
    _mutate(s, treasury, ops.RECORD_INSTALLMENT, "recordInstallmentCollected", contractId=contract, installment=1)

    found = s.gql(admin, SHARES, id=contract)["contract"]
    assert found["supportProvider"]["id"] == reseller  # the owner in buy-resell gives the support
    (share,) = [e["node"] for e in found["payouts"]["edges"] if e["node"]["kind"] == "SUPPORT_SHARE"]
    assert (share["amount"]["amount"], share["status"]) == ("200.00", "SCHEDULED")
    assert (share["payer"]["id"], share["beneficiary"]["id"]) == (leaser, reseller)
    assert _balanced(s, admin)

    up_to = (datetime.now(UTC) + timedelta(days=7)).isoformat()  # the share falls due within 72 hours
    started = _mutate(s, treasury, ops.RUN_PAYMENTS, "runPayments", payerId=leaser, upTo=up_to)["run"]

    def finished() -> dict | None:
        found = s.gql(treasury, RUN_STATUS, id=started["id"])["node"]
        return found if found["status"] != "RUNNING" else None

    run = wait_until(finished, timeout=30, interval=0.1, what=f"payment run {started['id']} still RUNNING")

    assert run["status"] == "DONE" and run["paidCount"] == 1 and run["paid"] == {"amount": "200.00"}
    (transfer,) = [e["node"] for e in run["transfers"]["edges"]]
    assert (transfer["status"], transfer["counterparty"]["id"]) == ("PAID", reseller)
    paid = s.gql(admin, SHARES, id=contract)["contract"]["payouts"]["edges"]
    (share,) = [e["node"] for e in paid if e["node"]["kind"] == "SUPPORT_SHARE"]
    assert (share["status"], share["slaMet"]) == ("PAID", True)
    assert _balanced(s, admin)
    again = _mutate(s, treasury, ops.RUN_PAYMENTS, "runPayments", payerId=leaser, upTo=up_to)["run"]
    assert again["id"] == started["id"]  # the same payer and upTo: the same run, nothing paid twice
