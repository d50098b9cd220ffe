"""The dev server's front door: CORS as API Gateway's is configured, and dev tokens checked as its JWT authorizer would.

- CORS (Starlette's middleware): browsers on the allowed origins (`http://localhost:*` and
  `http://127.0.0.1:*` by default; `channelfin dev --cors-origin`) may call the API with
  `Authorization` and `Idempotency-Key` and read `Idempotent-Replayed`. Preflights are answered
  here, before the token check, as API Gateway answers them before its authorizer.
- Tokens: a request without a valid bearer token gets 401 and never reaches the schema, with
  `WWW-Authenticate: Bearer` saying why (RFC 6750: `error="invalid_token"` and a description
  telling an expired token from a malformed or forged one). The only exception is the GraphiQL
  page and its assets (a browser GET asking for HTML, without a query), which hold no data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from starlette.middleware.cors import CORSMiddleware

from channelfin.api.http.app import CLAIMS_SCOPE_KEY
from channelfin.api.http.idempotency import HEADER, REPLAYED_HEADER
from channelfin.local.tokens import InvalidToken, verify

Scope = dict[str, Any]
DEFAULT_CORS_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*")
CORS_MAX_AGE_SECONDS = 600
REALM = "channelfin"


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', "'") + '"'


async def _unauthorized(send: Any, message: str, problem: InvalidToken | None = None) -> None:
    challenge = f"Bearer realm={_quoted(REALM)}"
    if problem is not None:
        description = "the token has expired" if problem.expired else "the token is malformed or its signature is wrong"
        challenge += f", error={_quoted('invalid_token')}, error_description={_quoted(description)}"
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [(b"content-type", b"application/json"), (b"www-authenticate", challenge.encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def with_dev_tokens(app: Any, secret: str) -> Any:
    async def guarded(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/graphql"):
            await app(scope, receive, send)
            return
        authorization = _header(scope, b"authorization")
        if not authorization:
            if _is_graphiql(scope):
                await app(scope, receive, send)
                return
            await _unauthorized(send, "missing bearer token (see `channelfin token --help`)")
            return
        scheme, _, token = authorization.partition(" ")
        try:
            if scheme.lower() != "bearer" or not token:
                raise InvalidToken("not a bearer token")
            claims = verify(secret, token.strip())
        except InvalidToken as problem:
            message = "the bearer token has expired" if problem.expired else "invalid bearer token"
            await _unauthorized(send, message, problem)
            return
        await app({**scope, CLAIMS_SCOPE_KEY: claims}, receive, send)

    return guarded


def _is_graphiql(scope: Scope) -> bool:
    # (The page's scripts and stylesheet are under /graphiql/assets, which needs no token either.)
    return scope["method"] == "GET" and not scope.get("query_string") and "text/html" in _header(scope, b"accept")


def origin_pattern(origins: Iterable[str]) -> str:
    """One regular expression for the allowed origins; a trailing `:*` stands for any port (or none)."""
    alternatives = []
    for origin in origins:
        origin = origin.strip().rstrip("/")
        if origin.endswith(":*"):
            alternatives.append(re.escape(origin[:-2]) + r"(:\d+)?")
        elif origin:
            alternatives.append(re.escape(origin))
    return "^(" + "|".join(alternatives) + ")$" if alternatives else "^$"


def with_cors(app: Any, origins: Iterable[str] = DEFAULT_CORS_ORIGINS) -> Any:
    return CORSMiddleware(
        app,
        allow_origin_regex=origin_pattern(origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Accept", HEADER],
        expose_headers=[REPLAYED_HEADER],
        max_age=CORS_MAX_AGE_SECONDS,
    )
