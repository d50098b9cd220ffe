"""Issue 18's acceptance with clients nobody here wrote, against `channelfin dev` over HTTP.

- the GraphQL-over-HTTP spec's audit suite (npm graphql-http `serverAudits`, run by Node):
  every MUST and SHOULD audit passes (and, as it happens, every MAY);
- Apollo Client 4 with its persisted-query link, hashed queries over GET: it lists contracts,
  and the second time only the hash travels;
- Python's gql, validating against the schema it fetched by introspection;
- headless Chromium on another origin: a fetch with Authorization and Idempotency-Key
  reaches the API (CORS preflight answered without a token) and reads Idempotent-Replayed.

The Node scripts are in tests/e2e/clients/ (README's Apollo snippet is apollo.mjs's client).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from channelfin.local.dynamodb_local import free_port
from tests import operations as ops
from tests.e2e.test_signing_in_browser import browser  # noqa: F401 (the fixture: Debian's Chromium)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = Path(__file__).resolve().parent / "clients"
README_URL = "http://127.0.0.1:8000/graphql"


def node(script: str, *args: str) -> object:
    done = subprocess.run(
        ["node", str(CLIENTS / script), *args], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def admin(dev_server):
    return dev_server.token("leaser-admin", sub="client-developer")


@pytest.fixture(scope="module")
def contracts(dev_server, admin):
    """Two contracts of one publisher, so the lists have something to show."""

    def register(name, roles):
        data = dev_server.gql(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": roles})
        return data["registerPartner"]["partner"]["id"]

    publisher = register("Éditeur des Clients", ["PUBLISHER"])
    owner = dev_server.token("partner-admin", partner=publisher, sub="client-owner")
    names = ["Boulangerie Apollo", "Fromagerie Gql"]
    for name in names:
        created = dev_server.gql(
            owner,
            ops.CREATE_CONTRACT,
            input={
                "ownerId": publisher,
                "publisherId": publisher,
                "customer": {"name": name, "registrationNumber": "552100554"},
                "periodicity": "MONTHLY",
                "termMonths": 12,
                "startDate": "2027-01-01",
                "softwareFee": "100.00",
                "supportFee": "10.00",
            },
        )["createContract"]
        assert created["userErrors"] == []
    return names


def test_the_graphql_over_http_audit_suite_passes(dev_server, admin):
    results = node("audit.mjs", dev_server.url, admin)
    levels = {level: [r for r in results if r["name"].startswith(level + " ")] for level in ("MUST", "SHOULD", "MAY")}
    assert len(levels["MUST"]) == 13 and len(levels["SHOULD"]) >= 20, [r["name"] for r in results]
    failed = [f"{r['id']} {r['name']}: {r['reason']}" for r in results if r["status"] != "ok"]
    assert failed == []


def test_apollo_lists_contracts_and_the_second_time_only_the_hash_travels(dev_server, admin, contracts):
    outcome = node("apollo.mjs", dev_server.url, admin)
    first, second = outcome["pages"]
    assert set(contracts) <= set(first) and second == first
    requests = outcome["requests"]
    [hash_] = {r["hash"] for r in requests}
    assert hash_ and len(hash_) == 64
    # First list: the hash alone over GET is unknown, so the link sends the query once (POST) and it is kept.
    assert [(r["method"], r["sentQuery"]) for r in requests] == [("GET", False), ("POST", True), ("GET", False)]


def test_gql_validates_against_the_fetched_schema_and_runs_a_query(dev_server, admin, contracts):
    from gql import Client, gql
    from gql.transport.httpx import HTTPXTransport
    from graphql import GraphQLError

    sent = []
    transport = HTTPXTransport(
        url=dev_server.url,
        headers={"Authorization": f"Bearer {admin}"},
        event_hooks={"request": [lambda request: sent.append(request.url)]},
    )
    client = Client(transport=transport, fetch_schema_from_transport=True)
    with client as session:
        query = gql(
            "query Contracts($first: Int!) { contracts(first: $first) { edges { node { id customer { name } } } } }"
        )
        query.variable_values = {"first": 10}
        result = session.execute(query)
        names = [edge["node"]["customer"]["name"] for edge in result["contracts"]["edges"]]
        assert set(contracts) <= set(names)
        requests_so_far = len(sent)
        with pytest.raises(GraphQLError, match="Cannot query field 'nope'"):
            session.execute(gql("{ contracts { nope } }"))
        assert len(sent) == requests_so_far  # refused by gql itself, against the schema: never sent


def readme_snippet(language: str) -> str:
    """The one `language` code block of README's "For client developers", as a developer would copy it."""
    section = (ROOT / "README.md").read_text().split("\n## For client developers\n", 1)[1].split("\n## ", 1)[0]
    [snippet] = re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)
    assert README_URL in snippet
    return snippet


