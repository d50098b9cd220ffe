"""Fuzzing the GraphQL endpoint of a running `channelfin dev` (hardening).

Schemathesis loads the schema by introspection from the server under test and generates
documents for every query and mutation field, valid ones (positive) and schema-violating
ones (negative), sent with a `leaser-admin` token, a `partner-user` token and no token.
Identifiers seen in successful responses (and those of a small seeded world) are fed back
into the generated arguments, so mutations also reach real partners, agreements and
contracts instead of stopping at `INVALID_ID`.

The promise checked on every response: never a 5xx, always JSON, every error carries a
stable `extensions.code`, and no bug (`INTERNAL_ERROR`) or internals (stack traces, file
paths, AWS client errors) show through. Hand-written hostile bodies follow: each gets a
4xx and runs nothing.

The budget is per operation (see `BUDGETS`) and the generation is derandomized, so a run
is reproducible; `CHANNELFIN_FUZZ_FACTOR=5` multiplies it for a deeper local run.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import graphql
import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.graphql import nodes

from tests import operations as ops
from tests.e2e.conftest import DevServer

pytestmark = pytest.mark.e2e

# Examples per operation: (positive, negative). 43 operations at the time of writing.
BUDGETS = {
    "leaser-admin": (10, 3),
    "partner-user": (6, 2),
    "anonymous": (2, 1),
}
FACTOR = float(os.environ.get("CHANNELFIN_FUZZ_FACTOR", "1"))

# Decimals travel as strings: well-formed amounts and rates, and what a careless client sends.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(min_value=-(10**12), max_value=10**12, places=2).map(str),
        st.sampled_from(
            ["0", "0.06", "-0", "1e999", "NaN", "Infinity", "-Infinity", "0.001", "1,5", "", " 1 ", "１２"]
        ),
        st.text(max_size=16),
    ).map(nodes.String),
)

# What must never reach a client: a stack trace, a source path, the AWS SDK or the ORM talking.
LEAK = re.compile(
    r"Traceback \(most recent call last\)|File \"/|site-packages|/src/channelfin|botocore|boto3|pynamodb"
    r"|ClientError|ResourceNotFoundException|ConditionalCheckFailed|ValidationException|DynamoDB",
)


@dataclass
class Exchange:
    """One generated request and what the server answered."""

    operation: str
    mode: str
    query: str
    status: int
    body: bytes

    def describe(self) -> str:
        text = self.body.decode("utf-8", "replace")
        return f"[{self.operation}, {self.mode}] POST {{'query': {self.query!r}}} -> {self.status} {text[:600]}"


@dataclass
class FuzzRun:
    principal: str
    exchanges: list[Exchange] = field(default_factory=list)

    def parsed(self) -> Iterator[tuple[Exchange, Any]]:
        for exchange in self.exchanges:
            try:
                yield exchange, json.loads(exchange.body)
            except ValueError:
                yield exchange, None

    def server_errors(self) -> list[Exchange]:
        return [e for e in self.exchanges if e.status >= 500]

    def not_json(self) -> list[Exchange]:
        return [e for e, payload in self.parsed() if not isinstance(payload, dict)]

    def errors_without_code(self) -> list[str]:
        found = []
        for exchange, payload in self.parsed():
            for error in (payload or {}).get("errors") or []:
                if not isinstance(error, dict) or not (error.get("extensions") or {}).get("code"):
                    found.append(f"{exchange.describe()}\n    error without a code: {error!r}")
        return found

    def internal_errors(self) -> list[str]:
        found = []
        for exchange, payload in self.parsed():
            for error in (payload or {}).get("errors") or []:
                if isinstance(error, dict) and (error.get("extensions") or {}).get("code") == "INTERNAL_ERROR":
                    found.append(exchange.describe())
        return found

    def leaks(self) -> list[Exchange]:
        return [e for e in self.exchanges if LEAK.search(e.body.decode("utf-8", "replace"))]

    def codes(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, payload in self.parsed():
            for error in (payload or {}).get("errors") or []:
                code = str(((error or {}).get("extensions") or {}).get("code"))
                counts[code] = counts.get(code, 0) + 1
        return counts


def _parse_operation(document: str) -> graphql.OperationDefinitionNode:
    return next(d for d in graphql.parse(document).definitions if isinstance(d, graphql.OperationDefinitionNode))


@pytest.fixture(scope="module")
def world(dev_server: DevServer) -> dict[str, Any]:
    """A few real entities, and the documents that created them (their ids prime the fuzzers' pool)."""
    admin = dev_server.token("leaser-admin", sub="fuzz-admin")
    seen: list[tuple[str, dict[str, Any]]] = []

    def run(token: str, document: str, **variables: Any) -> dict[str, Any]:
        data = dev_server.gql(token, document, **variables)
        seen.append((document, data))
        return data

    def register(name: str, *roles: str) -> str:
        data = run(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})
        return data["registerPartner"]["partner"]["id"]

    leaser = register("Fuzz Leaser", "LEASER")
    publisher = register("Fuzz Publisher", "PUBLISHER")
    reseller = register("Fuzz Reseller", "RESELLER")
    dev_server.link(publisher, reseller)  # so the publisher may name it on its contracts
    run(
        admin,
        ops.SIGN_AGREEMENT,
        input={"partnerId": publisher, "leaserId": leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )
    publisher_admin = dev_server.token("partner-admin", partner=publisher)
    run(
        publisher_admin,
        ops.CREATE_CONTRACT,
        input={
            "ownerId": publisher,
            "publisherId": publisher,
            "resellerId": reseller,
            "customer": {"name": "Boulangerie Fuzz", "registrationNumber": "552100554"},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": "1000.00",
            "supportFee": "150.00",
        },
    )
    run(publisher_admin, ops.CREATE_PROGRAM, input={"publisherId": publisher, "name": "Fuzz", "entryFeeRate": "0.03"})
    return {"admin": admin, "publisher": publisher, "seen": seen}


@pytest.fixture(scope="module")
def schema(dev_server: DevServer, world: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {world['admin']}"}
    return schemathesis.graphql.from_url(dev_server.url, headers=headers, timeout=30)


def _fuzz(schema: Any, world: dict[str, Any], principal: str, token: str | None) -> FuzzRun:
    positive, negative = (max(1, round(n * FACTOR)) for n in BUDGETS[principal])
    pool = schema.create_extra_data_source()
    for document, data in world["seen"]:
        pool.capture(operation_node=_parse_operation(document), response_data=data)
    feedback = FeedbackSources(extra_data_source=pool)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    run = FuzzRun(principal)
    with requests.Session() as session:

        def fuzz(operation: Any, mode: GenerationMode, examples: int) -> None:
            @given(case=operation.as_strategy(generation_mode=mode, feedback=feedback))
            @settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: everything is recorded, not raised
                suppress_health_check=[
                    HealthCheck.too_slow,
                    HealthCheck.filter_too_much,
                    HealthCheck.data_too_large,
                    HealthCheck.large_base_example,
                ],
            )
            def send(case: Any) -> None:
                response = case.call(session=session, headers=headers, timeout=30)
                pool.record_response(operation=operation, response=response, case=case)
                run.exchanges.append(
                    Exchange(operation.label, mode.value, str(case.body), response.status_code, response.content)
                )

            send()

        for result in schema.get_all_operations():
            operation = result.ok()
            fuzz(operation, GenerationMode.POSITIVE, positive)
            fuzz(operation, GenerationMode.NEGATIVE, negative)
    return run


@pytest.fixture(scope="module")
def admin_run(schema, world) -> FuzzRun:
    return _fuzz(schema, world, "leaser-admin", world["admin"])


@pytest.fixture(scope="module")
def partner_run(dev_server, schema, world) -> FuzzRun:
    return _fuzz(schema, world, "partner-user", dev_server.token("partner-user", partner=world["publisher"]))


@pytest.fixture(scope="module")
def anonymous_run(schema, world) -> FuzzRun:
    return _fuzz(schema, world, "anonymous", None)


def _lines(items: list[Any]) -> str:
    return "\n".join(item if isinstance(item, str) else item.describe() for item in items[:20])


def _ran(payload: Any) -> bool:
    """A mutation answered without errors, its payload selected with `userErrors: []`."""
    if not isinstance(payload, dict) or payload.get("errors") or not payload.get("data"):
        return False
    return any(isinstance(v, dict) and v.get("userErrors") == [] for v in payload["data"].values())


def _assert_sound(run: FuzzRun) -> None:
    assert run.exchanges, "schemathesis generated nothing"
    operations = {e.operation for e in run.exchanges}
    assert any(o.startswith("Query.") for o in operations) and any(o.startswith("Mutation.") for o in operations)
    assert not run.server_errors(), "5xx:\n" + _lines(run.server_errors())
    assert not run.not_json(), "not JSON:\n" + _lines(run.not_json())
    assert not run.leaks(), "internals leaked:\n" + _lines(run.leaks())
    assert not run.internal_errors(), "INTERNAL_ERROR (a bug behind the mask):\n" + _lines(run.internal_errors())
    assert not run.errors_without_code(), "errors without extensions.code:\n" + _lines(run.errors_without_code())


def test_fuzzed_documents_as_leaser_admin(admin_run):
    _assert_sound(admin_run)
    # Generated mutations got past the refusals and changed something, not only `INVALID_ID`.
    succeeded = {
        e.operation for e, payload in admin_run.parsed() if e.operation.startswith("Mutation.") and _ran(payload)
    }
    assert succeeded, "no generated mutation ever ran to success"


def test_fuzzed_documents_as_partner_user(partner_run):
    _assert_sound(partner_run)


def test_fuzzed_documents_without_a_token_get_401(anonymous_run):
    _assert_sound(anonymous_run)
    assert {e.status for e in anonymous_run.exchanges} == {401}
    assert set(anonymous_run.codes()) == {"UNAUTHENTICATED"}
    assert not any(b'"data"' in e.body for e in anonymous_run.exchanges)


# --- Hostile bodies, by hand -------------------------------------------------------------------


def _partner_names(server: DevServer, token: str) -> list[str]:
    names: list[str] = []
    after = None
    query = """query($after: String) { partners(first: 100, after: $after) {
        edges { node { name } } pageInfo { hasNextPage endCursor } } }"""
    while True:
        page = server.gql(token, query, after=after)["partners"]
        names += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return names
        after = page["pageInfo"]["endCursor"]


def _register_document(name: str) -> str:
    return f'mutation {{ registerPartner(input: {{name: "{name}", roles: [RESELLER]}}) {{ partner {{ id }} }} }}'


def _post(server: DevServer, token: str, content: bytes, content_type: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return httpx.post(server.url, content=content, headers=headers, timeout=60)


def _register_json(name: str) -> bytes:
    return json.dumps({"query": _register_document(name)}).encode()


# (id, body made from a unique partner name, content type, marks). Bodies that hold a document
# register a partner with that name, so "ran nothing" is checked by looking for it.
HOSTILE_BODIES: list[tuple[str, Any, str | None, Any]] = [
    ("malformed-json", lambda n: b'{"query": "' + _register_document(n).encode(), "application/json", ()),
    ("random-bytes-octet-stream", lambda n: random.Random(8).randbytes(4096), "application/octet-stream", ()),
    ("utf16-bom-garbage", lambda n: b"\xff\xfe\x00garbage", "application/json", ()),
    (
        "random-bytes-as-json",
        lambda n: random.Random(7).randbytes(4096),
        "application/json",
        (),
    ),
    (
        "non-utf8-byte-in-json",
        lambda n: _register_json(n)[:-1] + b', "x": "\xe9"}',
        "application/json",
        (),
    ),
    ("empty-body", lambda n: b"", "application/json", ()),
    ("empty-body-no-content-type", lambda n: b"", None, ()),
    (
        "2MB-document",
        lambda n: json.dumps({"query": _register_document(n) + "\n#" + "x" * 2_000_000}).encode(),
        "application/json",
        (),
    ),
    ("json-sent-as-text/plain", _register_json, "text/plain", ()),
    ("json-sent-as-form-urlencoded", _register_json, "application/x-www-form-urlencoded", ()),
    ("json-sent-as-xml", _register_json, "application/xml", ()),
    ("json-sent-as-multipart", _register_json, "multipart/form-data; boundary=x", ()),
    ("raw-document-as-application/graphql", lambda n: _register_document(n).encode(), "application/graphql", ()),
    ("json-null", lambda n: b"null", "application/json", ()),
    (
        "json-string",
        lambda n: b'"{ viewer { sub } }"',
        "application/json",
        (),
    ),
    ("json-number", lambda n: b"1", "application/json", ()),
    (
        "batch-of-non-objects",
        lambda n: b"[null, 1]",
        "application/json",
        (),
    ),
    (
        "deeply-nested-json",
        lambda n: b'{"query": "{ viewer { sub } }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
        "application/json",
        (),
    ),
]


def _hostile(with_marks: bool) -> list[Any]:
    return [
        pytest.param(make_body, content_type, id=name, marks=marks if with_marks else ())
        for name, make_body, content_type, marks in HOSTILE_BODIES
    ]


@pytest.mark.parametrize(("make_body", "content_type"), _hostile(with_marks=False))
def test_hostile_body_runs_nothing(dev_server, world, make_body, content_type):
    name = f"Hostile {uuid.uuid4().hex[:12]}"
    response = _post(dev_server, world["admin"], make_body(name), content_type)
    assert not LEAK.search(response.text), response.text[:2000]
    if response.headers.get("content-type", "").startswith("application/json"):
        payload = response.json()
        assert not (isinstance(payload, dict) and payload.get("data")), payload
    assert name not in _partner_names(dev_server, world["admin"])


@pytest.mark.parametrize(("make_body", "content_type"), _hostile(with_marks=True))
def test_hostile_body_gets_a_4xx(dev_server, world, make_body, content_type):
    response = _post(dev_server, world["admin"], make_body("Hostile"), content_type)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])


