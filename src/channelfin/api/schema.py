"""The executable schema: `schema` is what the Lambda handler, the dev server and the export serve."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from .errors import ErrorPolicy
from .mutations import Mutation
from .queries import Query
from .scalars import SCALAR_MAP
from .types import Contract, FinancingAgreement, Partner, Payout


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Client errors are answers, not incidents: `ErrorPolicy` logs the bugs, with their correlation id."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    types=[Partner, FinancingAgreement, Contract, Payout],
    extensions=[ErrorPolicy],
    config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALAR_MAP),
)