def test_the_readme_apollo_snippet_lists_contracts(dev_server, admin, contracts):
    snippet = readme_snippet("js").replace(README_URL, dev_server.url)
    script = f"const token = {json.dumps(admin)};\n{snippet}\nconsole.log(JSON.stringify(data));"
    done = subprocess.run(
        ["node", "--input-type=module", "--eval", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(contracts) <= {edge["node"]["customer"]["name"] for edge in data["contracts"]["edges"]}


def test_the_readme_gql_snippet_lists_contracts(dev_server, admin, contracts):
    names: dict[str, object] = {"token": admin}
    exec(readme_snippet("python").replace(README_URL, dev_server.url), names)  # noqa: S102 (our README's snippet)
    assert set(contracts) <= {edge["node"]["customer"]["name"] for edge in names["contracts"]}  # type: ignore[attr-defined]


def test_a_contract_for_financing_without_siren_is_refused_and_a_draft_may_wait_for_it(dev_server, admin):
    registered = dev_server.gql(
        admin, ops.REGISTER_PARTNER, input={"name": "Éditeur Sans SIREN", "roles": ["PUBLISHER"]}
    )
    publisher = registered["registerPartner"]["partner"]["id"]
    owner = dev_server.token("partner-admin", partner=publisher, sub="siren-owner")
    fields = {
        "ownerId": publisher,
        "publisherId": publisher,
        "customer": {"name": "Client à identifier"},
        "periodicity": "MONTHLY",
        "termMonths": 12,
        "startDate": "2027-01-01",
        "softwareFee": "100.00",
        "supportFee": "10.00",
    }
    refused = dev_server.gql(owner, ops.CREATE_CONTRACT, input=fields)["createContract"]
    assert refused["contract"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("SIREN_REQUIRED", ["input", "customer", "registrationNumber"])
    ]
    listed = dev_server.gql(owner, ops.CONTRACTS)["contracts"]["edges"]
    assert listed == []  # nothing was written
    draft = dev_server.gql(owner, ops.CREATE_CONTRACT, input={**fields, "forFinancing": False})["createContract"]
    assert draft["userErrors"] == [] and draft["contract"]["status"] == "DRAFT"


def test_a_query_over_get_is_private_and_a_large_answer_compressed(dev_server, admin):
    response = httpx.get(
        dev_server.url,
        params={"query": "{ __schema { types { name fields { name } } } }"},
        headers={"Authorization": f"Bearer {admin}", "Accept-Encoding": "br"},
        timeout=30,
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "private"
    assert response.headers["content-encoding"] == "br"
    assert int(response.headers["content-length"]) * 2 < len(response.content)  # decoded by httpx: over twice as big
    assert response.json()["data"]["__schema"]["types"]


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory):
    """An empty page on another port: http://localhost:<port> is another origin than the API's 127.0.0.1."""
    folder = tmp_path_factory.mktemp("front-end")
    (folder / "index.html").write_text("<!doctype html><title>front-end</title><p>a partner front-end</p>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


FETCH_TWICE = """async ([url, token, query]) => {
  const send = () => fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Authorization": `Bearer ${token}`,
      "Idempotency-Key": "browser-order-1",
    },
    body: JSON.stringify({ query, variables: { input: { name: "Revendeur du Navigateur", roles: ["RESELLER"] } } }),
  });
  const answers = [];
  for (const response of [await send(), await send()]) {
    answers.push({
      status: response.status,
      replayed: response.headers.get("Idempotent-Replayed"),
      id: (await response.json()).data.registerPartner.partner.id,
    });
  }
  return { origin: window.location.origin, answers };
}"""


def test_a_browser_on_another_origin_sends_an_idempotency_key_and_reads_the_replay(
    dev_server,
    admin,
    other_origin,
    browser,  # noqa: F811
):
    page = browser.new_context().new_page()
    try:
        page.goto(other_origin)
        outcome = page.evaluate(FETCH_TWICE, [dev_server.url, admin, ops.REGISTER_PARTNER])
    finally:
        page.context.close()
    assert outcome["origin"] == other_origin
    first, again = outcome["answers"]
    assert (first["status"], again["status"]) == (200, 200)
    assert first["id"] == again["id"]  # one partner registered, the retry replayed
    assert (first["replayed"], again["replayed"]) == (None, "true")


def test_the_preflight_needs_no_token_and_names_what_browsers_may_send(dev_server, other_origin):
    response = httpx.options(
        dev_server.url,
        headers={
            "Origin": other_origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
        timeout=10,
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == other_origin
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "idempotency-key", "content-type"} <= allowed


def test_an_expired_token_and_a_malformed_one_are_told_apart(dev_server):
    expired = subprocess.run(
        [
            *(sys.executable, "-m", "channelfin.cli", "token", "--role", "leaser-admin"),
            *("--ttl", "-60", "--data-dir", str(dev_server.data_dir)),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    challenges = {}
    for name, token in {"expired": expired, "malformed": "not.a.jwt"}.items():
        response = dev_server.post(token, "{ viewer { sub } }")
        assert response.status_code == 401 and "data" not in response.json()
        challenges[name] = response.headers["www-authenticate"]
    assert challenges["expired"] == (
        'Bearer realm="channelfin", error="invalid_token", error_description="the token has expired"'
    )
    assert 'error="invalid_token"' in challenges["malformed"] and "malformed" in challenges["malformed"]
    assert httpx.post(dev_server.url, json={"query": "{ viewer { sub } }"}).headers["www-authenticate"] == (
        'Bearer realm="channelfin"'
    )


def test_graphiql_and_its_assets_come_from_the_dev_server(dev_server):
    page = httpx.get(dev_server.url, headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "unpkg.com" not in page.text and "cdn" not in page.text.lower()
    for asset in ("react.js", "react-dom.js", "graphiql.js", "graphiql.css"):
        response = httpx.get(f"http://127.0.0.1:{dev_server.port}/graphiql/assets/{asset}", timeout=10)
        assert response.status_code == 200 and len(response.content) > 5_000, asset


def test_graphiql_renders_in_a_browser_that_can_reach_nothing_but_the_dev_server(dev_server, browser):  # noqa: F811
    page = browser.new_context().new_page()
    elsewhere = []

    def local_only(route):
        if route.request.url.startswith(f"http://127.0.0.1:{dev_server.port}/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    try:
        page.route("**/*", local_only)
        page.goto(dev_server.url)
        page.locator(".graphiql-container").wait_for(timeout=20_000)
        assert page.locator(".graphiql-query-editor").count() == 1
    finally:
        page.context.close()
    assert elsewhere == []
