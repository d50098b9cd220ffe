"""Issue 10's acceptance: the end client signs (or declines) in a real browser, against `channelfin dev`.

Financing is requested over GraphQL; the workflow's SendForSignature step (the local Step
Functions engine) sends both documents to the local signer, whose pages headless Chromium then
opens through Playwright. Debian's `/usr/bin/chromium` is used (`scripts/setup` installs it as
root): `playwright install` downloads a browser of its own, which this project does not rely on.
Without Chromium the browser tests skip; the download and webhook checks run all the same.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
import pytest

from tests import operations as ops
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM
from tests.wait import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only

SIGNED_BEFORE_DELIVERY = ("SALE_CONTRACT", "LEASE_CONTRACT")
TITLES = {"SALE_CONTRACT": "Contrat de vente", "LEASE_CONTRACT": "Contrat de location"}
SIGNER = "Marie Martin"
DECLINE_REASON = "Le loyer ne correspond pas au devis signé"

FILE = """query($id: ID!) { contract(id: $id) {
  id status
  timeline { status actor note }
  documents { kind status sha256 signingUrl downloadUrl signedBy signedAt declineReason }
} }"""


# --- parties, contracts, polling ---------------------------------------------------------------


@pytest.fixture(scope="module")
def parties(dev_server):
    admin = dev_server.token("leaser-admin", sub="alice")

    def register(name, roles, siren=None):
        data = dev_server.gql(
            admin, ops.REGISTER_PARTNER, input={"name": name, "roles": roles, "registrationNumber": siren}
        )
        assert data["registerPartner"]["userErrors"] == []
        return data["registerPartner"]["partner"]["id"]

    leaser = register("Crédit Bail Signature", ["LEASER"])
    dev_server.know_end_clients(*SIRENS.values())
    publisher = register("Éditeur Signature", ["PUBLISHER"], siren="552 100 554")
    agreement = dev_server.gql(
        admin,
        ops.SIGN_AGREEMENT,
        input={"partnerId": publisher, "leaserId": leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )["signFinancingAgreement"]
    assert agreement["userErrors"] == []
    return {
        "publisher": publisher,
        "agreement": agreement["agreement"]["id"],
        "owner": dev_server.token("partner-admin", partner=publisher, sub="pat"),
    }


# One end client per contract: the instant-decision limit bounds an end client's total (issue 17).
SIRENS = {
    "Boulangerie Martin": "732 829 320",
    "Garage Dupont": "404 833 048",
    "Pharmacie Leroy": "542 065 479",
    "Librairie Dubois": "443 061 841",
}


def _financed_contract(server, p, customer):
    """A contract whose financing was approved at once (PV about 33,000), its two documents SENT, AWAITING_SIGNATURES.

    The workflow sends the documents, then moves the contract to AWAITING_SIGNATURES in a save of its
    own just after: a test that starts between the two sees the contract change under it.
    """
    created = server.gql(
        p["owner"],
        ops.CREATE_CONTRACT,
        input={
            "ownerId": p["publisher"],
            "publisherId": p["publisher"],
            "customer": {"name": customer, "registrationNumber": SIRENS[customer]},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": "1000.00",
            "supportFee": "150.00",
        },
    )["createContract"]
    assert created["userErrors"] == []
    contract = created["contract"]["id"]
    requested = server.gql(
        p["owner"], ops.REQUEST_FINANCING, input={"contractId": contract, "agreementId": p["agreement"]}
    )["requestFinancing"]
    assert requested["userErrors"] == []
    assert requested["decision"]["outcome"] == "APPROVED"
    return _wait_for(
        server,
        p["owner"],
        contract,
        lambda c: (
            c["status"] == "AWAITING_SIGNATURES"
            and all(d["status"] == "SENT" and d["signingUrl"] for d in _documents(c, SIGNED_BEFORE_DELIVERY).values())
        ),
        "AWAITING_SIGNATURES with both documents SENT with a signingUrl",
    )


def _file(server, token, contract):
    return server.gql(token, FILE, id=contract)["contract"]


def _documents(contract, kinds=SIGNED_BEFORE_DELIVERY):
    found = {d["kind"]: d for d in contract["documents"]}
    return {kind: found.get(kind) or {"status": None, "signingUrl": None} for kind in kinds}


def _raw_id(global_id):
    """`Q29udHJhY3Q6…` (GraphQL's global ID, base64 of "Contract:<id>") → `<id>`."""
    return base64.b64decode(global_id).decode().partition(":")[2]


def _wait_for(server, token, contract, condition, what, timeout=30):
    last = {}

    def arrived():
        data = last["contract"] = _file(server, token, contract)
        return data if condition(data) else None

    return wait_until(
        arrived,
        timeout=timeout,
        interval=0.2,
        what=lambda: f"not {what}: {json.dumps(last['contract'], indent=1)}",
    )


@pytest.fixture(scope="module")
def to_sign(dev_server, parties):
    """The contract the end client signs in the browser."""
    return _financed_contract(dev_server, parties, "Boulangerie Martin")


@pytest.fixture(scope="module")
def to_decline(dev_server, parties):
    """The contract the end client declines in the browser."""
    return _financed_contract(dev_server, parties, "Garage Dupont")


@pytest.fixture(scope="module")
def untouched(dev_server, parties):
    """The contract a forged webhook tries to sign."""
    return _financed_contract(dev_server, parties, "Pharmacie Leroy")


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)  # the answer POSTs the webhook to this very server
    try:
        yield page
    finally:
        context.close()


