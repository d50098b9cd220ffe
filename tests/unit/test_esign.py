import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone
from email.parser import BytesParser
from email.policy import HTTP

import pytest

from channelfin.adapters.esign.signing import SIGNATURE_HEADER, EsignEvent, WebhookSignatureInvalid, sign, verify
from channelfin.adapters.esign.yousign import (
    HttpRequest,
    HttpResponse,
    SignatureProviderError,
    YousignEvents,
    YousignProvider,
)
from channelfin.domain.financing_file import DocumentKind
from channelfin.services.ports import SignatureRequest

SECRET = "whsec_test_0123456789"
NOW = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)
BODY = b'{"eventId":"evt-1","type":"signed"}'


# --- sign / verify -----------------------------------------------------------------------------


def test_sign_gives_stripe_style_header_and_verify_accepts_it():
    header = sign(SECRET, BODY, NOW)
    timestamp = int(NOW.timestamp())
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={timestamp},v1={expected}"
    assert SIGNATURE_HEADER == "x-channelfin-signature"
    verify(SECRET, header, BODY, NOW)
    verify(SECRET, header, BODY, NOW + timedelta(seconds=299))


def test_tampered_body_is_invalid():
    header = sign(SECRET, BODY, NOW)
    with pytest.raises(WebhookSignatureInvalid) as err:
        verify(SECRET, header, BODY.replace(b"signed", b"declined"), NOW)
    assert err.value.reason == "signature mismatch"


def test_wrong_secret_is_invalid_and_the_secret_is_not_in_the_error():
    header = sign("another secret", BODY, NOW)
    with pytest.raises(WebhookSignatureInvalid) as err:
        verify(SECRET, header, BODY, NOW)
    assert SECRET not in str(err.value) and "another secret" not in str(err.value)


def test_signature_covers_the_timestamp():
    timestamp = int(NOW.timestamp())
    digest = sign(SECRET, BODY, NOW).split("v1=")[1]
    with pytest.raises(WebhookSignatureInvalid, match="mismatch"):
        verify(SECRET, f"t={timestamp + 10},v1={digest}", BODY, NOW)


@pytest.mark.parametrize("offset", [301, 3600, -301, -86400])
def test_stale_and_future_timestamps_are_invalid(offset):
    header = sign(SECRET, BODY, NOW - timedelta(seconds=offset))
    with pytest.raises(WebhookSignatureInvalid, match="tolerance"):
        verify(SECRET, header, BODY, NOW)


def test_tolerance_is_configurable():
    header = sign(SECRET, BODY, NOW - timedelta(seconds=100))
    verify(SECRET, header, BODY, NOW, tolerance_seconds=100)
    with pytest.raises(WebhookSignatureInvalid):
        verify(SECRET, header, BODY, NOW, tolerance_seconds=99)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "   ",
        "garbage",
        "t=,v1=abc",
        "t=abc,v1=" + "0" * 64,
        "t=-5,v1=" + "0" * 64,
        "t=1.5,v1=" + "0" * 64,
        "v1=" + "0" * 64,
        "t=1741944413",
        "t=1741944413,v0=" + "0" * 64,
        "t=1741944413,t=1741944413,v1=" + "0" * 64,
        "t=1741944413,,v1=" + "0" * 64,
        "t=1741944413,=x",
        "t=1741944413,v1=" + "0" * 5000,
    ],
)
def test_garbled_headers_are_invalid(header):
    with pytest.raises(WebhookSignatureInvalid):
        verify(SECRET, header, BODY, NOW)


def test_non_hex_or_non_ascii_v1_is_a_mismatch_not_a_crash():
    timestamp = int(NOW.timestamp())
    for bad in ("zz" * 32, "é" * 64, "0" * 63):
        with pytest.raises(WebhookSignatureInvalid, match="mismatch"):
            verify(SECRET, f"t={timestamp},v1={bad}", BODY, NOW)


