"""The ASGI application: the GraphQL endpoint at /graphql behind its guards, shared by Lambda and dev.

Who the caller is comes from `scope["channelfin.claims"]`, put there by whoever verified
the token: API Gateway's JWT authorizer (copied by the Lambda handler) or the dev
server's token check. No claims, no data.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from channelfin.api.http import esign_webhook
from channelfin.api.http.compression import compressed
from channelfin.api.http.endpoint import GraphiQLPage, GraphQLEndpoint
from channelfin.api.http.execution import executor
from channelfin.api.http.failures import MaskingFailures
from channelfin.api.http.guards import CLAIMS_SCOPE_KEY, ASGIApp, IdempotencyKeys, RequestGuard
from channelfin.api.http.idempotency import IdempotentRequests
from channelfin.api.http.limits import Limits
from channelfin.api.http.persisted_queries import PersistedQueries
from channelfin.services.ports import Ports

__all__ = ["CLAIMS_SCOPE_KEY", "create_app", "create_graphql_app"]


async def _health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _home(_: Request) -> RedirectResponse:
    return RedirectResponse("/graphql")


def _guarded(
    ports: Ports,
    graphiql: GraphiQLPage | None,
    limits: Limits,
    idempotency: IdempotentRequests | None,
    integration_clients: Mapping[str, str | None] | None,
    persisted: PersistedQueries | None,
) -> ASGIApp:
    """The endpoint behind its guards: failures masked, answers compressed, body size and shape, idempotency keys."""
    endpoint = GraphQLEndpoint(
        executor(limits),
        ports,
        graphiql=graphiql,
        integration_clients=integration_clients or {},
        persisted=persisted,
    )
    guarded = RequestGuard(
        IdempotencyKeys(endpoint, idempotency), max_bytes=limits.max_body_bytes, max_batch=limits.max_batch
    )
    return MaskingFailures(compressed(guarded))


def esign_webhook_route(ports: Ports, secret: str) -> Route:
    """`POST /webhooks/esign` (its own Lambda in AWS, see handlers/esign_webhook.py)."""

    async def webhook(request: Request) -> JSONResponse:
        body = await request.body()
        status, answer = esign_webhook.receive(
            ports, secret=secret, headers=dict(request.headers), body=body, now=ports.clock()
        )
        return JSONResponse(answer, status_code=status)

    return Route("/webhooks/esign", webhook, methods=["POST"])


def create_app(
    ports: Ports,
    *,
    graphiql: GraphiQLPage | None = None,
    limits: Limits | None = None,
    idempotency: IdempotentRequests | None = None,
    integration_clients: Mapping[str, str | None] | None = None,
    persisted: PersistedQueries | None = None,
    esign_secret: str = "",
    extra_routes: list[Route] | None = None,
) -> Starlette:
    """The dev server's app: /graphql (GET and POST), /health, the webhook, and what the local stack adds."""
    endpoint = _guarded(ports, graphiql, limits or Limits(), idempotency, integration_clients, persisted)
    return Starlette(
        routes=[
            Route("/", _home),
            Route("/health", _health),
            Route("/graphql", endpoint),  # every method: the endpoint answers the others 405, as JSON with Allow
            esign_webhook_route(ports, esign_secret),
            *(extra_routes or []),
        ]
    )


def create_graphql_app(
    ports: Ports,
    *,
    limits: Limits | None = None,
    idempotency: IdempotentRequests | None = None,
    integration_clients: Mapping[str, str | None] | None = None,
    persisted: PersistedQueries | None = None,
) -> ASGIApp:
    """Just the GraphQL endpoint, for Lambda: API Gateway routes /graphql here, so no router is needed.

    No GraphiQL: its assets are served by the dev server from node_modules, which Lambda has not.
    """
    return _guarded(ports, None, limits or Limits(), idempotency, integration_clients, persisted)
