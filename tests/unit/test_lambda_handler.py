"""The GraphQL Lambda handler with API Gateway HTTP API (v2) events, on in-memory ports.

The events are shaped as the JWT authorizer passes them on. Lambda serves the schema with
its own thin endpoint (`LambdaGraphQL`) behind the same guards as the dev server, whose
endpoint is Strawberry's view: for the same request, both must answer the same.
"""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass
from typing import Any

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.api.http.app import CLAIMS_SCOPE_KEY, create_app, create_graphql_app
from channelfin.api.http.idempotency import Answer
from channelfin.handlers import graphql as graphql_handler
from tests import operations as ops


@dataclass
class LambdaContext:
    function_name: str = "channelfin-test-graphql"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:eu-west-3:123456789012:function:channelfin-test-graphql"
    aws_request_id: str = "test-request"


ADMIN_CLAIMS = {"sub": "alice", "cognito:groups": "[leaser-admin]"}


def event(
    body: str | bytes | None,
    *,
    claims: dict[str, str] | None = ADMIN_CLAIMS,
    method: str = "POST",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    request_context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "test",
        "domainName": "api.example.com",
        "domainPrefix": "api",
        "http": {"method": method, "path": "/graphql", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"},
        "requestId": "test",
        "routeKey": f"{method} /graphql",
        "stage": "$default",
        "time": "24/Nov/2026:00:00:00 +0000",
        "timeEpoch": 0,
    }
    if claims is not None:
        request_context["authorizer"] = {"jwt": {"claims": claims, "scopes": []}}
    found: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} /graphql",
        "rawPath": "/graphql",
        "rawQueryString": "",
        "headers": {"content-type": content_type, "host": "api.example.com", **(headers or {})},
        "requestContext": request_context,
        "isBase64Encoded": isinstance(body, bytes),
    }
    if body is not None:
        found["body"] = base64.b64encode(body).decode() if isinstance(body, bytes) else body
    return found


def graphql_body(query: str, **variables: Any) -> str:
    return json.dumps({"query": query, "variables": variables})


@pytest.fixture
def invoke(ports, monkeypatch):
    monkeypatch.setattr(graphql_handler, "_asgi_handler", graphql_handler.lambda_adapter(create_graphql_app(ports)))
    loop = asyncio.new_event_loop()  # the container's loop; the in-process client's asyncio.run unsets it

    def run(lambda_event: dict[str, Any]) -> dict[str, Any]:
        asyncio.set_event_loop(loop)
        return graphql_handler.handler(lambda_event, LambdaContext())

    yield run
    asyncio.set_event_loop(None)
    loop.close()


@dataclass
class ViewResponse:
    status_code: int
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def dev_view(ports):
    """POST to the dev server's app, with the claims where the token check puts them."""
    app = create_app(ports, graphiql=False)

    def post(claims: dict[str, str] | None, body: str, content_type: str) -> ViewResponse:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"content-type", content_type.encode()), (b"host", b"testserver")],
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 1234),
            CLAIMS_SCOPE_KEY: claims,
        }
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body.encode(), "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        asyncio.run(app(scope, receive, send))
        headers = {k.decode().lower(): v.decode() for k, v in sent[0]["headers"]}
        return ViewResponse(sent[0]["status"], headers, b"".join(m.get("body", b"") for m in sent[1:]))

    return post


def header(response: dict[str, Any], name: str) -> str:
    return {k.lower(): v for k, v in response["headers"].items()}[name]


def test_a_valid_request_with_claims_gets_its_data(invoke, world):
    contract = world.create_contract()
    response = invoke(event(graphql_body(ops.CONTRACT, id=contract["id"])))
    assert response["statusCode"] == 200
    assert header(response, "content-type") == "application/json"
    assert json.loads(response["body"]) == {
        "data": {
            "contract": {
                "id": contract["id"],
                "status": "DRAFT",
                "customer": {"name": "Boulangerie Martin"},
                "owner": {"name": "all-in-web"},
            }
        }
    }


