"""Documents produced on approval, sent for signature, and the provider's webhook (issue 10).

The workflow's steps are called directly (FakeEngine records callbacks); the integration
layer re-runs this module on DynamoDB Local, tests/e2e drives the local signer in Chromium.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from channelfin.adapters.esign.signing import SIGNATURE_HEADER, EsignEvent, sign
from channelfin.api.http import esign_webhook
from channelfin.domain.documents import sha256_of
from channelfin.domain.financing_file import DocumentKind
from channelfin.services import financing_workflow as steps
from tests.financing_flow import FinancingFlow

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local

SECRET = "whsec-test"
DOCUMENTS = """query($id: ID!) { contract(id: $id) { status
  documents { kind status sha256 signingUrl downloadUrl signedBy signedAt declineReason } } }"""


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def sent_contract(flow) -> str:
    contract = flow.new_contract()
    flow.request(contract)
    flow.world.ports.workflows.issue("t-sign")
    steps.send_for_signature(flow.world.ports, flow.local(contract), "t-sign")
    return contract


def documents(flow, contract, who=None):
    result = flow.world.run(who or flow.owner, DOCUMENTS, id=contract)
    assert result.errors == [], result.errors
    return {d["kind"]: d for d in result.data["contract"]["documents"]}


def deliver(flow, event: EsignEvent, secret: str = SECRET, *, at=None, body: bytes | None = None):
    ports = flow.world.ports
    raw = body if body is not None else event.to_json()
    now = ports.clock()
    header = sign(secret, raw, at or now)
    return esign_webhook.receive(ports, secret=SECRET, headers={SIGNATURE_HEADER: header}, body=raw, now=now)


def event(flow, contract, kind, *, type="signed", sha256=None, event_id="evt-1", reason=None):
    document = flow.world.ports.contracts.get(flow.local(contract)).document(kind)
    return EsignEvent(
        event_id=event_id,
        type=type,
        request_id=document.signing_request_id,
        contract_id=flow.local(contract),
        document=kind,
        signer="Marie Martin",
        at=flow.world.ports.clock() - timedelta(seconds=30),
        sha256=(sha256 or document.sha256) if type == "signed" else None,
        reason=reason,
    )


def test_an_approved_contract_has_its_two_documents_sent_with_a_signing_url(flow):
    contract = sent_contract(flow)
    docs = documents(flow, contract)
    for kind in ("SALE_CONTRACT", "LEASE_CONTRACT"):
        assert docs[kind]["status"] == "SENT" and docs[kind]["signingUrl"].startswith("https://sign.example/")
        stored = flow.world.ports.contracts.get(flow.local(contract)).document(
            __import__("channelfin").domain.financing_file.DocumentKind(kind)
        )
        assert sha256_of(flow.world.ports.document_store.get(stored.storage_key)) == docs[kind]["sha256"]
        assert stored.storage_key in docs[kind]["downloadUrl"]
    assert docs["DELIVERY_REPORT"]["status"] is None
    requests = flow.world.ports.signatures.requests
    assert [r["kind"].value for r in requests] == ["SALE_CONTRACT", "LEASE_CONTRACT"]
    # To the signatory the leaser confirmed for the end client (tests/world.py), not to the company's name.
    assert {(r["signer_name"], r["signer_email"]) for r in requests} == {
        ("Marie Martin", "marie.martin@boulangerie-martin.fr")
    }


def test_a_retried_signature_step_sends_nothing_twice(flow):
    contract = sent_contract(flow)
    flow.world.ports.workflows.issue("t-sign-2")
    steps.send_for_signature(flow.world.ports, flow.local(contract), "t-sign-2")
    assert len(flow.world.ports.signatures.requests) == 2


def test_signing_both_through_the_webhook_records_the_signatures_and_completes_the_step(flow):
    contract = sent_contract(flow)
    for k, kind in enumerate((DocumentKind.SALE_CONTRACT, DocumentKind.LEASE_CONTRACT)):
        status, answer = deliver(flow, event(flow, contract, kind, event_id=f"evt-{k}"))
        assert status == 200 and answer["status"] == "processed", answer
    docs = documents(flow, contract)
    assert {docs[k]["status"] for k in ("SALE_CONTRACT", "LEASE_CONTRACT")} == {"SIGNED"}
    assert docs["SALE_CONTRACT"]["signedBy"] == "Marie Martin" and docs["SALE_CONTRACT"]["signingUrl"] is None
    assert [token for token, _ in flow.world.ports.workflows.resumed] == ["t-sign"]


def test_a_wrong_signature_gets_401_and_changes_nothing(flow):
    contract = sent_contract(flow)
    signed = event(flow, contract, DocumentKind.SALE_CONTRACT)
    assert deliver(flow, signed, secret="not-the-secret")[0] == 401
    stale = flow.world.ports.clock() - timedelta(minutes=10)
    assert deliver(flow, signed, at=stale)[0] == 401  # an old capture replayed
    raw = signed.to_json()
    ports = flow.world.ports
    status, _ = esign_webhook.receive(ports, secret=SECRET, headers={}, body=raw, now=ports.clock())
    assert status == 401
    assert documents(flow, contract)["SALE_CONTRACT"]["status"] == "SENT"


def test_a_replayed_event_is_dropped(flow):
    contract = sent_contract(flow)
    signed = event(flow, contract, DocumentKind.SALE_CONTRACT)
    assert deliver(flow, signed)[1]["status"] == "processed"
    assert deliver(flow, signed)[1]["status"] == "duplicate"


def test_a_signature_of_other_bytes_is_refused_and_nothing_is_recorded(flow):
    contract = sent_contract(flow)
    forged = event(flow, contract, DocumentKind.SALE_CONTRACT, sha256="0" * 64)
    status, answer = deliver(flow, forged)
    assert (status, answer["code"]) == (409, "DOCUMENT_HASH_MISMATCH")
    assert documents(flow, contract)["SALE_CONTRACT"]["status"] == "SENT"
    assert flow.world.ports.contracts.get(flow.local(contract)).signatures == ()


def test_a_signature_the_contract_refuses_leaves_the_document_as_it_was(flow):
    # The document used to be written SIGNED before the contract refused the signature: a signed
    # document without its signature (the third review).
    contract = sent_contract(flow)
    ahead = event(flow, contract, DocumentKind.SALE_CONTRACT)
    ahead = dataclasses.replace(ahead, at=flow.world.ports.clock() + timedelta(minutes=5))
    status, answer = deliver(flow, ahead)
    assert status >= 400, answer
    assert documents(flow, contract)["SALE_CONTRACT"]["status"] == "SENT"
    assert flow.world.ports.contracts.get(flow.local(contract)).signatures == ()


def test_after_a_declined_lease_the_sale_contracts_request_lapses_and_a_late_signature_is_refused(flow):
    contract = sent_contract(flow)
    assert deliver(flow, event(flow, contract, DocumentKind.LEASE_CONTRACT, type="declined", reason="non"))[0] == 200
    steps.cancel(flow.world.ports, flow.local(contract), "declined")
    assert documents(flow, contract)["SALE_CONTRACT"]["status"] == "EXPIRED"
    status, _ = deliver(flow, event(flow, contract, DocumentKind.SALE_CONTRACT, event_id="evt-2"))
    assert status == 409
    stored = flow.world.ports.contracts.get(flow.local(contract))
    assert stored.status.value == "CANCELLED" and stored.signatures == ()
    assert documents(flow, contract)["SALE_CONTRACT"]["status"] == "EXPIRED"


def test_a_declined_document_ends_the_file_with_the_reason(flow):
    contract = sent_contract(flow)
    refusal = event(flow, contract, DocumentKind.LEASE_CONTRACT, type="declined", reason="montant erroné")
    status, _ = deliver(flow, refusal)
    assert status == 200
    docs = documents(flow, contract)
    assert (
        docs["LEASE_CONTRACT"]["status"] == "DECLINED" and docs["LEASE_CONTRACT"]["declineReason"] == "montant erroné"
    )
    [(_, error, cause)] = flow.world.ports.workflows.failed
    assert error == "SignatureDeclined" and "montant erroné" in cause


def test_a_malformed_event_is_a_400(flow):
    ports = flow.world.ports
    raw = json.dumps({"eventId": "x", "type": "stamped"}).encode()
    header = sign(SECRET, raw, ports.clock())
    status, answer = esign_webhook.receive(
        ports, secret=SECRET, headers={SIGNATURE_HEADER: header}, body=raw, now=ports.clock()
    )
    assert status == 400 and answer["code"] == "MALFORMED_EVENT"


def test_the_submitted_delivery_report_is_sent_and_signed_through_the_webhook(flow):
    contract = sent_contract(flow)
    for k, kind in enumerate((DocumentKind.SALE_CONTRACT, DocumentKind.LEASE_CONTRACT)):
        deliver(flow, event(flow, contract, kind, event_id=f"e{k}"))
    flow.world.ports.workflows.issue("t-delivery")
    steps.await_delivery_report(flow.world.ports, flow.local(contract), "t-delivery")
    assert flow.deliver(contract)["userErrors"] == []
    assert documents(flow, contract)["DELIVERY_REPORT"]["status"] is None  # submitted, not produced yet
    flow.world.ports.workflows.issue("t-report")
    steps.send_delivery_report(flow.world.ports, flow.local(contract), "t-report")
    sent = documents(flow, contract)["DELIVERY_REPORT"]
    assert sent["status"] == "SENT" and sent["signingUrl"] and sent["signedBy"] is None

    status, answer = deliver(flow, event(flow, contract, DocumentKind.DELIVERY_REPORT, event_id="e-report"))
    assert status == 200 and answer["contractStatus"] == "AWAITING_DELIVERY"
    report = documents(flow, contract)["DELIVERY_REPORT"]
    assert report["status"] == "SIGNED" and report["sha256"] == sent["sha256"] and report["signedBy"] == "Marie Martin"
    assert ("t-report", {"deliveryReportSigned": True}) in flow.world.ports.workflows.resumed


def test_a_party_that_is_not_the_owner_still_gets_the_download_link_of_a_contract_it_sees(flow):
    contract = sent_contract(flow)
    reseller = flow.world.user_of(flow.world.reseller)
    assert documents(flow, contract, who=reseller)["SALE_CONTRACT"]["downloadUrl"]
    stranger = flow.world.user_of(flow.world.stranger)
    assert flow.world.run(stranger, DOCUMENTS, id=contract).data["contract"] is None
