"""The API's own rules around every operation, in one Strawberry extension.

- parsing and validation, each done once per document text and schema (front-ends and
  integrators send the same few documents again and again; validation was ~60% of a warm
  request's own time), the parser stopping at the token limit;
- once the document is valid: size, depth, aliases and cost (`query_limits`);
- once it ran: every error gets its stable code, bugs masked (`errors`), and each root field
  of a mutation leaves an audit entry (`audit`).

One extension rather than one per rule, and our own two caches rather than Strawberry's
ParserCache and ValidationCache: Strawberry's hook machinery costs about 7 µs a request for
each extension, and its validation cache hashes the whole document tree on every request
(a warm `contract(id)` execution went 110 → 85 → 70 µs).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from strawberry.extensions import SchemaExtension

from .audit import record_mutations
from .errors import with_codes
from .limits import Limits
from .query_limits import limit_error

CACHED_DOCUMENTS = 256  # bounded: a hostile client cannot grow memory with unique documents


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _parsed(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _validated(schema: GraphQLSchema, query: str, max_tokens: int, rules: tuple[type, ...]) -> list[GraphQLError]:
    return validate(schema, _parsed(query, max_tokens), rules)


class RequestPolicy(SchemaExtension):
    def __init__(self, *, limits: Limits) -> None:
        self.limits = limits

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        yield
        result = context.result
        if result is not None and result.errors:
            result.errors = with_codes(result.errors)
        record_mutations(context)

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:  # no query: Strawberry answers that itself
            context.graphql_document = _parsed(context.query, self.limits.max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        # Errors set here stop the operation before it executes (Strawberry then skips its own validation).
        context = self.execution_context
        if context.query and context.graphql_document is not None:
            rules = tuple(context.validation_rules)
            errors = _validated(context.schema._schema, context.query, self.limits.max_tokens, rules)
            if not errors:
                error = limit_error(context, self.limits)
                errors = [error] if error is not None else errors
            context.pre_execution_errors = errors  # the cache's own list: never changed in place
        yield
