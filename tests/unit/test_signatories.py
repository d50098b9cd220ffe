"""The paid party no longer chooses who signs (issue 17).

The finding: a partner created a customer, had the documents signed at an e-mail address it typed
itself, and was paid with no human involved. Now leaser staff confirm who signs for an end client
(`confirmSignatory`, by SIREN); its signature requests go to that signatory whatever address the
owner typed. A file whose requests went to an address nobody confirmed keeps its upfront payout
held (PAYOUT_RELEASE) until a credit analyst releases it.

The workflow's steps run in-process (FakeEngine records callbacks) on the fakes and on DynamoDB
Local; tests/workflow runs the real definition.
"""

from __future__ import annotations

import json

import pytest

from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.financing_flow import ANALYST, TREASURY, FinancingFlow
from tests.world import MARIE

pytestmark = pytest.mark.ports("fake", "dynamodb")

UNKNOWN_CLIENT = {"name": "Client Inconnu", "registrationNumber": "552 100 554", "email": "signe@revendeur.example"}

SIGNATORY = """query($siren: String!) { signatory(registrationNumber: $siren) {
  registrationNumber name email confirmedBy confirmedAt } }"""

AUDIT = """query($day: Date!) { auditTrail(day: $day, first: 100) {
  edges { node { actor operation outcome arguments } } } }"""

UNCONFIRMED = """query($id: ID!) { contract(id: $id) { status
  financing { waitingFor unconfirmedSigner } timeline { note }
  payouts(first: 10) { edges { node { kind status paidAt } } } } }"""


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def _confirm(flow, who=ANALYST, **fields):
    fields = {"registrationNumber": "552 100 554", "name": "Jeanne Dubois", "email": "jeanne@client.example"} | fields
    return flow.world.run(who, ops.CONFIRM_SIGNATORY, input=fields)


def _read(flow, contract):
    result = flow.world.run(LEASER_ADMIN, UNCONFIRMED, id=contract)
    assert result.errors == [], result.errors
    return result.data["contract"]


def _upfront(contract_data):
    [upfront] = [e["node"] for e in contract_data["payouts"]["edges"] if e["node"]["kind"] == "SOFTWARE_UPFRONT"]
    return upfront


def test_documents_sent_to_an_address_the_owner_typed_hold_the_upfront_payout_for_an_analyst(flow):
    contract = flow.transmitted(customer=UNKNOWN_CLIENT)
    sent_to = {r["signer_email"] for r in flow.world.ports.signatures.requests}
    assert sent_to == {"signe@revendeur.example"}  # nobody confirmed a signatory: the typed address
    flow.hold(contract)
    held = _read(flow, contract)
    assert held["status"] == "AWAITING_PAYMENT"
    assert held["financing"] == {"waitingFor": "PAYOUT_RELEASE", "unconfirmedSigner": "signe@revendeur.example"}
    assert "sent for signature to signe@revendeur.example, not to a signatory" in held["timeline"][-1]["note"]
    assert _upfront(held)["status"] == "SCHEDULED" and _upfront(held)["paidAt"] is None
    assert ("t-hold", {"released": True}) not in flow.world.ports.workflows.resumed

    # Confirming a signatory afterwards does not vouch for signatures made at the other address.
    assert _confirm(flow).data["confirmSignatory"]["userErrors"] == []
    flow.hold(contract)  # a retried step
    assert _read(flow, contract)["financing"]["waitingFor"] == "PAYOUT_RELEASE"

    assert flow.world.run(flow.owner, ops.RELEASE_HELD_PAYOUT, input={"contractId": contract}).codes == ["FORBIDDEN"]
    released = flow.world.run(
        ANALYST, ops.RELEASE_HELD_PAYOUT, input={"contractId": contract, "comment": "called the client: it signed"}
    )
    assert released.data["releaseHeldPayout"]["userErrors"] == []
    assert ("t-hold", {"released": True}) in flow.world.ports.workflows.resumed
    assert _read(flow, contract)["financing"]["waitingFor"] is None


def test_a_contract_without_an_address_is_held_too(flow):
    client = {k: v for k, v in UNKNOWN_CLIENT.items() if k != "email"}
    contract = flow.transmitted(customer=client)
    flow.hold(contract)
    held = _read(flow, contract)["financing"]
    assert held == {"waitingFor": "PAYOUT_RELEASE", "unconfirmedSigner": "(no address)"}


