"""The dev server's front door: checks dev tokens the way API Gateway's JWT authorizer would.

A request without a valid bearer token gets 401 and never reaches the schema; the only
exception is the GraphiQL page itself (a browser GET asking for HTML), which holds no data.
"""

from __future__ import annotations

import json
from typing import Any

from channelfin.api.http.app import CLAIMS_SCOPE_KEY
from channelfin.local.tokens import InvalidToken, verify

Scope = dict[str, Any]


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


async def _unauthorized(send: Any, message: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
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
            if scope["method"] == "GET" and "text/html" in _header(scope, b"accept"):
                await app(scope, receive, send)  # the GraphiQL page
                return
            await _unauthorized(send, "missing bearer token (see `channelfin token --help`)")
            return
        scheme, _, token = authorization.partition(" ")
        try:
            if scheme.lower() != "bearer" or not token:
                raise InvalidToken("not a bearer token")
            claims = verify(secret, token.strip())
        except InvalidToken:
            await _unauthorized(send, "invalid or expired bearer token")
            return
        await app({**scope, CLAIMS_SCOPE_KEY: claims}, receive, send)

    return guarded