def test_rotation_any_v1_may_match():
    timestamp = int(NOW.timestamp())
    old = sign("old secret", BODY, NOW).split("v1=")[1]
    new = sign("new secret", BODY, NOW).split("v1=")[1]
    header = f"t={timestamp},v1={old},v1={new}"
    verify("old secret", header, BODY, NOW)
    verify("new secret", header, BODY, NOW)
    verify("new secret", f"t={timestamp}, v0=ignored, v1={new}", BODY, NOW)  # other schemes are ignored
    with pytest.raises(WebhookSignatureInvalid):
        verify("third secret", header, BODY, NOW)


def test_naive_datetimes_and_empty_secrets_are_refused():
    with pytest.raises(ValueError):
        sign(SECRET, BODY, datetime(2025, 3, 14, 9, 26))
    with pytest.raises(ValueError):
        sign("", BODY, NOW)
    with pytest.raises(ValueError):
        verify("", sign(SECRET, BODY, NOW), BODY, NOW)


# --- EsignEvent ---------------------------------------------------------------------------------

SHA = hashlib.sha256(b"%PDF-1.7 contract").hexdigest()


def signed_event(**changes):
    values = dict(
        event_id="evt-1",
        type="signed",
        request_id="req-1",
        contract_id="c0ffee",
        document=DocumentKind.LEASE_CONTRACT,
        signer="Élise Durand",
        at=datetime(2025, 3, 14, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        sha256=SHA,
    )
    values.update(changes)
    return EsignEvent(**values)


def test_event_json_round_trip_is_deterministic_and_camel_case():
    event = signed_event()
    raw = event.to_json()
    assert json.loads(raw) == {
        "eventId": "evt-1",
        "type": "signed",
        "requestId": "req-1",
        "contractId": "c0ffee",
        "document": "LEASE_CONTRACT",
        "signer": "Élise Durand",
        "at": "2025-03-14T09:00:00+00:00",
        "sha256": SHA,
        "reason": None,
    }
    assert EsignEvent.from_json(raw) == event
    assert EsignEvent.from_json(raw).to_json() == raw
    assert signed_event(at=datetime(2025, 3, 14, 9, 0, tzinfo=UTC)).to_json() == raw


def test_declined_event_round_trip():
    event = EsignEvent(
        event_id="evt-2",
        type="declined",
        request_id="req-1",
        contract_id="c0ffee",
        document=DocumentKind.SALE_CONTRACT,
        signer="Élise Durand",
        at=NOW,
        reason="Le loyer ne correspond pas",
    )
    assert EsignEvent.from_json(event.to_json()) == event


def test_from_json_accepts_z_suffix_and_missing_optionals():
    raw = json.dumps(
        {
            "eventId": "e",
            "type": "declined",
            "requestId": "r",
            "contractId": "c",
            "document": "DELIVERY_REPORT",
            "signer": "S",
            "at": "2025-03-14T09:26:53Z",
        }
    ).encode()
    event = EsignEvent.from_json(raw)
    assert event.at == NOW and event.reason is None and event.sha256 is None


def _valid_payload():
    return json.loads(signed_event().to_json())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.update(type="viewed"), "unknown type"),
        (lambda p: p.pop("type"), "type is missing"),
        (lambda p: p.pop("eventId"), "eventId is missing"),
        (lambda p: p.update(contractId=42), "contractId is not a string"),
        (lambda p: p.update(signer="  "), "signer must be a non-empty"),
        (lambda p: p.update(document="INVOICE"), "unknown document"),
        (lambda p: p.update(at="yesterday"), "not an ISO 8601"),
        (lambda p: p.update(at="2025-03-14T09:26:53"), "time zone"),
        (lambda p: p.update(sha256=None), "needs sha256"),
        (lambda p: p.update(sha256="ABC"), "needs sha256"),
        (lambda p: p.update(sha256=SHA.upper()), "needs sha256"),
        (lambda p: p.update(reason="why not"), "signed event has no reason"),
        (lambda p: p.update(type="declined"), "declined event has no sha256"),
    ],
)
def test_malformed_events_are_value_errors(mutate, message):
    payload = _valid_payload()
    mutate(payload)
    with pytest.raises(ValueError, match=message):
        EsignEvent.from_json(json.dumps(payload).encode())


