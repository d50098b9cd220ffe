"""The partner extranet's built files (`web/dist`, made by `scripts/setup`), served by `channelfin dev` at `/`.

Everything but the API's own paths is the single-page app: a file of the build when there is
one, `index.html` for the app's routes (`/contrats/…`), and `/config.json`, the runtime settings
the app reads at start (in AWS, CloudFront answers it with the deployed stack's values). When
the extranet is not built, requests go on to the API app as before (`/` leads to GraphiQL).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from starlette.responses import FileResponse, Response

Scope = dict[str, Any]

API_PATHS = ("/graphql", "/graphiql/", "/health", "/webhooks/", "/esign/")
# The same policy CloudFront sends (serverless.yml), with the API on this origin.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


def web_dist_dir() -> Path | None:
    """`$CHANNELFIN_WEB_DIST`, else the checkout's `web/dist`; None while it holds no build."""
    configured = os.environ.get("CHANNELFIN_WEB_DIST")
    dist = Path(configured) if configured else Path(__file__).resolve().parents[3] / "web" / "dist"
    return dist if (dist / "index.html").is_file() else None


def _is_api(path: str) -> bool:
    return any(path == prefix.rstrip("/") or path.startswith(prefix) for prefix in API_PATHS)


def with_web_app(app: Any, dist: Path | None, *, api_url: str = "/graphql") -> Any:
    config = json.dumps({"apiUrl": api_url, "auth": {"mode": "dev"}}).encode()
    root = dist.resolve() if dist else None

    async def serve(scope: Scope, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or _is_api(path) or root is None:
            await app(scope, receive, send)
            return
        if path == "/config.json":
            response: Response = Response(config, media_type="application/json", headers={"cache-control": "no-store"})
        else:
            response = _file(root, path)
        await response(scope, receive, send)

    return serve


def _file(root: Path, path: str) -> Response:
    wanted = (root / path.lstrip("/")).resolve()
    if wanted.is_relative_to(root) and wanted.is_file():
        # Hashed names never change content; anything else is checked again each time.
        cache = "public, max-age=31536000, immutable" if path.startswith("/assets/") else "no-cache"
        return FileResponse(wanted, headers={"cache-control": cache, **SECURITY_HEADERS})
    if "." in path.rsplit("/", 1)[-1]:
        return Response("not found", status_code=404, media_type="text/plain")
    # One of the app's routes: the app itself, which routes in the browser.
    return FileResponse(root / "index.html", headers={"cache-control": "no-cache", **SECURITY_HEADERS})
