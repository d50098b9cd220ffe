"""The GraphQL endpoint behind its guards, without a router: what the GraphQL Lambda serves.

Kept apart from `app.py` (the dev server's Starlette app with the webhook route) so the Lambda's
init imports neither Starlette nor the e-signature adapters: about a tenth of its cold start.
"""

from __future__ import annotations

from collections.abc import Mapping

from channelfin.api.http.endpoint import GraphQLEndpoint
from channelfin.api.http.execution import executor
from channelfin.api.http.guards import ASGIApp, IdempotencyKeys, RequestGuard
from channelfin.api.http.idempotency import IdempotentRequests
from channelfin.api.http.limits import Limits
from channelfin.services.ports import Ports


def guarded_endpoint(
    ports: Ports,
    graphiql: bool,
    limits: Limits,
    idempotency: IdempotentRequests | None,
    integration_clients: Mapping[str, str | None] | None,
) -> ASGIApp:
    """The endpoint behind its guards: body size and shape first, then idempotency keys."""
    endpoint = GraphQLEndpoint(
        executor(limits), ports, graphiql=graphiql, integration_clients=integration_clients or {}
    )
    return RequestGuard(
        IdempotencyKeys(endpoint, idempotency), max_bytes=limits.max_body_bytes, max_batch=limits.max_batch
    )


def create_graphql_app(
    ports: Ports,
    *,
    graphiql: bool = False,
    limits: Limits | None = None,
    idempotency: IdempotentRequests | None = None,
    integration_clients: Mapping[str, str | None] | None = None,
) -> ASGIApp:
    """Just the GraphQL endpoint, for Lambda: API Gateway routes /graphql here, so no router is needed."""
    return guarded_endpoint(ports, graphiql, limits or Limits(), idempotency, integration_clients)
