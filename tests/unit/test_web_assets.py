"""`channelfin dev` serves the built extranet at `/`, its routes as the app, and leaves the API alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from channelfin.api.http.persisted_queries import manifest_documents
from channelfin.local.web_assets import with_web_app


def _api() -> Starlette:
    async def graphql(_):
        return PlainTextResponse("the api")

    async def home(_):
        return PlainTextResponse("graphiql, redirected")

    async def graphiql_asset(request):
        return PlainTextResponse(f"graphiql's {request.path_params['name']}")

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/graphiql/assets/{name}", graphiql_asset),
            Route("/", home),
        ]
    )


def _dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("not served")
    return tmp_path


def test_the_app_its_routes_and_its_files_are_served(tmp_path):
    client = TestClient(with_web_app(_api(), _dist(tmp_path)))
    for path in ("/", "/contrats/Q29udHJhY3Q6MQ==", "/paiements"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<div id=root>" in page.text, path
        assert page.headers["cache-control"] == "no-cache"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    script = client.get("/assets/index-abc.js")
    assert script.text == "console.log(1)"
    assert "immutable" in script.headers["cache-control"]


def test_the_runtime_config_says_dev_sign_in_and_the_api_on_this_origin(tmp_path):
    config = TestClient(with_web_app(_api(), _dist(tmp_path))).get("/config.json")
    assert config.json() == {"apiUrl": "/graphql", "auth": {"mode": "dev"}}
    assert config.headers["cache-control"] == "no-store"


def test_the_api_paths_still_reach_the_api(tmp_path):
    client = TestClient(with_web_app(_api(), _dist(tmp_path)))
    assert client.get("/graphql").text == "the api"
    assert client.post("/graphql").text == "the api"
    assert client.get("/graphiql/assets/graphiql.js").text == "graphiql's graphiql.js"  # GraphiQL served offline


def test_missing_files_and_paths_outside_the_build_are_not_found(tmp_path):
    client = TestClient(with_web_app(_api(), _dist(tmp_path)))
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/favicon.png").status_code == 404
    assert "not served" not in client.get("/../secret.txt").text
    assert "not served" not in client.get("/assets/..%2f..%2fsecret.txt").text


def test_without_a_build_the_dev_server_is_as_before(tmp_path):
    client = TestClient(with_web_app(_api(), None))
    assert client.get("/").text == "graphiql, redirected"


SHIPPED = Path(__file__).resolve().parents[2] / "web" / "dist" / "persisted-documents.json"


@pytest.mark.skipif(not SHIPPED.exists(), reason="web/ is not built (scripts/setup builds it)")
def test_the_extranets_shipped_hashes_are_a_manifest_trust_documents_takes():
    documents = manifest_documents(json.loads(SHIPPED.read_text()))  # every hash its document's SHA-256
    assert len(documents) >= 12 and any(d.startswith("query Contracts(") for d in documents.values())
