"""The GraphQL Lambda: API Gateway (HTTP API, JWT authorizer) → Mangum → the ASGI app.

The app is built on the first invocation, not at import, so the cold start only pays for
imports; later invocations of the same container reuse it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths

logger = Logger(service="channelfin")
_asgi_handler: Any = None


def _claims_from_authorizer(app: Any) -> Any:
    """Copy the claims API Gateway's JWT authorizer verified into the ASGI scope."""

    async def with_claims(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            event = scope.get("aws.event") or {}
            authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
            scope["channelfin.claims"] = (authorizer.get("jwt") or {}).get("claims")
        await app(scope, receive, send)

    return with_claims


def lambda_adapter(app: Any) -> Any:
    """Mangum around the ASGI app, with the claims of API Gateway's JWT authorizer in its scope."""
    from mangum import Mangum

    return Mangum(_claims_from_authorizer(app), lifespan="off")


def _build() -> Any:
    from channelfin.api.http.app import create_graphql_app
    from channelfin.bootstrap import Settings, build_idempotency, build_persisted_queries, build_ports

    settings = Settings.from_env()
    if not settings.cursor_secret:
        logger.warning("CHANNELFIN_CURSOR_SECRET is not set: cursors work only on the instance that issued them")
    # The bare GraphQL endpoint behind its guards: Starlette's router and middleware cost ~0.3 ms
    # a request for nothing here.
    ports = build_ports(settings)
    app = create_graphql_app(
        ports,
        limits=settings.limits,
        idempotency=build_idempotency(settings),
        integration_clients=settings.integration_clients,
        persisted=build_persisted_queries(settings),
    )
    return lambda_adapter(app)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _asgi_handler
    if _asgi_handler is None:
        _asgi_handler = _build()
    return _asgi_handler(event, context)
