"""ASGI guards in front of the GraphQL endpoint, for Lambda and the dev server alike.

- `RequestGuard`: a request body above the limit (1 MB by default) gets 413 before any
  parsing, whether or not the client announced its length; a POST that is not JSON, not
  UTF-8, not an operation object (or a batch of them), nested too deep for the parser, or a
  batch above the limit gets 400 — always as JSON with a stable code, never a 500. A GET
  carries one operation in its query string (`query`, `operationName`, and `variables` and
  `extensions` as JSON). What it accepted is parsed once and handed on in the scope
  (`OPERATIONS_SCOPE_KEY`).
- `IdempotencyKeys`: a POST with an `Idempotency-Key` header runs once per caller and key;
  retries get the first answer back (see `idempotency.py`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from channelfin.api.http.idempotency import HEADER, REPLAYED_HEADER, IdempotentRequests
from channelfin.api.http.media import negotiate

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CLAIMS_SCOPE_KEY = "channelfin.claims"


def caller_scope(claims: dict[str, Any]) -> str:
    """Whose key an Idempotency-Key is: the user, for the partner and client it acts through.

    A user moved to another partner, or the same sub issued by two clients, must never get
    the other one's stored answer.
    """
    parts = (claims.get("sub"), claims.get("custom:partner_id"), claims.get("client_id") or claims.get("aud"))
    return "|".join(str(p or "") for p in parts)


OPERATIONS_SCOPE_KEY = "channelfin.operations"


async def send_json(
    send: Send,
    status: int,
    body: Any,
    extra_headers: Sequence[tuple[bytes, bytes]] = (),
    content_type: str = "application/json",
) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*headers, *extra_headers]})
    await send({"type": "http.response.body", "body": payload})


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class Malformed(Exception):
    """The request cannot be run as sent (not JSON operations, wrong shapes, no such operation): a 4xx with a code."""

    def __init__(
        self, code: str, message: str, *, status: int = 400, headers: Sequence[tuple[bytes, bytes]] = ()
    ) -> None:
        super().__init__(message)
        self.answer = error_body(code, message)
        self.status = status
        self.headers = list(headers)


def _json_parameter(value: str, name: str) -> Any:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        raise Malformed("BAD_REQUEST", f"`{name}` is a JSON object in the URL") from None
    if not isinstance(parsed, dict | None):
        raise Malformed("BAD_REQUEST", f"`{name}` is a JSON object in the URL")
    return parsed


def operation_from_query_string(query_string: bytes) -> dict[str, Any] | None:
    """A GET's operation (`application/x-www-form-urlencoded` parameters), or None when it names none."""
    try:
        params = parse_qs(query_string.decode("utf-8", errors="strict"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise Malformed("BAD_REQUEST", "the query string is not UTF-8") from None
    if "query" not in params and "extensions" not in params:
        return None
    if any(len(values) > 1 for values in params.values()):
        raise Malformed("BAD_REQUEST", "each parameter appears once in the URL")
    operation: dict[str, Any] = {"query": params["query"][0]} if "query" in params else {}
    if "operationName" in params:
        operation["operationName"] = params["operationName"][0] or None
    for name in ("variables", "extensions"):
        if name in params:
            operation[name] = _json_parameter(params[name][0], name)
    return operation


def parse_operations(body: bytes, max_batch: int) -> dict[str, Any] | list[dict[str, Any]]:
    """The body's operation (an object) or batch (a list of them); `Malformed` when it is neither."""
    try:
        parsed = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Malformed("BAD_REQUEST", "the request body is not UTF-8") from None
    except RecursionError:
        raise Malformed("BAD_REQUEST", "the request body is nested too deeply") from None
    except ValueError:
        raise Malformed("BAD_REQUEST", "the request body is not valid JSON") from None
    operations = parsed if isinstance(parsed, list) else [parsed]
    if not operations or not all(isinstance(op, dict) for op in operations):
        raise Malformed("BAD_REQUEST", 'the body is an object {"query": ..., "variables": ...} or a list of them')
    if len(operations) > max_batch:
        raise Malformed("TOO_MANY_OPERATIONS", f"{len(operations)} operations in one request; at most {max_batch}")
    return parsed


class RequestGuard:
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_batch: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_batch = max_batch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = error_body("REQUEST_TOO_LARGE", f"the request body is over {self.max_bytes} bytes")
        declared = header(scope, b"content-length")
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
        if scope.get("method") == "GET":
            try:
                operation = operation_from_query_string(scope.get("query_string") or b"")
            except Malformed as problem:
                await send_json(send, problem.status, problem.answer)
                return
            if operation is not None:
                scope[OPERATIONS_SCOPE_KEY] = operation
        elif scope.get("method") == "POST":
            content_type = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
            if content_type != "application/json":
                await send_json(send, 415, error_body("UNSUPPORTED_MEDIA_TYPE", "send application/json"))
                return
            try:
                # Parsed once, here: the endpoint executes what the guard accepted.
                scope[OPERATIONS_SCOPE_KEY] = parse_operations(body, self.max_batch)
            except Malformed as problem:
                await send_json(send, problem.status, problem.answer)
                return
        await self.app(scope, receive, send)  # the body is read: what follows uses OPERATIONS_SCOPE_KEY


class _NotKept(Exception):
    """The downstream answer was not a 200: Powertools must forget the key (a retry runs again)."""


class IdempotencyKeys:
    def __init__(self, app: ASGIApp, requests: IdempotentRequests | None) -> None:
        self.app = app
        self.requests = requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope, HEADER.encode()) if scope["type"] == "http" else None
        claims = scope.get(CLAIMS_SCOPE_KEY) or {}
        if key is None or self.requests is None or scope.get("method") != "POST" or not claims.get("sub"):
            await self.app(scope, receive, send)  # no key, or nobody to scope it to (the app says 401)
            return
        body = scope.get(OPERATIONS_SCOPE_KEY)
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
            answer = await self.requests.run(key=key, caller=caller_scope(claims), body=body, execute=execute)
        except _NotKept:
            await send({"type": "http.response.start", "status": captured["status"], "headers": captured["headers"]})
            await send({"type": "http.response.body", "body": captured["body"]})
            return
        replayed = [(REPLAYED_HEADER.encode(), b"true")] if answer.replayed else []
        await send_json(send, answer.status, answer.body, replayed, content_type=negotiate(header(scope, b"accept")))
