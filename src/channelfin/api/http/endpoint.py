"""GraphQL over HTTP: the ASGI endpoint that runs what `RequestGuard` accepted through the schema.

One operation (a JSON object) or a batch (a list) comes in the scope, already parsed and
checked by the guard; the caller's claims are there too. Each operation goes to the
executor (`execution`: caches, limits, error codes, audit); the answer is Strawberry's own
`process_result`, as JSON. A GET asking for HTML gets GraphiQL where it
is enabled (the dev server). Every refusal is JSON with a stable code.

Why not Strawberry's HTTP view: it is built for many frameworks (request adapters, multipart,
subscriptions, streaming) and re-parses the body; in a warm Lambda it cost as much as a
tenth of a DynamoDB read per request, for none of what this API uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from strawberry.http import process_result
from strawberry.http.ides import get_graphql_ide_html

from channelfin.api.core.context import Context
from channelfin.api.http.auth import principal_from_claims
from channelfin.api.http.execution import Executor, OperationRefused
from channelfin.api.http.guards import (
    CLAIMS_SCOPE_KEY,
    OPERATIONS_SCOPE_KEY,
    Malformed,
    Receive,
    Scope,
    Send,
    error_body,
    header,
    send_json,
)
from channelfin.services.ports import Ports


def _checked(operation: Mapping[str, Any]) -> tuple[str, dict[str, Any] | None, Any]:
    """The operation's query, variables and name; `Malformed` when their shapes are wrong."""
    query, variables = operation.get("query"), operation.get("variables")
    if not isinstance(query, str) or not query:
        raise Malformed("BAD_REQUEST", "no GraphQL query found in the request (`query` is a string)")
    if not isinstance(variables, dict | None):
        raise Malformed("BAD_REQUEST", "`variables` is an object or null")
    if not isinstance(operation.get("extensions"), dict | None):
        raise Malformed("BAD_REQUEST", "`extensions` is an object or null")
    return query, variables, operation.get("operationName")


class GraphQLEndpoint:
    def __init__(
        self, executor: Executor, ports: Ports, *, graphiql: bool, integration_clients: Mapping[str, str | None]
    ) -> None:
        self.executor = executor
        self.ports = ports
        self.graphiql = graphiql
        self.integration_clients = integration_clients

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if method == "GET" and self.graphiql and "text/html" in (header(scope, b"accept") or ""):
            await _send_html(send, get_graphql_ide_html("graphiql"))
            return
        if method != "POST" or OPERATIONS_SCOPE_KEY not in scope:
            await send_json(send, 405, error_body("METHOD_NOT_ALLOWED", "send GraphQL operations with POST"))
            return
        principal = principal_from_claims(scope.get(CLAIMS_SCOPE_KEY), self.integration_clients)
        context = Context.build(self.ports, principal)
        operations = scope[OPERATIONS_SCOPE_KEY]
        try:
            if isinstance(operations, list):
                # One context for the batch, as Strawberry's view does: its DataLoaders batch across operations.
                results = await asyncio.gather(*(self._execute(op, context) for op in operations))
                answer: Any = [process_result(r) for r in results]
            else:
                answer = process_result(await self._execute(operations, context))
        except Malformed as refused:
            await send_json(send, 400, refused.answer)
            return
        await send_json(send, 200, answer)

    async def _execute(self, operation: Mapping[str, Any], context: Context) -> Any:
        query, variables, operation_name = _checked(operation)
        try:
            return await self.executor.execute(
                query, context=context, variables=variables, operation_name=operation_name
            )
        except OperationRefused as refused:
            raise Malformed(refused.code, str(refused)) from None


async def _send_html(send: Send, page: str) -> None:
    body = page.encode()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


__all__ = ["GraphQLEndpoint"]