def test_requests_go_to_the_confirmed_signatory_whatever_the_owner_typed(flow):
    confirmed = _confirm(flow).data["confirmSignatory"]
    assert confirmed["userErrors"] == []
    assert confirmed["signatory"]["registrationNumber"] == "552100554"
    assert confirmed["signatory"]["confirmedBy"] == "analyst-ana"

    contract = flow.transmitted(customer=UNKNOWN_CLIENT)  # the owner still types its own address
    requests = flow.world.ports.signatures.requests
    assert [r["kind"].value for r in requests] == ["SALE_CONTRACT", "LEASE_CONTRACT", "DELIVERY_REPORT"]
    assert {r["signer_email"] for r in requests} == {"jeanne@client.example"}
    assert [r["signer_name"] for r in requests[:2]] == ["Jeanne Dubois", "Jeanne Dubois"]

    flow.hold(contract)
    assert ("t-hold", {"released": True}) in flow.world.ports.workflows.resumed
    after = _read(flow, contract)
    assert after["financing"] == {"waitingFor": None, "unconfirmedSigner": None}


def test_a_new_confirmation_replaces_the_last_and_is_read_by_leaser_staff_only(flow):
    assert _confirm(flow).data["confirmSignatory"]["userErrors"] == []
    again = _confirm(flow, who=LEASER_ADMIN, name="Paul Dubois", email="PAUL@client.example")
    assert again.data["confirmSignatory"]["userErrors"] == []
    found = flow.world.run(TREASURY, SIGNATORY, siren="552100554").data["signatory"]
    assert (found["name"], found["email"]) == ("Paul Dubois", "PAUL@client.example")
    assert flow.world.run(flow.owner, SIGNATORY, siren="552100554").codes == ["FORBIDDEN"]
    assert flow.world.run(ANALYST, SIGNATORY, siren="404833048").data["signatory"] is None
    day = flow.world.ports.clock().date().isoformat()
    trail = flow.world.run(LEASER_ADMIN, AUDIT, day=day).data["auditTrail"]["edges"]
    confirmations = [
        (e["node"]["actor"], json.loads(e["node"]["arguments"])["input"]["email"])
        for e in trail
        if e["node"]["operation"] == "confirmSignatory" and e["node"]["outcome"] == "DONE"
    ]
    assert ("analyst-ana", "jeanne@client.example") in confirmations
    assert (LEASER_ADMIN.sub, "PAUL@client.example") in confirmations


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"registrationNumber": "552100555"}, "INVALID_SIREN", ["registrationNumber"]),
        ({"email": "not an address"}, "INVALID_EMAIL", ["email"]),
        ({"email": "a@" + "b" * 260 + ".fr"}, "INVALID_EMAIL", ["email"]),
        # reads as the client's address to an analyst, and Yousign would refuse them later
        ({"email": "moi@revendeur.example@client.example"}, "INVALID_EMAIL", ["email"]),
        ({"email": "jeanne@client.example\u202e"}, "INVALID_EMAIL", ["email"]),
        ({"email": "jeanne\t@client.example"}, "INVALID_EMAIL", ["email"]),
        ({"email": "jeanne@client..example"}, "INVALID_EMAIL", ["email"]),
        ({"name": "Jeanne\x00"}, "INVALID_INPUT", ["name"]),
        ({"name": "\u200b"}, "INVALID_INPUT", ["name"]),
        ({"name": "  "}, "REQUIRED", ["name"]),
        ({"name": "x" * 201}, "TOO_LONG", ["name"]),
    ],
)
def test_bad_input_is_a_user_error_and_records_nothing(flow, fields, code, field):
    payload = _confirm(flow, **fields).data["confirmSignatory"]
    assert payload["signatory"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, ["input", *field])]
    assert flow.world.run(ANALYST, SIGNATORY, siren="552100554").data["signatory"] is None


def test_the_paid_party_cannot_confirm_its_own_signatory(flow):
    assert _confirm(flow, who=flow.owner).codes == ["FORBIDDEN"]
    assert flow.world.run(ANALYST, SIGNATORY, siren="552100554").data["signatory"] is None


def test_the_world_s_end_client_is_known(flow):
    """tests/world.py confirms Boulangerie Martin's signatory, so the other tests' files are not held."""
    found = flow.world.run(ANALYST, SIGNATORY, siren="732 829 320").data["signatory"]
    assert (found["name"], found["email"]) == (MARIE["name"], MARIE["email"])