def test_batch_of_200_operations_runs_at_most_ten(dev_server, world):
    prefix = f"Batch {uuid.uuid4().hex[:8]}"
    batch = [{"query": _register_document(f"{prefix} {i:03d}")} for i in range(200)]
    response = httpx.post(
        dev_server.url, json=batch, headers={"Authorization": f"Bearer {world['admin']}"}, timeout=120
    )
    assert response.status_code < 500, response.text[:500]
    assert not LEAK.search(response.text), response.text[:2000]
    ran = [n for n in _partner_names(dev_server, world["admin"]) if n.startswith(prefix)]
    assert len(ran) <= 10, f"{len(ran)} of the 200 batched mutations ran"
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])


# --- What a deeper fuzz run found (CHANNELFIN_FUZZ_FACTOR=4), pinned at the default budget -------

# `sort_stamp` (now in store.dynamo) formatted with strftime("%Y..."), which does not pad years below
# 1000 ("999-01-01T..."), so those stamps sort after every 4-digit year in DynamoDB's string keys.


def test_partner_statement_from_before_year_1000_is_not_a_bug(dev_server, world):
    response = dev_server.post(
        world["admin"],
        "query($p: ID!, $from: DateTime!, $to: DateTime!) { partnerStatement(partnerId: $p, from: $from, to: $to)"
        " { net { amount } } }",
        p=world["publisher"],
        **{"from": "0999-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
    )
    assert response.status_code == 200
    codes = [e["extensions"]["code"] for e in response.json().get("errors", [])]
    assert "INTERNAL_ERROR" not in codes, response.text


@pytest.fixture
def scheduled_commission(dev_server, world) -> dict[str, str]:
    """A program whose prescriber's commission is SCHEDULED, due about now (set up outside the xfail)."""
    s, admin = dev_server, world["admin"]

    def register(name: str, role: str) -> str:
        data = s.gql(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": [role]})
        return data["registerPartner"]["partner"]["id"]

    publisher = register("Settle Publisher", "PUBLISHER")
    prescriber = register("Settle Prescriber", "PRESCRIBER")
    publisher_admin = s.token("partner-admin", partner=publisher)
    program = s.gql(
        publisher_admin, ops.CREATE_PROGRAM, input={"publisherId": publisher, "name": "Settle", "entryFeeRate": "0.03"}
    )["createPartnerProgram"]["program"]["id"]
    enrollment = s.gql(
        publisher_admin, ops.ENROLL, input={"programId": program, "partnerId": prescriber, "tier": "PRESCRIBER"}
    )["enrollPartner"]["enrollment"]["id"]
    s.accept_enrollment(enrollment, prescriber)
    contract = s.gql(
        publisher_admin,
        ops.CREATE_CONTRACT,
        input={
            "ownerId": publisher,
            "publisherId": publisher,
            "customer": {"name": "Client", "registrationNumber": "552100554"},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": "400.00",
            "supportFee": "100.00",
            "enrollmentId": enrollment,
        },
    )["createContract"]["contract"]["id"]
    signed = s.gql(
        s.token("integration"),
        ops.RECORD_SIGNATURE,
        input={"contractId": contract, "document": "SALE_CONTRACT", "signedBy": "Client"},
    )["recordSignature"]
    assert signed["userErrors"] == []
    # Settling "up to year 2000" rightly pays nothing: the commission is due about now.
    early = s.gql(publisher_admin, ops.SETTLE, input={"programId": program, "upTo": "2000-01-01T00:00:00Z"})
    assert early["settleCommissions"]["settled"] == []
    return {"program": program, "token": publisher_admin}


def test_settle_commissions_up_to_year_999_pays_nothing(dev_server, scheduled_commission):
    ancient = dev_server.gql(
        scheduled_commission["token"],
        ops.SETTLE,
        input={"programId": scheduled_commission["program"], "upTo": "0999-12-31T00:00:00Z"},
    )
    assert ancient["settleCommissions"]["settled"] == [], ancient
