"""The API's own rules around every operation, in one Strawberry extension.

- before parsing: the token limit (graphql-core's parser stops at `max_tokens`);
- once the document is valid: size, depth, aliases and cost (`query_limits`);
- once it ran: every error gets its stable code, bugs masked (`errors`), and each root field
  of a mutation leaves an audit entry (`audit`).

One extension rather than one per rule: Strawberry's hook machinery costs about 7 µs a
request for each extension (measured), a tenth of the warm request's own work.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from .audit import record_mutations
from .errors import with_codes
from .limits import Limits
from .query_limits import limit_error


class RequestPolicy(SchemaExtension):
    def __init__(self, *, limits: Limits) -> None:
        self.limits = limits

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.limits.max_tokens
        yield
        result = context.result
        if result is not None and result.errors:
            result.errors = with_codes(result.errors)
        record_mutations(context)

    def on_validate(self) -> Iterator[None]:
        # Runs after ValidationCache (listed before it) has set the cached validation result;
        # an error set here stops the operation before it executes.
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            error = limit_error(context, self.limits)
            if error is not None:
                context.pre_execution_errors = [error]  # a new list: the validation cache keeps its own
        yield
