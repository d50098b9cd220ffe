"""GraphiQL for the dev server, served from the project's own node_modules: no CDN, so it works offline.

The npm packages `graphiql` (its browser build), `react` and `react-dom` (their UMD builds)
are devDependencies in package.json with exact versions; `scripts/setup` installs them with
the rest (`npm ci`). The page loads them from `/graphiql/assets/…`, which this module serves
with FileResponse, each name mapped to one file (nothing else under node_modules is reachable).
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

ASSETS = {
    "react.js": ("react", "umd/react.production.min.js"),
    "react-dom.js": ("react-dom", "umd/react-dom.production.min.js"),
    "graphiql.js": ("graphiql", "graphiql.min.js"),
    "graphiql.css": ("graphiql", "graphiql.min.css"),
}
PREFIX = "/graphiql/assets"

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>channelfin — GraphiQL</title>
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="{prefix}/graphiql.css" />
    <script src="{prefix}/react.js"></script>
    <script src="{prefix}/react-dom.js"></script>
    <script src="{prefix}/graphiql.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: window.location.origin + "/graphql" });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultEditorToolsVisibility: true,
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: true,
          defaultHeaders: '{"Authorization": "Bearer <the token channelfin dev printed>"}',
          defaultQuery: "{ viewer { sub roles } }",
        }),
      );
    </script>
  </body>
</html>
"""


def page() -> str:
    return PAGE.replace("{prefix}", PREFIX)


def find_node_modules(start: Path | None = None) -> Path | None:
    """The `node_modules` holding graphiql: `CHANNELFIN_NODE_MODULES`, else above the working directory or this file."""
    if os.environ.get("CHANNELFIN_NODE_MODULES"):
        return Path(os.environ["CHANNELFIN_NODE_MODULES"])
    for origin in (Path(start or Path.cwd()).resolve(), Path(__file__).resolve().parent):
        for folder in (origin, *origin.parents):
            if (folder / "node_modules" / "graphiql" / "package.json").is_file():
                return folder / "node_modules"
    return None


def missing_assets(node_modules: Path | None) -> list[str]:
    if node_modules is None:
        return [f"{package}/{path}" for package, path in ASSETS.values()]
    return [f"{package}/{path}" for package, path in ASSETS.values() if not (node_modules / package / path).is_file()]


def asset_routes(node_modules: Path | None) -> list[Route]:
    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        file = node_modules / ASSETS[name][0] / ASSETS[name][1] if node_modules and name in ASSETS else None
        if file is None or not file.is_file():
            return PlainTextResponse("no such asset (run scripts/setup: npm ci installs GraphiQL)", status_code=404)
        return FileResponse(file, headers={"cache-control": "public, max-age=3600"})

    return [Route(PREFIX + "/{name}", asset, methods=["GET"])]