def _expect(locator):
    from playwright.sync_api import expect

    return expect(locator)


# --- the tests ---------------------------------------------------------------------------------


def test_each_document_downloads_as_the_pdf_whose_hash_was_recorded(dev_server, to_sign):
    for kind, document in _documents(to_sign).items():
        assert document["downloadUrl"], f"{kind} has no downloadUrl"
        response = httpx.get(document["downloadUrl"], timeout=30)
        assert response.status_code == 200, f"{kind}: {response.status_code} {response.text[:300]}"
        assert response.content.startswith(b"%PDF-"), f"{kind}: {response.content[:40]!r}"
        assert hashlib.sha256(response.content).hexdigest() == document["sha256"], kind


def test_the_end_client_signs_both_documents_in_the_browser(dev_server, parties, to_sign, page):
    contract = to_sign["id"]
    for kind, document in _documents(to_sign).items():
        page.goto(document["signingUrl"])
        _expect(page.locator("h1")).to_have_text(TITLES[kind])
        _expect(page).to_have_title(f"{TITLES[kind]} — signature électronique")
        _expect(page.locator("#status")).to_have_text("SENT")
        assert _raw_id(contract) in page.locator("body").inner_text()  # the page shows the contract's own id
        assert document["sha256"] in page.locator("body").inner_text()
        page.fill("#signer", SIGNER)
        page.click("#sign")
        _expect(page.locator("h1#outcome")).to_have_text("Document signé")

    signed = _wait_for(
        dev_server,
        parties["owner"],
        contract,
        lambda c: c["status"] == "AWAITING_DELIVERY" and all(d["status"] == "SIGNED" for d in _documents(c).values()),
        "AWAITING_DELIVERY with both documents SIGNED",
    )
    for kind, document in _documents(signed).items():
        assert document["signedBy"] == SIGNER, kind
        assert document["signedAt"], kind
        assert document["signingUrl"] is None, kind

    # The signing page of a signed document shows it signed, with nothing left to press.
    page.goto(_documents(to_sign)["SALE_CONTRACT"]["signingUrl"])
    _expect(page.locator("#status")).to_have_text("SIGNED")
    _expect(page.locator("#sign")).to_have_count(0)
    _expect(page.locator("#decline")).to_have_count(0)


