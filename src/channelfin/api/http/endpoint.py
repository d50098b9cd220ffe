"""GraphQL over HTTP: the ASGI endpoint that runs what `RequestGuard` accepted through the schema.

One operation (a JSON object, or a GET's query string) or a batch (a list) comes in the scope,
already parsed and checked by the guard; the caller's claims are there too. Each operation
goes to the executor (`execution`: caches, limits, error codes, audit), by its text or by the
hash of a persisted query (`persisted_queries`). The answer is JSON in the media type the
client asked for, with the status code the GraphQL-over-HTTP spec gives it (`media`). A GET
runs queries only (a mutation gets 405) and its answer is `Cache-Control: private`. A GET
asking for HTML gets GraphiQL where it is enabled (the dev server, `graphiql`). Every
refusal is JSON with a stable code.

Why not Strawberry's HTTP view: it is built for many frameworks (request adapters, multipart,
subscriptions, streaming) and re-parses the body; in a warm Lambda it cost as much as a
tenth of a DynamoDB read per request, for none of what this API uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from graphql import ExecutionResult

from channelfin.api.core.context import Context
from channelfin.api.http import persisted_queries as apq
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
from channelfin.api.http.media import formatted, is_request_error, negotiate, status_of, wants_html
from channelfin.api.http.persisted_queries import PersistedQueries
from channelfin.services.ports import Ports

ALLOW = (b"allow", b"GET, POST")
PRIVATE = (b"cache-control", b"private")
GraphiQLPage = Callable[[], str]


def _checked(operation: Mapping[str, Any], *, by_hash: bool) -> tuple[str | None, dict[str, Any] | None, Any]:
    """The operation's query (None: by hash only), variables and name; `Malformed` when their shapes are wrong."""
    query, variables = operation.get("query"), operation.get("variables")
    if not (by_hash and query is None) and (not isinstance(query, str) or not query):
        raise Malformed("BAD_REQUEST", "no GraphQL query found in the request (`query` is a string)")
    if not isinstance(operation.get("operationName"), str | None):
        raise Malformed("BAD_REQUEST", "`operationName` is a string or null")
    if not isinstance(variables, dict | None):
        raise Malformed("BAD_REQUEST", "`variables` is an object or null")
    if not isinstance(operation.get("extensions"), dict | None):
        raise Malformed("BAD_REQUEST", "`extensions` is an object or null")
    return query, variables, operation.get("operationName")


class GraphQLEndpoint:
    def __init__(
        self,
        executor: Executor,
        ports: Ports,
        *,
        graphiql: GraphiQLPage | None,
        integration_clients: Mapping[str, str | None],
        persisted: PersistedQueries | None = None,
    ) -> None:
        self.executor = executor
        self.ports = ports
        self.graphiql = graphiql
        self.integration_clients = integration_clients
        self.persisted = persisted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        accept = header(scope, b"accept")
        if method == "GET" and self.graphiql and wants_html(accept) and OPERATIONS_SCOPE_KEY not in scope:
            await _send_html(send, self.graphiql())
            return
        if method not in ("GET", "POST"):
            await send_json(send, 405, error_body("METHOD_NOT_ALLOWED", "use GET (queries) or POST"), [ALLOW])
            return
        headers = [PRIVATE] if method == "GET" else []
        if OPERATIONS_SCOPE_KEY not in scope:
            message = "no GraphQL query found in the URL (`query`, or `extensions` with a persisted query's hash)"
            await send_json(send, 400, error_body("BAD_REQUEST", message), headers)
            return
        media = negotiate(accept)
        principal = principal_from_claims(scope.get(CLAIMS_SCOPE_KEY), self.integration_clients)
        context = Context.build(self.ports, principal)
        operations = scope[OPERATIONS_SCOPE_KEY]
        read_only = method == "GET"
        try:
            if isinstance(operations, list):
                # One context for the batch, as Strawberry's view does: its DataLoaders batch across operations.
                results = await asyncio.gather(*(self._execute(op, context, read_only) for op in operations))
                answer: Any = [formatted(r) for r in results]
                status = 200
            else:
                result = await self._execute(operations, context, read_only)
                answer, status = formatted(result), _status(result, media)
        except Malformed as refused:
            await send_json(send, refused.status, refused.answer, [*headers, *refused.headers], content_type=media)
            return
        await send_json(send, status, answer, headers, content_type=media)

    async def _execute(self, operation: Mapping[str, Any], context: Context, read_only: bool) -> ExecutionResult:
        sha = apq.requested_hash(operation)
        query, variables, operation_name = _checked(operation, by_hash=sha is not None)
        persisted = self.persisted
        if sha is not None and persisted is None:
            return apq.not_supported()
        if persisted is not None:
            if query is None:
                query = persisted.document(sha or "")
                if query is None:
                    return apq.not_found()
                sha = None  # known already: nothing to register
            elif sha is not None and apq.sha256_of(query) != sha:
                raise Malformed(apq.HASH_MISMATCH, "extensions.persistedQuery.sha256Hash is not the query's SHA-256")
            if not persisted.may_run(query, sha):
                return apq.not_trusted()
        assert query is not None  # by hash only when persisted queries are on (above)
        try:
            result = await self.executor.execute(
                query, context=context, variables=variables, operation_name=operation_name, read_only=read_only
            )
        except OperationRefused as refused:
            allow = [ALLOW] if refused.status == 405 else []
            raise Malformed(refused.code, str(refused), status=refused.status, headers=allow) from None
        if sha is not None and persisted is not None and not is_request_error(result):
            persisted.register(sha, query)
        return result


def _status(result: ExecutionResult, media: str) -> int:
    codes = {(e.extensions or {}).get("code") for e in result.errors or ()}
    if codes and codes <= apq.RETRY_CODES:
        return 200  # every client's persisted-query link retries on these only when they come as a 200
    return status_of(result, media)


async def _send_html(send: Send, page: str) -> None:
    body = page.encode()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


__all__ = ["GraphQLEndpoint"]
