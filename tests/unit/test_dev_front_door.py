"""The dev server's front door in-process: CORS before the token check, and 401s that say why."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from channelfin.api.http.app import create_app
from channelfin.local.devserver import origin_pattern, with_cors, with_dev_tokens
from channelfin.local.tokens import issue

SECRET = "unit-test-secret-of-at-least-32-bytes-for-hs256"


def call(app, method: str, headers: dict[str, str], json: object | None = None) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            return await client.request(method, "/graphql", headers=headers, json=json)

    return asyncio.run(send())


@pytest.fixture
def front_door(ports):
    return with_cors(with_dev_tokens(create_app(ports), SECRET), ["http://localhost:*", "https://app.example"])


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, idempotency-key",
    }


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://localhost", "https://app.example"])
def test_an_allowed_origin_s_preflight_is_answered_without_a_token(front_door, origin):
    response = call(front_door, "OPTIONS", preflight(origin))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin


@pytest.mark.parametrize("origin", ["http://localhost.evil.example", "https://evil.example", "http://127.0.0.1:3000"])
def test_another_origin_gets_no_cors_permission(front_door, origin):
    response = call(front_door, "OPTIONS", preflight(origin))
    assert response.status_code == 400 and "access-control-allow-origin" not in response.headers


def test_an_actual_request_exposes_the_replay_header_to_the_page(front_door):
    token = issue(SECRET, role="leaser-admin", sub="alice")
    headers = {"Origin": "http://localhost:3000", "Authorization": f"Bearer {token}"}
    response = call(front_door, "POST", headers, {"query": "{ viewer { sub } }"})
    assert response.status_code == 200 and response.json() == {"data": {"viewer": {"sub": "alice"}}}
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert response.headers["access-control-expose-headers"].lower() == "idempotent-replayed"


def test_a_401_carries_cors_headers_so_the_page_can_read_why(front_door):
    expired = issue(SECRET, role="leaser-admin", ttl_seconds=-60)
    response = call(front_door, "POST", {"Origin": "http://localhost:3000", "Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert 'error_description="the token has expired"' in response.headers["www-authenticate"]
    assert response.json()["errors"][0]["message"] == "the bearer token has expired"


def test_a_token_signed_elsewhere_is_malformed_not_expired(front_door):
    forged = issue("another-secret-of-at-least-32-bytes-long!", role="leaser-admin")
    response = call(front_door, "POST", {"Authorization": f"Bearer {forged}"}, {"query": "{ viewer { sub } }"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == (
        'Bearer realm="channelfin", error="invalid_token", '
        'error_description="the token is malformed or its signature is wrong"'
    )


def test_the_origin_pattern_reads_a_port_wildcard():
    pattern = origin_pattern(["http://localhost:*"])
    assert pattern == r"^(http://localhost(:\d+)?)$"
