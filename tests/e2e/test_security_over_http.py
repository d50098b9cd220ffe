"""Issue 17's acceptance over HTTP on `channelfin dev`: the red team's query and identity findings.

The exploding-fragment document is refused with its cost while a normal query answers (its
refusal time is a benchmark figure, `exploding_fragments_refusal_ms`, not a timed assertion);
a user token in the `integration` group without a partner, and a token whose groups we do not
know, see nothing.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import jwt
import pytest

from channelfin.local.tokens import ISSUER, load_or_create_secret
from tests import operations as ops
from tests.unit.test_limits import exploding_fragments

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only

CONTRACTS = "{ contracts(first: 20) { edges { node { id } } } }"


@pytest.fixture(scope="module")
def publisher_with_a_contract(dev_server):
    admin = dev_server.token("leaser-admin", sub="security-admin")
    data = dev_server.gql(admin, ops.REGISTER_PARTNER, input={"name": "Éditeur Cible", "roles": ["PUBLISHER"]})
    publisher = data["registerPartner"]["partner"]["id"]
    owner = dev_server.token("partner-admin", partner=publisher, sub="security-owner")
    created = dev_server.gql(
        owner,
        ops.CREATE_CONTRACT,
        input={
            "ownerId": publisher,
            "publisherId": publisher,
            "customer": {"name": "Client Cible", "registrationNumber": "552100554"},
            "periodicity": "MONTHLY",
            "termMonths": 12,
            "startDate": "2027-01-01",
            "softwareFee": "100.00",
            "supportFee": "10.00",
        },
    )["createContract"]
    assert created["userErrors"] == []
    return {"publisher": publisher, "admin": admin}


def user_token(dev_server, groups: list[str], partner_local_id: str | None = None) -> str:
    """A user's access token as Cognito would issue it, signed with the dev stack's secret."""
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "mallory", "token_use": "access", "iat": now, "exp": now + 600}
    claims["cognito:groups"] = groups
    if partner_local_id:
        claims["custom:partner_id"] = partner_local_id
    return jwt.encode(claims, load_or_create_secret(dev_server.data_dir), algorithm="HS256")


def test_the_exploding_fragment_document_is_refused_while_a_normal_query_answers(dev_server, publisher_with_a_contract):
    admin = publisher_with_a_contract["admin"]
    hostile = exploding_fragments(19)  # the red team's document: 19 levels, under 1 KB
    assert len(hostile) < 1_000

    def send_hostile(_: int) -> httpx.Response:
        return dev_server.post(admin, hostile)

    with ThreadPoolExecutor(max_workers=4) as pool:
        refused = list(pool.map(send_hostile, range(8)))
        normal = dev_server.post(admin, CONTRACTS)  # meanwhile
    for answer in refused:
        body = answer.json()
        assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COSTLY"], body
    assert normal.status_code == 200 and "errors" not in normal.json()
    assert normal.json()["data"]["contracts"]["edges"]


def test_an_integration_user_without_a_partner_is_not_the_connector_and_sees_nothing(
    dev_server, publisher_with_a_contract
):
    token = user_token(dev_server, ["integration"])
    body = dev_server.post(token, CONTRACTS).json()
    assert _edges(body) == [], body
    signature = dev_server.post(
        token,
        ops.RECORD_SIGNATURE,
        input={"contractId": "Q29udHJhY3Q6eA==", "document": "SALE_CONTRACT", "signedBy": "Mallory"},
    ).json()
    assert signature.get("data") is None or signature["data"]["recordSignature"] is None
    assert {e["extensions"]["code"] for e in signature["errors"]} <= {"FORBIDDEN", "UNAUTHENTICATED"}


def test_a_token_with_a_partner_but_no_known_group_sees_nothing(dev_server, publisher_with_a_contract):
    from channelfin.api.core.ids import from_global_id

    local = from_global_id(publisher_with_a_contract["publisher"])[1]
    assert dev_server.gql(dev_server.token("partner-user", partner=local), CONTRACTS)["contracts"]["edges"]
    for groups in ([], ["former-employees"]):
        body = dev_server.post(user_token(dev_server, groups, local), CONTRACTS).json()
        assert _edges(body) == [], body


def _edges(body: dict) -> list:
    """The contracts a body lists (none when the request was refused)."""
    return ((body.get("data") or {}).get("contracts") or {}).get("edges", [])
