"""Issue 7's acceptance over HTTP against `channelfin dev`: tokens, limits, bodies, idempotency keys."""

from __future__ import annotations

import json

import httpx
import pytest

from tests import operations as ops

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only


@pytest.fixture(scope="module")
def owner(dev_server):
    admin = dev_server.token("leaser-admin", sub="hardening-admin")

    def register(name, *roles):
        data = dev_server.gql(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})
        return data["registerPartner"]["partner"]["id"]

    publisher = register("Éditeur Idempotent", "PUBLISHER")
    return {"publisher": publisher, "token": dev_server.token("integration", partner=publisher, sub="integrator-1")}


def post(dev_server, token, body, **headers):
    return httpx.post(
        dev_server.url,
        content=body if isinstance(body, bytes) else json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
        timeout=30,
    )


def contract_request(publisher, customer):
    return {
        "query": ops.CREATE_CONTRACT,
        "variables": {
            "input": {
                "ownerId": publisher,
                "publisherId": publisher,
                "customer": {"name": customer, "registrationNumber": "552100554"},
                "periodicity": "MONTHLY",
                "termMonths": 12,
                "startDate": "2027-01-01",
                "softwareFee": "100.00",
                "supportFee": "10.00",
            }
        },
    }


def test_three_identical_submissions_with_one_key_create_one_contract(dev_server, owner):
    body = contract_request(owner["publisher"], "Client Idempotent")
    answers = [post(dev_server, owner["token"], body, **{"Idempotency-Key": "order-42"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    ids = {a.json()["data"]["createContract"]["contract"]["id"] for a in answers}
    assert len(ids) == 1
    assert [a.headers.get("idempotent-replayed") for a in answers] == [None, "true", "true"]

    changed = contract_request(owner["publisher"], "Un Autre Client")
    refused = post(dev_server, owner["token"], changed, **{"Idempotency-Key": "order-42"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"

    listed = dev_server.gql(
        owner["token"],
        "query($p: ID!) { contracts(filter: {partnerId: $p}, first: 100) { edges { node { id customer { name } } } } }",
        p=owner["publisher"],
    )
    names = [e["node"]["customer"]["name"] for e in listed["contracts"]["edges"]]
    assert names.count("Client Idempotent") == 1 and "Un Autre Client" not in names


def test_without_a_token_or_with_a_forged_one_there_is_no_data(dev_server, owner):
    query = {"query": "{ contracts { edges { node { id } } } }"}
    bare = httpx.post(dev_server.url, json=query, timeout=30)
    assert bare.status_code == 401 and "data" not in bare.json()
    header, payload, _signature = owner["token"].split(".")
    forged = post(dev_server, f"{header}.{payload}.Zm9yZ2Vk", query)
    assert forged.status_code == 401 and "data" not in forged.json()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"query": "{ viewer { sub } }"', 400, "BAD_REQUEST"),
        (bytes(range(256)), 400, "BAD_REQUEST"),
        (json.dumps([{"query": "{ viewer { sub } }"}] * 200).encode(), 400, "TOO_MANY_OPERATIONS"),
        (json.dumps({"query": "{ viewer { sub } }" + " " * 2_000_000}).encode(), 413, "REQUEST_TOO_LARGE"),
    ],
    ids=["malformed-json", "binary", "batch-of-200", "2MB-document"],
)
def test_hostile_bodies_get_a_4xx_with_a_code(dev_server, owner, body, status, code):
    response = post(dev_server, owner["token"], body)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code


def test_two_thousand_aliases_are_refused(dev_server, owner):
    query = "{ " + " ".join(f"a{k}: viewer {{ sub }}" for k in range(2000)) + " }"
    response = post(dev_server, owner["token"], {"query": query})
    assert response.status_code == 200 and "data" not in response.json()  # a request error: nothing ran
    assert response.json()["errors"][0]["extensions"]["code"] in {"TOO_MANY_TOKENS", "TOO_MANY_ALIASES"}
    sixteen = "{ " + " ".join(f"a{k}: viewer {{ sub }}" for k in range(16)) + " }"
    assert post(dev_server, owner["token"], {"query": sixteen}).json()["errors"][0]["extensions"]["code"] == (
        "TOO_MANY_ALIASES"
    )


def test_a_small_batch_runs(dev_server, owner):
    response = post(dev_server, owner["token"], [{"query": "{ viewer { sub } }"}] * 3)
    assert response.status_code == 200
    assert [r["data"]["viewer"]["sub"] for r in response.json()] == ["integrator-1"] * 3
