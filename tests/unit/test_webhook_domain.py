"""Webhook rules without I/O: the URL rules (SSRF), Standard Webhooks signatures, retries, endpoints."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from channelfin.api.core.ids import to_global_id
from channelfin.domain import event_payloads, webhook_urls, webhooks
from channelfin.domain.errors import ValidationError
from channelfin.domain.webhook_deliveries import Answer, Delivery, DeliveryStatus, RetrySchedule
from channelfin.domain.webhooks import EndpointStatus, WebhookEndpoint, event_types, new_secret

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
AWS = webhook_urls.UrlPolicy(allow_loopback_http=False)
DEV = webhook_urls.UrlPolicy(allow_loopback_http=True)


def refusal(url: str, policy=AWS, addresses: list[str] | None = None) -> str:
    with pytest.raises(ValidationError) as refused:
        target = webhook_urls.parse(url, policy)
        literal = webhook_urls.literal_address(target.host)
        webhook_urls.check_addresses(target, addresses or [str(literal)], policy)
    assert refused.value.field == ["url"]
    return str(refused.value.code)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://169.254.169.254/latest/meta-data/", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://10.0.0.1/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://10.255.3.4:8443/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://192.168.1.10/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://172.16.0.1/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://[fe80::1]/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://[::ffff:169.254.169.254]/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://127.0.0.1/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("https://0.0.0.0/hook", "URL_ADDRESS_NOT_ALLOWED"),
        ("file:///etc/passwd", "URL_SCHEME_NOT_ALLOWED"),
        ("gopher://example.com/", "URL_SCHEME_NOT_ALLOWED"),
        ("http://93.184.216.34/hook", "URL_SCHEME_NOT_ALLOWED"),
        ("https://user:pw@93.184.216.34/hook", "INVALID_URL"),
        ("not a url", "URL_SCHEME_NOT_ALLOWED"),
        ("", "INVALID_URL"),
    ],
)
def test_urls_that_would_reach_the_platform_network_are_refused(url, code):
    assert refusal(url) == code


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
        "::127.0.0.1",
        "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 (RFC 8215)
        "::ffff:0:a9fe:a9fe",  # IPv4-translated
    ],
)
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(address):
    # Python 3.11 calls these global; through a DNS64/NAT64 gateway (or a 6to4 relay) they reach
    # the IPv4 address they carry.
    assert refusal("https://hooks.example.com/x", addresses=[address]) == "URL_ADDRESS_NOT_ALLOWED"


def test_an_ipv6_form_of_a_public_ipv4_address_is_allowed():
    target = webhook_urls.parse("https://hooks.example.com/x", AWS)
    for address in ("64:ff9b::5db8:d822", "2002:5db8:d822::1", "2606:4700::6810:84e5"):
        assert webhook_urls.check_addresses(target, [address], AWS) == [address]


def test_a_name_that_resolves_to_a_private_address_is_refused():
    assert refusal("https://hooks.example.com/x", addresses=["93.184.216.34", "10.1.2.3"]) == "URL_ADDRESS_NOT_ALLOWED"


def test_http_to_loopback_only_on_dev():
    assert refusal("http://127.0.0.1:9000/hook") == "URL_SCHEME_NOT_ALLOWED"
    target = webhook_urls.parse("http://127.0.0.1:9000/hook?x=1", DEV)
    assert webhook_urls.check_addresses(target, ["127.0.0.1"], DEV) == ["127.0.0.1"]
    assert (target.host, target.port, target.path) == ("127.0.0.1", 9000, "/hook?x=1")
    assert refusal("http://10.0.0.1/hook", DEV) == "URL_SCHEME_NOT_ALLOWED"
    assert refusal("https://169.254.169.254/", DEV) == "URL_ADDRESS_NOT_ALLOWED"


def test_a_public_https_url_passes():
    target = webhook_urls.parse("https://hooks.example.com/in", AWS)
    assert webhook_urls.check_addresses(target, ["93.184.216.34"], AWS) == ["93.184.216.34"]


def test_signatures_verify_with_the_standard_webhooks_library():
    secret = new_secret(b"0123456789abcdef01234567")
    body = '{"id":"evt_1","type":"contract.status_changed","data":{}}'
    stamp = int(time.time())
    headers = webhooks.headers([secret], "evt_1", stamp, body)
    assert Webhook(secret).verify(body, headers) == {"id": "evt_1", "type": "contract.status_changed", "data": {}}
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret(b"another secret of 24 b..")).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("evt_1", "evt_2"), headers)


def test_after_a_rotation_both_secrets_sign_for_24_hours():
    old, new = new_secret(b"a" * 24), new_secret(b"b" * 24)
    endpoint = _endpoint(old).rotated(new, NOW)
    assert endpoint.signing_secrets(NOW + timedelta(hours=23)) == [new, old]
    assert endpoint.signing_secrets(NOW + timedelta(hours=24)) == [new]
    body, stamp = "{}", int(time.time())
    headers = webhooks.headers(endpoint.signing_secrets(NOW), "evt_9", stamp, body)
    assert headers["webhook-signature"].count("v1,") == 2
    Webhook(old).verify(body, headers)
    Webhook(new).verify(body, headers)


def test_unknown_event_types_are_refused_and_none_means_all():
    assert event_types(None) is None
    assert {t.value for t in event_types(["payout.paid", "contract.status_changed"]) or ()} == {
        "payout.paid",
        "contract.status_changed",
    }
    with pytest.raises(ValidationError) as refused:
        event_types(["payout.paid", "contract.deleted"])
    assert (refused.value.code, refused.value.field) == ("UNKNOWN_EVENT_TYPE", ["eventTypes", "1"])


def test_backoff_doubles_with_jitter_up_to_the_longest():
    schedule = RetrySchedule()
    assert schedule.delay(1, 1.0) == timedelta(seconds=30)
    assert schedule.delay(3, 1.0) == timedelta(minutes=2)
    assert schedule.delay(3, 0.0) == timedelta(minutes=1)
    assert schedule.delay(30, 1.0) == timedelta(hours=8)


def test_a_delivery_succeeds_on_the_fourth_attempt_after_three_500s():
    delivery, at = _delivery(), NOW
    for _ in range(3):
        delivery = delivery.attempted(Answer(500, 12, "oops"), at=at, schedule=RetrySchedule(), jitter=0.5)
        assert delivery.status is DeliveryStatus.PENDING and delivery.next_attempt_at is not None
        at = delivery.next_attempt_at
    delivery = delivery.attempted(Answer(200, 8, "ok"), at=at, schedule=RetrySchedule(), jitter=0.5)
    assert delivery.status is DeliveryStatus.SUCCEEDED
    assert [a.status_code for a in delivery.attempts] == [500, 500, 500, 200]


def test_a_delivery_that_never_gets_an_answer_fails_after_three_days_with_each_attempt_kept():
    delivery, at = _delivery(), NOW
    while delivery.status is DeliveryStatus.PENDING:
        delivery = delivery.attempted(
            Answer(None, 10_000, error="no answer within 10 s"), at=at, schedule=RetrySchedule(), jitter=1.0
        )
        at = delivery.next_attempt_at or at
    assert delivery.status is DeliveryStatus.FAILED
    assert 15 <= len(delivery.attempts) <= 25
    assert delivery.attempts[-1].at - delivery.attempts[0].at <= timedelta(days=3)
    assert all(a.error == "no answer within 10 s" for a in delivery.attempts)


def test_the_response_excerpt_is_2_kb():
    done = _delivery().attempted(Answer(500, 1, "x" * 5000), at=NOW, schedule=RetrySchedule(), jitter=0)
    assert len(done.attempts[0].response_body) == 2048


def test_an_endpoint_is_disabled_after_repeated_failed_deliveries():
    endpoint = _endpoint(new_secret(b"a" * 24))
    for _ in range(2):
        endpoint = endpoint.delivery_failed(NOW, disable_after=3, last_error="HTTP 500")
    assert endpoint.status is EndpointStatus.ENABLED
    assert endpoint.delivery_succeeded().failed_in_a_row == 0
    endpoint = endpoint.delivery_failed(NOW, disable_after=3, last_error="HTTP 500")
    assert endpoint.status is EndpointStatus.DISABLED
    assert endpoint.disabled_reason and "HTTP 500" in endpoint.disabled_reason
    assert not endpoint.wants(next(iter(webhooks.EventType)))


def test_event_payload_ids_are_the_api_global_ids():
    assert event_payloads.gid("Contract", "c-1") == to_global_id("Contract", "c-1")


def _endpoint(secret: str) -> WebhookEndpoint:
    return WebhookEndpoint.create(
        id="ep-1",
        partner_id="p-1",
        url="https://hooks.example.com/in",
        event_types=None,
        description=None,
        secret=secret,
        at=NOW,
        by="someone",
    )


def _delivery() -> Delivery:
    return Delivery(
        id="dlv_1",
        endpoint_id="ep-1",
        partner_id="p-1",
        event_id="evt_1",
        event_type=webhooks.EventType.PAYOUT_PAID,
        subject_id="x",
        created_at=NOW,
        next_attempt_at=NOW,
    )