@pytest.mark.parametrize("raw", [b"", b"not json", b"\xff\xfe", b"[]", b"null", b'"signed"'])
def test_non_object_bodies_are_value_errors(raw):
    with pytest.raises(ValueError, match="esign event"):
        EsignEvent.from_json(raw)


def test_signed_and_verified_event_end_to_end():
    raw = signed_event().to_json()
    header = sign(SECRET, raw, NOW)
    verify(SECRET, header, raw, NOW + timedelta(seconds=2))
    assert EsignEvent.from_json(raw).document is DocumentKind.LEASE_CONTRACT


# --- YousignProvider -----------------------------------------------------------------------------

API_KEY = "ys_live_SECRETKEY_do_not_leak"
BASE = "https://api.yousign.app/v3"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n\x00\xff binary"
PDF_SHA = hashlib.sha256(PDF).hexdigest()


class FakeTransport:
    """Records requests and answers from a list of canned (status, json) responses."""

    def __init__(self, responses):
        self.responses = list(responses)
        self.requests: list[HttpRequest] = []
        self.timeouts: list[float] = []

    def __call__(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.requests.append(request)
        self.timeouts.append(timeout)
        status, body = self.responses.pop(0)
        return HttpResponse(status, body if isinstance(body, bytes) else json.dumps(body).encode())


def happy_responses(pages=3):
    return [
        (201, {"id": "sr-1", "status": "draft"}),
        (201, {"id": "doc-1", "nature": "signable_document", "total_pages": pages}),
        (201, {"id": "signer-1", "status": "initiated", "signature_link": None}),
        (
            201,
            {
                "id": "sr-1",
                "status": "ongoing",
                "signers": [
                    {"id": "someone-else", "signature_link": "https://yousign.app/signatures/other"},
                    {"id": "signer-1", "signature_link": "https://yousign.app/signatures/sr-1/signer-1"},
                ],
            },
        ),
    ]


def request_signature(provider, **changes):
    values = dict(
        contract_id="4f1c2a",
        kind=DocumentKind.LEASE_CONTRACT,
        document=PDF,
        sha256=PDF_SHA,
        signer_name="Jean de La Fontaine",
        signer_email="jean@example.fr",
    )
    values.update(changes)
    return provider.request_signature(**values)


def multipart_parts(request: HttpRequest):
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + request.headers["Content-Type"].encode() + b"\r\n\r\n" + request.body
    )
    return {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}


def test_yousign_request_signature_calls_the_api_in_order():
    transport = FakeTransport(happy_responses(pages=3))
    provider = YousignProvider(API_KEY, transport=transport, timeout=7)

    result = request_signature(provider)

    assert result == SignatureRequest(request_id="sr-1", signing_url="https://yousign.app/signatures/sr-1/signer-1")
    assert [(r.method, r.url) for r in transport.requests] == [
        ("POST", f"{BASE}/signature_requests"),
        ("POST", f"{BASE}/signature_requests/sr-1/documents"),
        ("POST", f"{BASE}/signature_requests/sr-1/signers"),
        ("POST", f"{BASE}/signature_requests/sr-1/activate"),
    ]
    assert all(r.headers["Authorization"] == f"Bearer {API_KEY}" for r in transport.requests)
    assert transport.timeouts == [7, 7, 7, 7]

    created = json.loads(transport.requests[0].body)
    assert transport.requests[0].headers["Content-Type"] == "application/json"
    assert created["delivery_mode"] == "email"
    assert created["external_id"] == f"4f1c2a.LEASE_CONTRACT.{PDF_SHA}"
    assert created["name"]

    upload = transport.requests[1]
    assert upload.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    parts = multipart_parts(upload)
    assert parts["file"].get_content_type() == "application/pdf"
    assert parts["file"].get_filename().endswith(".pdf")
    assert parts["file"].get_payload(decode=True) == PDF
    assert parts["nature"].get_payload(decode=True) == b"signable_document"

    signer = json.loads(transport.requests[2].body)
    assert signer["info"] == {
        "first_name": "Jean",
        "last_name": "de La Fontaine",
        "email": "jean@example.fr",
        "locale": "fr",
    }
    assert signer["signature_level"] == "electronic_signature"
    [field] = signer["fields"]
    assert field["type"] == "signature" and field["document_id"] == "doc-1" and field["page"] == 3


