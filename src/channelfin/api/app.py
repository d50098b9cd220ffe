"""The ASGI application: Strawberry's GraphQL endpoint at /graphql, shared by Lambda and dev.

Who the caller is comes from `scope["channelfin.claims"]`, put there by whoever verified
the token: API Gateway's JWT authorizer (copied by the Lambda handler) or the dev
server's token check. No claims, no data.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from ..services.ports import Ports
from .auth import principal_from_claims
from .context import Context
from .schema import schema

CLAIMS_SCOPE_KEY = "channelfin.claims"


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(self, ports: Ports, *, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=False)
        self.ports = ports

    async def get_context(self, request: Any, response: Any) -> Context:
        claims = request.scope.get(CLAIMS_SCOPE_KEY)
        return Context.build(self.ports, principal_from_claims(claims), request, response)


async def _health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _home(_: Request) -> RedirectResponse:
    return RedirectResponse("/graphql")


def create_app(ports: Ports, *, graphiql: bool = True) -> Starlette:
    endpoint = GraphQLEndpoint(ports, graphiql=graphiql)
    return Starlette(
        routes=[
            Route("/", _home),
            Route("/health", _health),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
        ]
    )


def create_graphql_app(ports: Ports, *, graphiql: bool = False) -> GraphQLEndpoint:
    """Just the GraphQL endpoint, for Lambda: API Gateway routes /graphql here, so no router is needed."""
    return GraphQLEndpoint(ports, graphiql=graphiql)