def test_the_end_client_signs_the_delivery_report_in_the_browser_and_the_file_is_paid(dev_server, parties, page):
    """The owner only submits the report; it is paid once the end client signed it at the provider (issue 17)."""
    contract = _financed_contract(dev_server, parties, "Librairie Dubois")
    for document in _documents(contract).values():
        page.goto(document["signingUrl"])
        page.fill("#signer", SIGNER)
        page.click("#sign")
        _expect(page.locator("h1#outcome")).to_have_text("Document signé")
    key = contract["id"]
    _wait_for(dev_server, parties["owner"], key, lambda c: c["status"] == "AWAITING_DELIVERY", "AWAITING_DELIVERY")
    submitted = dev_server.gql(
        parties["owner"],
        ops.SUBMIT_DELIVERY_REPORT,
        input={"contractId": key, "installedAt": "2026-11-20", "signedBy": SIGNER},
    )["submitDeliveryReport"]
    assert submitted["userErrors"] == []
    sent = _wait_for(
        dev_server,
        parties["owner"],
        key,
        lambda c: _documents(c, ("DELIVERY_REPORT",))["DELIVERY_REPORT"]["status"] == "SENT",
        "the delivery report SENT to the end client",
    )
    assert sent["status"] == "AWAITING_DELIVERY"  # the owner's word alone completes nothing
    report = _documents(sent, ("DELIVERY_REPORT",))["DELIVERY_REPORT"]
    page.goto(report["signingUrl"])
    _expect(page.locator("h1")).to_have_text("Procès-verbal de livraison")
    page.fill("#signer", SIGNER)
    page.click("#sign")
    _expect(page.locator("h1#outcome")).to_have_text("Document signé")
    _wait_for(dev_server, parties["owner"], key, lambda c: c["status"] == "ACTIVE", "ACTIVE once the report is signed")


def test_declining_in_the_browser_cancels_the_contract_with_the_reason(dev_server, parties, to_decline, page):
    contract = to_decline["id"]
    page.goto(_documents(to_decline)["SALE_CONTRACT"]["signingUrl"])
    _expect(page.locator("h1")).to_have_text(TITLES["SALE_CONTRACT"])
    page.fill("#reason", DECLINE_REASON)
    page.click("#decline")
    _expect(page.locator("h1#outcome")).to_have_text("Signature refusée")

    cancelled = _wait_for(dev_server, parties["owner"], contract, lambda c: c["status"] == "CANCELLED", "CANCELLED")
    assert cancelled["timeline"][-1]["status"] == "CANCELLED"
    assert DECLINE_REASON in (cancelled["timeline"][-1]["note"] or ""), cancelled["timeline"]
    sale = _documents(cancelled)["SALE_CONTRACT"]
    assert sale["status"] == "DECLINED" and sale["declineReason"] == DECLINE_REASON


def _without_links(contract):
    return {**contract, "documents": [{**d, "downloadUrl": None} for d in contract["documents"]]}


def _signature(secret: bytes, body: bytes, at: datetime) -> str:
    timestamp = int(at.timestamp())
    return f"t={timestamp},v1={hmac.new(secret, f'{timestamp}.'.encode() + body, hashlib.sha256).hexdigest()}"


def test_a_webhook_with_a_wrong_signature_is_refused_and_changes_nothing(dev_server, parties, untouched):
    contract = untouched["id"]
    sale = _documents(untouched)["SALE_CONTRACT"]
    now = datetime.now(UTC)
    body = json.dumps(
        {
            "eventId": uuid.uuid4().hex,
            "type": "signed",
            "requestId": urlsplit(sale["signingUrl"]).path.rsplit("/", 1)[-1],
            "contractId": contract,
            "document": "SALE_CONTRACT",
            "signer": "Mallory",
            "at": now.isoformat(),
            "sha256": sale["sha256"],
            "reason": None,
        }
    ).encode()
    webhook = f"http://127.0.0.1:{dev_server.port}/webhooks/esign"
    forged = {
        "signed with another secret": _signature(b"not-the-shared-secret", body, now),
        "a digest of other bytes": _signature(b"not-the-shared-secret", b"{}", now),
        "no v1 entry": f"t={int(now.timestamp())}",
    }
    for what, header in forged.items():
        response = httpx.post(
            webhook, content=body, headers={"Content-Type": "application/json", "x-channelfin-signature": header}
        )
        assert response.status_code == 401, f"{what}: {response.status_code} {response.text}"
        assert response.json()["code"] == "INVALID_SIGNATURE", what
    unsigned = httpx.post(webhook, content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401, unsigned.text

    after = _file(dev_server, parties["owner"], contract)
    assert _without_links(after) == _without_links(untouched)  # a presigned downloadUrl is new at every read
    assert after["status"] == "AWAITING_SIGNATURES"
    assert _documents(after)["SALE_CONTRACT"]["signedBy"] is None