def test_external_id_fits_yousign_pattern():
    transport = FakeTransport(happy_responses())
    request_signature(YousignProvider(API_KEY, transport=transport), kind=DocumentKind.DELIVERY_REPORT)
    external_id = json.loads(transport.requests[0].body)["external_id"]
    assert ":" not in external_id
    assert all(c.isalnum() or c in "_-@.%+" for c in external_id)


@pytest.mark.parametrize("failing_step", [0, 1, 2, 3])
def test_non_2xx_becomes_signature_provider_error_without_the_api_key(failing_step):
    responses = happy_responses()
    responses[failing_step] = (
        422,
        {"type": "invalid_request_error", "detail": f"bad token Bearer {API_KEY}", "invalid_params": []},
    )
    transport = FakeTransport(responses)
    with pytest.raises(SignatureProviderError) as err:
        request_signature(YousignProvider(API_KEY, transport=transport))
    assert err.value.status == 422
    assert "422" in str(err.value) and "bad token" in str(err.value)
    assert API_KEY not in str(err.value) and API_KEY not in repr(err.value)
    assert len(transport.requests) == failing_step + 1


def test_non_json_error_bodies_and_server_errors():
    transport = FakeTransport([(503, b"<html>Service Unavailable</html>")])
    with pytest.raises(SignatureProviderError) as err:
        request_signature(YousignProvider(API_KEY, transport=transport))
    assert err.value.status == 503 and "Service Unavailable" in str(err.value)


def test_2xx_without_the_expected_fields_is_an_error():
    responses = happy_responses()
    responses[3] = (201, {"id": "sr-1", "signers": [{"id": "someone-else", "signature_link": "https://x"}]})
    with pytest.raises(SignatureProviderError, match="signature link"):
        request_signature(YousignProvider(API_KEY, transport=FakeTransport(responses)))

    responses = happy_responses()
    responses[1] = (201, {"id": "doc-1"})
    with pytest.raises(SignatureProviderError, match="page count"):
        request_signature(YousignProvider(API_KEY, transport=FakeTransport(responses)))

    with pytest.raises(SignatureProviderError, match="JSON"):
        request_signature(YousignProvider(API_KEY, transport=FakeTransport([(201, b"ok")])))


def test_refuses_before_any_call_when_inputs_are_wrong():
    transport = FakeTransport([])
    provider = YousignProvider(API_KEY, transport=transport)
    with pytest.raises(ValueError, match="SHA-256"):
        request_signature(provider, sha256="0" * 64)
    with pytest.raises(ValueError, match="e-mail"):
        request_signature(provider, signer_email=None)
    with pytest.raises(ValueError, match="name"):
        request_signature(provider, signer_name="   ")
    with pytest.raises(ValueError, match="external_id"):
        request_signature(provider, contract_id="has:colon")
    assert transport.requests == []


