"""The GraphQL endpoint behind its guards, without a router: what the GraphQL Lambda serves.

Kept apart from `app.py` (the dev server's Starlette app with the webhook route) so the Lambda's
init imports neither the webhook nor the e-signature adapters.
"""

from __future__ import annotations

from collections.abc import Mapping

from channelfin.api.http.compression import compressed
from channelfin.api.http.endpoint import GraphiQLPage, GraphQLEndpoint
from channelfin.api.http.execution import executor
from channelfin.api.http.failures import MaskingFailures
from channelfin.api.http.guards import ASGIApp, IdempotencyKeys, RequestGuard
from channelfin.api.http.idempotency import IdempotentRequests
from channelfin.api.http.limits import Limits
from channelfin.api.http.persisted_queries import PersistedQueries
from channelfin.services.ports import Ports


def guarded_endpoint(
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
    return guarded_endpoint(ports, None, limits or Limits(), idempotency, integration_clients, persisted)
