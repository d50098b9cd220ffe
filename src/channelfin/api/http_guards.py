"""ASGI guards in front of the GraphQL endpoint, for Lambda and the dev server alike.

- `RequestGuard`: a request body above the limit (1 MB by default) gets 413 before any
  parsing, whether or not the client announced its length; a POST that is not JSON, not
  UTF-8, not an operation object (or a batch of them), nested too deep for the parser, or a
  batch above the limit gets 400 — always as JSON with a stable code, never a 500.
- `IdempotencyKeys`: a POST with an `Idempotency-Key` header runs once per caller and key;
  retries get the first answer back (see `idempotency.py`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .idempotency import HEADER, REPLAYED_HEADER, IdempotentRequests

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CLAIMS_SCOPE_KEY = "channelfin.claims"


async def send_json(send: Send, status: int, body: Any, extra_headers: list[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*headers, *extra_headers]})
    await send({"type": "http.response.body", "body": payload})


def _error(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _malformed(body: bytes, max_batch: int) -> dict[str, Any] | None:
    """Why the body is not a GraphQL request over JSON, or None when it is one."""
    try:
        parsed = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return _error("BAD_REQUEST", "the request body is not UTF-8")
    except RecursionError:
        return _error("BAD_REQUEST", "the request body is nested too deeply")
    except ValueError:
        return _error("BAD_REQUEST", "the request body is not valid JSON")
    operations = parsed if isinstance(parsed, list) else [parsed]
    if not operations or not all(isinstance(op, dict) for op in operations):
        return _error("BAD_REQUEST", 'the body is an object {"query": ..., "variables": ...} or a list of them')
    if len(operations) > max_batch:
        return _error("TOO_MANY_OPERATIONS", f"{len(operations)} operations in one request; at most {max_batch}")
    return None


class RequestGuard:
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_batch: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_batch = max_batch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = _error("REQUEST_TOO_LARGE", f"the request body is over {self.max_bytes} bytes")
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await send_json(send, 413, too_large)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away: nothing to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_json(send, 413, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if scope.get("method") == "POST":
            content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
            if content_type != "application/json":
                await send_json(send, 415, _error("UNSUPPORTED_MEDIA_TYPE", "send application/json"))
                return
            problem = _malformed(body, self.max_batch)
            if problem is not None:
                status = 400
                await send_json(send, status, problem)
                return
        scope["channelfin.body"] = body
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class _NotKept(Exception):
    """The downstream answer was not a 200: Powertools must forget the key (a retry runs again)."""


class IdempotencyKeys:
    def __init__(self, app: ASGIApp, requests: IdempotentRequests | None) -> None:
        self.app = app
        self.requests = requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER.encode()) if scope["type"] == "http" else None
        claims = scope.get(CLAIMS_SCOPE_KEY) or {}
        if key is None or self.requests is None or scope.get("method") != "POST" or not claims.get("sub"):
            await self.app(scope, receive, send)  # no key, or nobody to scope it to (the app says 401)
            return
        try:
            body = json.loads(scope.get("channelfin.body") or b"")
        except ValueError:
            await self.app(scope, receive, send)  # malformed: the endpoint answers 400, nothing to keep
            return
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers") or [])
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")

        async def execute() -> dict[str, Any]:
            await self.app(scope, receive, capture)
            if captured["status"] != 200:
                raise _NotKept()
            return json.loads(captured["body"])

        try:
            answer = await self.requests.run(key=key, caller=str(claims["sub"]), body=body, execute=execute)
        except _NotKept:
            await send({"type": "http.response.start", "status": captured["status"], "headers": captured["headers"]})
            await send({"type": "http.response.body", "body": captured["body"]})
            return
        replayed = [(REPLAYED_HEADER.encode(), b"true")] if answer.replayed else []
        await send_json(send, answer.status, answer.body, replayed)
