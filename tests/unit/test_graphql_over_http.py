"""GraphQL over HTTP as the spec says, through the Lambda handler with API Gateway v2 events (in-memory ports).

Media types and their status codes, `data` absent on request errors, GET for queries only,
Apollo's automatic persisted queries and trusted documents, compression, and the correlation
id of an internal error in its log line. tests/e2e/test_clients_over_http.py runs the
graphql-http audit suite, Apollo Client, gql and a browser against `channelfin dev`.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import io
import json
from typing import Any
from urllib.parse import urlencode

import brotli
import pytest

from channelfin.api.http.app import create_graphql_app
from channelfin.api.http.persisted_queries import PersistedQueries, manifest_documents
from channelfin.handlers import graphql as graphql_handler
from tests import operations as ops
from tests.fakes import FakePersistedQueries
from tests.unit.test_lambda_handler import LambdaContext, event, graphql_body

SPEC = "application/graphql-response+json"
VIEWER = "{ viewer { sub } }"


def sha(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def headers_of(response: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in response["headers"].items()}


def body_of(response: dict[str, Any]) -> Any:
    raw = base64.b64decode(response["body"]) if response.get("isBase64Encoded") else response["body"].encode()
    encoding = headers_of(response).get("content-encoding")
    if encoding == "br":
        raw = brotli.decompress(raw)
    elif encoding == "gzip":
        raw = gzip.decompress(raw)
    return json.loads(raw)


def get_event(params: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    found = event(None, method="GET", **kwargs)
    found["rawQueryString"] = urlencode(params)
    return found


@pytest.fixture
def store():
    return FakePersistedQueries()


@pytest.fixture
def serve(ports, monkeypatch):
    """Call the Lambda handler on an app built with these options (persisted queries on the fake store)."""
    loop = asyncio.new_event_loop()

    def build(**options: Any):
        app = create_graphql_app(ports, **options)
        monkeypatch.setattr(graphql_handler, "_asgi_handler", graphql_handler.lambda_adapter(app))

        def invoke(lambda_event: dict[str, Any]) -> dict[str, Any]:
            asyncio.set_event_loop(loop)
            return graphql_handler.handler(lambda_event, LambdaContext())

        return invoke

    yield build
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def invoke(serve, store):
    return serve(persisted=PersistedQueries(store))


# --- media types and status codes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (SPEC, SPEC),
        (f"{SPEC}, application/json;q=0.9", SPEC),  # Apollo Client's
        (f"application/json, {SPEC};q=0.5", "application/json"),
        ("text/plain", "application/json"),  # nothing we have: the spec allows the default
    ],
)
def test_the_answer_comes_in_the_media_type_the_client_prefers(invoke, accept, media):
    response = invoke(event(graphql_body(VIEWER), headers={"accept": accept} if accept else {}))
    assert response["statusCode"] == 200
    assert headers_of(response)["content-type"] == media
    assert body_of(response) == {"data": {"viewer": {"sub": "alice"}}}


REQUEST_ERRORS = {
    "parse": ("{ viewer { sub }", {}, "GRAPHQL_PARSE_FAILED"),
    "validation": ("{ viewer { nope } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    "variables": ("query($id: ID!) { contract(id: $id) { id } }", {"id": None}, "GRAPHQL_VALIDATION_FAILED"),
    "limit": ("{ " + " ".join(f"a{k}: viewer {{ sub }}" for k in range(16)) + " }", {}, "TOO_MANY_ALIASES"),
}


@pytest.mark.parametrize("kind", REQUEST_ERRORS)
def test_a_request_error_is_400_without_data_under_the_spec_media_type(invoke, kind):
    query, variables, code = REQUEST_ERRORS[kind]
    response = invoke(event(graphql_body(query, **variables), headers={"accept": SPEC}))
    assert response["statusCode"] == 400
    assert headers_of(response)["content-type"] == SPEC
    answer = body_of(response)
    assert "data" not in answer and [e["extensions"]["code"] for e in answer["errors"]] == [code]


@pytest.mark.parametrize("kind", REQUEST_ERRORS)
def test_a_request_error_is_200_without_data_under_plain_json(invoke, kind):
    query, variables, code = REQUEST_ERRORS[kind]
    response = invoke(event(graphql_body(query, **variables), headers={"accept": "application/json"}))
    assert response["statusCode"] == 200
    answer = body_of(response)
    assert "data" not in answer and [e["extensions"]["code"] for e in answer["errors"]] == [code]


def test_a_field_error_keeps_its_data_and_200_under_the_spec_media_type(invoke, world):
    contract = world.create_contract()
    response = invoke(event(graphql_body(ops.CONTRACT, id=contract["id"]), claims=None, headers={"accept": SPEC}))
    assert response["statusCode"] == 200
    assert body_of(response)["data"] == {"contract": None}


def test_malformed_http_is_400_under_either_media_type(invoke):
    for accept in (SPEC, "application/json"):
        response = invoke(event("{ not json", headers={"accept": accept}))
        assert response["statusCode"] == 400


# --- GET ----------------------------------------------------------------------------------------


def test_a_query_over_get_is_answered_privately_cacheable(invoke, world):
    contract = world.create_contract()
    params = {"query": ops.CONTRACT, "variables": json.dumps({"id": contract["id"]})}
    response = invoke(get_event(params))
    assert response["statusCode"] == 200
    assert headers_of(response)["cache-control"] == "private"
    assert body_of(response)["data"]["contract"]["id"] == contract["id"]


def test_a_mutation_over_get_is_405_and_changes_nothing(invoke, world):
    params = {"query": ops.CREATE_CONTRACT, "variables": json.dumps({"input": world.contract_input()})}
    response = invoke(get_event(params, headers={"accept": SPEC}))
    assert response["statusCode"] == 405
    assert headers_of(response)["allow"] == "GET, POST"
    assert body_of(response)["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    listed = body_of(invoke(event(graphql_body("{ contracts { edges { node { id } } } }"))))
    assert listed["data"]["contracts"]["edges"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"query": VIEWER, "variables": "{not json"},
        {"query": VIEWER, "variables": "[1]"},
        {"query": VIEWER, "extensions": "7"},
    ],
)
def test_get_parameters_that_are_not_json_objects_are_a_bad_request(invoke, params):
    response = invoke(get_event(params))
    assert response["statusCode"] == 400
    assert body_of(response)["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


# --- automatic persisted queries -------------------------------------------------------------------


def persisted(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha(query)}}


def test_an_unknown_hash_asks_for_the_query_and_the_second_time_the_hash_suffices(invoke, store):
    by_hash = {"extensions": json.dumps(persisted(VIEWER))}
    for accept in ("application/json", SPEC):
        missed = invoke(get_event(by_hash, headers={"accept": accept}))
        assert missed["statusCode"] == 200  # Apollo's link falls back on this, whatever the media type
        assert body_of(missed) == {
            "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
        }
    registered = invoke(event(json.dumps({"query": VIEWER, "extensions": persisted(VIEWER)})))
    assert body_of(registered) == {"data": {"viewer": {"sub": "alice"}}}
    assert store.get(sha(VIEWER)).document == VIEWER

    again = invoke(get_event(by_hash))
    assert again["statusCode"] == 200 and body_of(again) == {"data": {"viewer": {"sub": "alice"}}}


def test_another_instance_finds_the_document_in_the_shared_store(serve, store):
    first, second = serve(persisted=PersistedQueries(store)), serve(persisted=PersistedQueries(store))
    first(event(json.dumps({"query": VIEWER, "extensions": persisted(VIEWER)})))
    assert body_of(second(get_event({"extensions": json.dumps(persisted(VIEWER))}))) == {
        "data": {"viewer": {"sub": "alice"}}
    }


def test_a_hash_that_is_not_the_query_s_is_refused_and_nothing_is_kept(invoke, store):
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": sha("{ other }")}}
    response = invoke(event(json.dumps({"query": VIEWER, "extensions": wrong})))
    assert response["statusCode"] == 400
    assert body_of(response)["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert store.items == {}


def test_an_invalid_document_is_not_kept(invoke, store):
    query = "{ viewer { nope } }"
    invoke(event(json.dumps({"query": query, "extensions": persisted(query)})))
    assert store.items == {}


@pytest.mark.parametrize(
    "extension",
    [{"version": 2, "sha256Hash": sha(VIEWER)}, {"version": 1, "sha256Hash": "abc"}, {"version": 1}, "x"],
)
def test_a_malformed_persisted_query_extension_is_a_bad_request(invoke, extension):
    response = invoke(event(json.dumps({"extensions": {"persistedQuery": extension}})))
    assert response["statusCode"] == 400
    assert body_of(response)["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_INVALID"


def test_without_a_store_persisted_queries_are_not_supported(serve):
    invoke = serve()
    answer = body_of(invoke(get_event({"extensions": json.dumps(persisted(VIEWER))})))
    assert answer["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


def test_with_trusted_documents_only_those_registered_ahead_run(serve, store):
    trusted = manifest_documents(
        {
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [{"id": sha(VIEWER), "name": "Viewer", "type": "query", "body": VIEWER}],
        }
    )
    for hash_, document in trusted.items():
        store.put(hash_, document, ttl_seconds=None, trusted=True)
    invoke = serve(persisted=PersistedQueries(store, trusted_only=True))
    assert body_of(invoke(get_event({"extensions": json.dumps(persisted(VIEWER))}))) == {
        "data": {"viewer": {"sub": "alice"}}
    }
    assert body_of(invoke(event(graphql_body(VIEWER)))) == {"data": {"viewer": {"sub": "alice"}}}

    other = "{ viewer { roles } }"
    for request in (graphql_body(other), json.dumps({"query": other, "extensions": persisted(other)})):
        response = invoke(event(request, headers={"accept": SPEC}))
        assert response["statusCode"] == 400
        assert body_of(response)["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_TRUSTED"
    assert sha(other) not in store.items


def test_an_automatic_query_never_replaces_a_trusted_document(store):
    store.put(sha(VIEWER), VIEWER, ttl_seconds=None, trusted=True)
    store.put(sha(VIEWER), VIEWER, ttl_seconds=60)
    assert store.get(sha(VIEWER)).trusted


def test_a_manifest_whose_hash_is_not_its_document_s_is_refused():
    with pytest.raises(ValueError, match="not the SHA-256"):
        manifest_documents({sha("{ a }"): "{ b }"})


# --- compression ----------------------------------------------------------------------------------


def big_query() -> str:
    return "{ __schema { types { name description } } }"  # tens of kilobytes


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_answers_above_a_kilobyte_are_compressed_as_accepted(invoke, encoding):
    plain = invoke(event(graphql_body(big_query())))
    assert "content-encoding" not in headers_of(plain) and len(plain["body"]) > 1024
    response = invoke(event(graphql_body(big_query()), headers={"accept-encoding": f"{encoding}, identity"}))
    assert headers_of(response)["content-encoding"] == encoding
    assert response["isBase64Encoded"] is True
    assert len(base64.b64decode(response["body"])) < len(plain["body"]) / 3  # 16 KB of prose: about 3.6 times smaller
    assert body_of(response) == json.loads(plain["body"])


def test_small_answers_are_not_compressed(invoke):
    response = invoke(event(graphql_body(VIEWER), headers={"accept-encoding": "br, gzip"}))
    assert "content-encoding" not in headers_of(response)


# --- internal errors -----------------------------------------------------------------------------


@pytest.fixture
def log_lines():
    """The Lambda handler's Powertools log lines, as JSON."""
    handler = graphql_handler.logger.registered_handler
    buffer = io.StringIO()
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    handler.setStream(previous)  # type: ignore[attr-defined]