def test_a_mutation_goes_through_and_a_list_uses_the_loaders(invoke, world):
    owner = {"sub": "bob", "cognito:groups": "[partner-admin]", "custom:partner_id": from_global_id(world.publisher)[1]}
    response = invoke(event(graphql_body(ops.CREATE_CONTRACT, input=world.contract_input()), claims=owner))
    created = json.loads(response["body"])["data"]["createContract"]
    assert created["userErrors"] == [] and created["contract"]["owner"] == {"id": world.publisher}
    listed = json.loads(invoke(event(graphql_body("{ contracts { edges { node { id owner { name } } } } }")))["body"])
    assert listed == {
        "data": {"contracts": {"edges": [{"node": {"id": created["contract"]["id"], "owner": {"name": "all-in-web"}}}]}}
    }


class RememberedAnswers:
    """Stands in for `IdempotentRequests` (Powertools on DynamoDB, tested on DynamoDB Local): one answer per key."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], dict[str, Any]] = {}

    async def run(self, *, key: str, caller: str, body: Any, execute: Any) -> Answer:
        if (caller, key) in self.kept:
            return Answer(200, self.kept[caller, key], replayed=True)
        self.kept[caller, key] = answer = await execute()
        return Answer(200, answer)


def test_a_mutation_retried_with_its_idempotency_key_runs_once(invoke, ports, world, monkeypatch):
    app = create_graphql_app(ports, idempotency=RememberedAnswers())  # type: ignore[arg-type]
    monkeypatch.setattr(graphql_handler, "_asgi_handler", graphql_handler.lambda_adapter(app))
    owner = {"sub": "bob", "cognito:groups": "[partner-admin]", "custom:partner_id": from_global_id(world.publisher)[1]}
    create = graphql_body(ops.CREATE_CONTRACT, input=world.contract_input())
    first, again = (invoke(event(create, claims=owner, headers={"idempotency-key": "k-1"})) for _ in range(2))
    assert (first["statusCode"], again["statusCode"]) == (200, 200)
    assert json.loads(again["body"]) == json.loads(first["body"])
    assert header(again, "idempotent-replayed") == "true"
    listed = json.loads(invoke(event(graphql_body("{ contracts { edges { node { id } } } }")))["body"])
    assert len(listed["data"]["contracts"]["edges"]) == 1


def test_without_claims_there_is_no_data(invoke, world):
    contract = world.create_contract()
    for claims in (None, {}, {"cognito:groups": "[leaser-admin]"}):
        response = invoke(event(graphql_body(ops.CONTRACT, id=contract["id"]), claims=claims))
        body = json.loads(response["body"])
        assert response["statusCode"] == 200
        assert body["data"] == {"contract": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


def test_a_bug_is_masked_with_a_correlation_id(invoke, world, ports, monkeypatch, caplog):
    contract = world.create_contract()

    def broken(contract_id: str) -> None:
        raise RuntimeError("secret table name and a stack trace")

    monkeypatch.setattr(ports.contracts, "get", broken)
    response = invoke(event(graphql_body(ops.CONTRACT, id=contract["id"])))
    assert response["statusCode"] == 200
    assert "secret" not in response["body"] and "Traceback" not in response["body"]
    (error,) = json.loads(response["body"])["errors"]
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    assert error["extensions"]["correlationId"] in error["message"]
    # The log line of the bug carries the id the client got (issue 18), with the stack trace.
    (record,) = [r for r in caplog.records if r.getMessage() == "unexpected error in a resolver"]
    assert record.correlation_id == error["extensions"]["correlationId"]  # type: ignore[attr-defined]
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError


def test_an_invalid_document_is_a_graphql_error(invoke):
    body = json.loads(invoke(event(graphql_body("{ contract { nope } }")))["body"])
    assert "data" not in body  # a request error: execution never began
    assert {e["extensions"]["code"] for e in body["errors"]} == {"GRAPHQL_VALIDATION_FAILED"}


def test_a_batch_gets_one_answer_per_operation(invoke):
    batch = [{"query": "{ viewer { sub } }"}, {"query": "query($n: Int) { contracts(first: $n) { edges { cursor } } }"}]
    response = invoke(event(json.dumps(batch)))
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == [
        {"data": {"viewer": {"sub": "alice"}}},
        {"data": {"contracts": {"edges": []}}},
    ]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        ('"a string"', "application/json", 400),
        ("42", "application/json", 400),
        ("[]", "application/json", 400),
        ('[{"query": "{ viewer { sub } }"}, 7]', "application/json", 400),
        (json.dumps([{"query": "{ viewer { sub } }"}] * 11), "application/json", 400),
        ("{}", "application/json", 400),
        ('{"query": 1}', "application/json", 400),
        ('{"query": "{ viewer { sub } }", "variables": []}', "application/json", 400),
        ('{"query": "{ viewer { sub } }", "extensions": "x"}', "application/json", 400),
        ('{"query": "{ viewer { sub } }", "operationName": "Nope"}', "application/json", 400),
        (None, "application/json", 400),
        ('{"query": "{ viewer { sub } }"}', "text/plain", 415),
        (bytes(range(256)), "application/octet-stream", 415),
        ('{"query": "' + "x" * 1_000_001 + '"}', "application/json", 413),
    ],
)
def test_a_malformed_body_gets_a_4xx(invoke, body, content_type, status):
    response = invoke(event(body, content_type=content_type))
    assert response["statusCode"] == status, response
    assert response["body"] and "Traceback" not in response["body"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_only_get_and_post_are_served(invoke, method):
    # API Gateway routes GET and POST /graphql; anything else reaching the function is a client error.
    response = invoke(event(None, method=method))
    assert response["statusCode"] == 405
    assert header(response, "allow") == "GET, POST"
    assert '"data"' not in response["body"]


def test_a_get_without_a_query_is_a_bad_request(invoke):
    response = invoke(event(None, method="GET"))
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("claims", "body", "content_type"),
    [
        (ADMIN_CLAIMS, graphql_body("{ viewer { sub roles } }"), "application/json"),
        (ADMIN_CLAIMS, graphql_body("{ contracts(first: 2) { edges { node { id } } } }"), "application/json"),
        (ADMIN_CLAIMS, graphql_body("query($id: ID!) { contract(id: $id) { id } }", id="bad"), "application/json"),
        (ADMIN_CLAIMS, graphql_body("{ contract { nope } }"), "application/json"),
        (ADMIN_CLAIMS, graphql_body("{ contract(id: 1) { id ", id=1), "application/json"),
        (ADMIN_CLAIMS, graphql_body("query { viewer { sub } }", other=1), "application/json; charset=utf-8"),
        (None, graphql_body("{ contracts { edges { node { id } } } }"), "application/json"),
        (ADMIN_CLAIMS, "{not json", "application/json"),
        (ADMIN_CLAIMS, "[]", "application/json"),
        (ADMIN_CLAIMS, "{}", "application/json"),
        (ADMIN_CLAIMS, '{"query": "{ viewer { sub } }", "variables": []}', "application/json"),
        (ADMIN_CLAIMS, '{"query": "{ viewer { sub } }", "operationName": "Nope"}', "application/json"),
        (ADMIN_CLAIMS, '{"query": "{ viewer { sub } }"}', "text/plain"),
        (ADMIN_CLAIMS, json.dumps([{"query": "{ viewer { sub } }"}, {"query": "{ nope }"}]), "application/json"),
        (ADMIN_CLAIMS, json.dumps([{"query": "{ viewer { sub } }"}] * 11), "application/json"),
        (ADMIN_CLAIMS, json.dumps([{"query": "{ viewer { sub } }"}, {}]), "application/json"),
    ],
)
def test_lambda_answers_as_the_dev_server_view_does(invoke, dev_view, world, claims, body, content_type):
    lambda_response = invoke(event(body, claims=claims, content_type=content_type))
    view_response = dev_view(claims, body, content_type)
    assert lambda_response["statusCode"] == view_response.status_code
    assert header(lambda_response, "content-type") == view_response.headers["content-type"]
    if view_response.headers["content-type"] == "application/json":
        assert json.loads(lambda_response["body"]) == json.loads(view_response.body)


def test_an_idempotency_key_belongs_to_the_user_for_its_partner_and_client():
    from channelfin.api.http.guards import caller_scope

    base = {"sub": "u1", "custom:partner_id": "p1", "client_id": "front-end"}
    assert caller_scope(base) == caller_scope(dict(base))
    assert caller_scope(base) != caller_scope({**base, "custom:partner_id": "p2"})  # moved to another partner
    assert caller_scope(base) != caller_scope({**base, "client_id": "integrator"})  # same sub, other client
    assert caller_scope({"sub": "u1"}) != caller_scope(base)
