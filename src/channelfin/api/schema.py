"""The executable schema: `schema` is what the Lambda handler, the dev server and the export serve."""

from __future__ import annotations

from functools import cache

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from .escrow_types import EscrowAgreement
from .incentive_types import CreditLine, IncentiveCampaign
from .limits import Limits
from .mutations import Mutation
from .program_types import Enrollment, PartnerProgram
from .queries import Query
from .request_policy import RequestPolicy
from .scalars import SCALAR_MAP
from .types import Contract, FinancingAgreement, Partner, Payout


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Client errors are answers, not incidents: `RequestPolicy` codes them and logs the bugs.

        Parse errors (the parser cache raises them before any extension's result hook) reach
        the client through here only: give them their stable code too.
        """
        for error in errors:
            if not (error.extensions or {}).get("code") and error.message.startswith("Syntax Error"):
                code = "TOO_MANY_TOKENS" if "tokens" in error.message else "GRAPHQL_PARSE_FAILED"
                error.extensions = {**(error.extensions or {}), "code": code}


@cache
def make_schema(limits: Limits = Limits()) -> Schema:
    """The schema with the given limits (one per set of limits); `schema` below carries the defaults."""
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[
            Partner,
            FinancingAgreement,
            Contract,
            Payout,
            PartnerProgram,
            Enrollment,
            EscrowAgreement,
            CreditLine,
            IncentiveCampaign,
        ],
        extensions=[
            # DisableIntrospection adds its validation rule when the operation starts, before validation.
            *([] if limits.introspection else [DisableIntrospection]),
            lambda: RequestPolicy(limits=limits),
        ],
        # Batches are capped by the request guard (limits.max_batch), before anything is parsed.
        config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALAR_MAP),
    )


schema = make_schema()
