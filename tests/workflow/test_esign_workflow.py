"""The e-signature provider's webhook driving infra/financing.asl.json (documents produced by the real step)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from channelfin.adapters.esign.signing import SIGNATURE_HEADER, EsignEvent, sign
from channelfin.api.http import esign_webhook
from channelfin.domain.documents import DocumentStatus
from channelfin.domain.financing_file import DocumentKind

pytestmark = pytest.mark.workflow

SECRET = "whsec-workflow"


def deliver(flow, contract, kind, *, type, event_id, reason=None):
    ports = flow.world.ports
    document = ports.contracts.get(flow.local(contract)).document(kind)
    assert document is not None and document.status is DocumentStatus.SENT
    event = EsignEvent(
        event_id=event_id,
        type=type,
        request_id=document.signing_request_id,
        contract_id=flow.local(contract),
        document=kind,
        signer="Marie Martin",
        at=ports.clock() - timedelta(seconds=5),
        sha256=document.sha256 if type == "signed" else None,
        reason=reason,
    )
    raw = event.to_json()
    headers = {SIGNATURE_HEADER: sign(SECRET, raw, ports.clock())}
    return esign_webhook.receive(ports, secret=SECRET, headers=headers, body=raw, now=ports.clock())


def test_signing_both_documents_on_the_webhook_moves_the_file_to_delivery(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    for k, kind in enumerate((DocumentKind.SALE_CONTRACT, DocumentKind.LEASE_CONTRACT)):
        assert deliver(flow, contract, kind, type="signed", event_id=f"sign-{k}")[0] == 200
    flow.wait_for(contract, "AWAITING_DELIVERY", waiting_for="DELIVERY_REPORT")


def test_a_refusal_on_the_webhook_ends_the_file_cancelled_with_the_reason(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.wait_for(contract, "AWAITING_SIGNATURES", waiting_for="SIGNATURES")
    status, _ = deliver(flow, contract, DocumentKind.LEASE_CONTRACT, type="declined", event_id="no", reason="trop cher")
    assert status == 200
    assert flow.execution(contract)["status"] == "SUCCEEDED"
    final = flow.read(contract)
    assert final["status"] == "CANCELLED" and "trop cher" in final["timeline"][-1]["note"]
    lease = flow.world.ports.contracts.get(flow.local(contract)).document(DocumentKind.LEASE_CONTRACT)
    assert lease.status is DocumentStatus.DECLINED and lease.decline_reason == "trop cher"
