"""Running one GraphQL operation: Strawberry's schema, executed by graphql-core, the API's rules around it.

- The document is parsed and validated once per text (front-ends and integrators send the
  same few documents again and again; validation was most of a warm request's own time),
  the parser stopping at the token limit.
- A valid document then meets the size, depth, aliases and cost limits (`query_limits`).
- Whatever happened, every error gets its stable code and bugs are masked and logged
  (`errors`); each root field of a mutation leaves an audit entry (`audit`).

Why not Strawberry's `Schema.execute`: its extension runner cost ~50 µs a request even for
`{ __typename }` (graphql-core alone: ~17 µs), a third of a warm request's own work, and
none of these rules needs it. The schema's types, resolvers, permissions and DataLoaders
are Strawberry's and run unchanged; validation runs graphql-core's rules and
Strawberry's own two, hiding field suggestions when introspection is off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache, lru_cache
from typing import Any, TypeGuard, cast

import strawberry
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from channelfin.api.core.context import Context
from channelfin.api.core.errors import with_codes
from channelfin.api.http.audit import record_mutations
from channelfin.api.http.limits import Limits
from channelfin.api.http.query_limits import limit_error
from channelfin.api.schema import schema as api_schema

# Strawberry's check, typed as the guard graphql-core's `execute` takes (it is one).
is_awaitable = cast(Callable[[Any], TypeGuard[Awaitable[Any]]], optimized_is_awaitable)

CACHED_DOCUMENTS = 256  # bounded: a hostile client cannot grow memory with unique documents
ALLOWED = (OperationType.QUERY, OperationType.MUTATION)  # this API has no subscriptions


class OperationRefused(Exception):
    """Not an operation this request can run (none by that name, a subscription, a mutation in a GET): a 4xx."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _parsed(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _validated(
    schema: GraphQLSchema, query: str, max_tokens: int, rules: tuple[type[ASTValidationRule], ...], suggest: bool
) -> tuple[GraphQLError, ...]:
    # "Did you mean …?" names fields: only where the schema may be introspected anyway.
    return tuple(validate(schema, _parsed(query, max_tokens), rules, hide_suggestions=not suggest))


def _parse_failure(error: GraphQLError) -> ExecutionResult:
    code = "TOO_MANY_TOKENS" if "tokens" in error.message else "GRAPHQL_PARSE_FAILED"
    return ExecutionResult(
        None, [GraphQLError(error.message, source=error.source, positions=error.positions, extensions={"code": code})]
    )


class Executor:
    def __init__(self, schema: strawberry.Schema, limits: Limits) -> None:
        self.schema = schema._schema
        self.limits = limits
        # graphql-core's rules and Strawberry's own two (what its `validate_document` adds).
        self.rules = (
            *specified_rules,
            MaybeNullValidationRule,
            OneOfInputValidationRule,
            *(() if limits.introspection else (NoSchemaIntrospectionCustomRule,)),
        )

    async def execute(
        self,
        query: str,
        *,
        context: Context,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        read_only: bool = False,
    ) -> ExecutionResult:
        """The operation's result, every error coded; `OperationRefused` when there is nothing to run.

        `read_only` (a GET): a mutation is refused with 405, since a GET must change nothing.
        """
        limits, given = self.limits, variables or {}
        try:
            document = _parsed(query, limits.max_tokens)
        except GraphQLError as error:
            return _parse_failure(error)
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            reason = (
                f'Unknown operation named "{operation_name}".' if operation_name else "Can't get GraphQL operation type"
            )
            raise OperationRefused("UNKNOWN_OPERATION", reason)
        if operation.operation not in ALLOWED:
            raise OperationRefused("OPERATION_NOT_ALLOWED", f"{operation.operation.value}s are not served here")
        if read_only and operation.operation is not OperationType.QUERY:
            raise OperationRefused("METHOD_NOT_ALLOWED", "send mutations with POST; GET runs queries only", 405)
        # The limits first: validation and input coercion are what a hostile document makes slow.
        over = limit_error(self.schema, document, query, given, limits)
        refused = (
            (over,)
            if over is not None
            else _validated(self.schema, query, limits.max_tokens, self.rules, limits.introspection)
        )
        if refused:
            return ExecutionResult(None, with_codes(list(refused)))
        outcome = execute(
            self.schema,
            document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            is_awaitable=is_awaitable,
        )
        result = await outcome if is_awaitable(outcome) else cast(ExecutionResult, outcome)
        if result.errors:
            result = ExecutionResult(result.data, with_codes(result.errors))
        if operation.operation is OperationType.MUTATION:
            record_mutations(operation, context, result, given)
        return result


@cache
def executor(limits: Limits = Limits()) -> Executor:
    """The executor of the API's schema under these limits (one per set of limits)."""
    return Executor(api_schema, limits)