def test_one_word_names_and_constructor_guards():
    transport = FakeTransport(happy_responses())
    request_signature(YousignProvider(API_KEY, transport=transport), signer_name="Cher")
    assert json.loads(transport.requests[2].body)["info"]["first_name"] == "Cher"
    assert json.loads(transport.requests[2].body)["info"]["last_name"] == "Cher"
    with pytest.raises(ValueError):
        YousignProvider("")
    with pytest.raises(ValueError):
        YousignProvider(API_KEY, base_url="http://api.yousign.app/v3")
    assert API_KEY not in repr(YousignProvider(API_KEY))


# --- YousignEvents -------------------------------------------------------------------------------

YOUSIGN_SECRET = "yousign-webhook-secret"


def yousign_webhook(event_name, **signature_request):
    return json.dumps(
        {
            "event_id": "d09f0367-d80a-309c-a2ed-7083991fc564",
            "event_name": event_name,
            "event_time": "1741944413",
            "subscription_id": "sub-1",
            "subscription_description": "channelfin",
            "sandbox": False,
            "data": {
                "signature_request": {
                    "id": "sr-1",
                    "status": "ongoing",
                    "external_id": f"4f1c2a.LEASE_CONTRACT.{PDF_SHA}",
                    **signature_request,
                },
                "signer": {
                    "id": "signer-1",
                    "status": "signed",
                    "info": {"first_name": "Jean", "last_name": "de La Fontaine", "email": "jean@example.fr"},
                },
            },
        }
    ).encode()


def yousign_header(raw):
    return "sha256=" + hmac.new(YOUSIGN_SECRET.encode(), raw, hashlib.sha256).hexdigest()


def test_yousign_signer_done_becomes_a_signed_event():
    raw = yousign_webhook("signer.done")
    event = YousignEvents(YOUSIGN_SECRET).parse(yousign_header(raw), raw)
    assert event == EsignEvent(
        event_id="d09f0367-d80a-309c-a2ed-7083991fc564",
        type="signed",
        request_id="sr-1",
        contract_id="4f1c2a",
        document=DocumentKind.LEASE_CONTRACT,
        signer="Jean de La Fontaine",
        at=datetime.fromtimestamp(1741944413, UTC),
        sha256=PDF_SHA,
    )


def test_yousign_signer_declined_becomes_a_declined_event_with_the_reason():
    raw = yousign_webhook(
        "signer.declined",
        status="declined",
        decline_information={"signer_id": "signer-1", "reason": "Mauvais montant", "declined_at": "2025-03-14"},
    )
    event = YousignEvents(YOUSIGN_SECRET).parse(yousign_header(raw), raw)
    assert event is not None
    assert (event.type, event.reason, event.sha256) == ("declined", "Mauvais montant", None)


@pytest.mark.parametrize(
    "name", ["signature_request.done", "signature_request.declined", "signature_request.activated", "signer.notified"]
)
def test_yousign_events_without_a_signer_outcome_are_ignored(name):
    raw = yousign_webhook(name)
    assert YousignEvents(YOUSIGN_SECRET).parse(yousign_header(raw), raw) is None


def test_yousign_webhook_signature_is_checked():
    raw = yousign_webhook("signer.done")
    events = YousignEvents(YOUSIGN_SECRET)
    for header in (None, "", "sha256=", "md5=abc", yousign_header(raw + b" "), yousign_header(raw).upper()):
        with pytest.raises(WebhookSignatureInvalid):
            events.parse(header, raw)


def test_yousign_webhooks_not_ours_or_malformed_are_value_errors():
    events = YousignEvents(YOUSIGN_SECRET)
    with pytest.raises(ValueError, match="not a channelfin document"):
        events.translate(yousign_webhook("signer.done", external_id="someone-elses-id"))
    with pytest.raises(ValueError, match="external_id"):
        events.translate(yousign_webhook("signer.done", external_id=None))
    with pytest.raises(ValueError, match="JSON"):
        events.translate(b"<xml/>")
    with pytest.raises(ValueError, match="event_name"):
        events.translate(b"{}")
    with pytest.raises(ValueError, match="data"):
        events.translate(json.dumps({"event_name": "signer.done", "data": {}}).encode())