def test_a_resolver_bug_s_correlation_id_is_the_request_s_and_in_its_log_line(
    invoke, world, ports, monkeypatch, log_lines
):
    contract = world.create_contract()
    monkeypatch.setattr(ports.contracts, "get", lambda _id: 1 / 0)
    request = event(graphql_body(ops.CONTRACT, id=contract["id"]))
    request["requestContext"]["requestId"] = "Jx1abcdEFgHIJ="
    (error,) = body_of(invoke(request))["errors"]
    assert error["extensions"]["correlationId"] == "Jx1abcdEFgHIJ="
    [line] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert line["correlation_id"] == "Jx1abcdEFgHIJ=" and "ZeroDivisionError" in line["exception"]


def test_a_failure_outside_the_resolvers_is_a_masked_500_whose_id_is_logged(serve, log_lines):
    class BrokenStore(FakePersistedQueries):
        def get(self, sha256: str) -> Any:
            raise ConnectionError("the table's endpoint is unreachable")

    invoke = serve(persisted=PersistedQueries(BrokenStore()))
    response = invoke(get_event({"extensions": json.dumps(persisted(VIEWER))}))
    assert response["statusCode"] == 500
    (error,) = body_of(response)["errors"]
    assert error["extensions"]["code"] == "INTERNAL_ERROR" and "unreachable" not in response["body"]
    [line] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert line["correlation_id"] == error["extensions"]["correlationId"]
    assert "ConnectionError" in line["exception"]


def test_persisted_documents_are_fetched_once_per_instance(store):
    reads = []

    class CountingStore(FakePersistedQueries):
        def get(self, sha256: str) -> Any:
            reads.append(sha256)
            return super().get(sha256)

    counting = CountingStore()
    counting.put(sha(VIEWER), VIEWER, ttl_seconds=60)
    queries = PersistedQueries(counting)
    assert [queries.document(sha(VIEWER)) for _ in range(3)] == [VIEWER] * 3
    assert reads == [sha(VIEWER)]
