"""Errors in one place: domain refusals, auth failures and masked bugs.

- In mutations a `DomainError` becomes a `userError` (`field`, `code`, `message`).
- In queries it becomes a GraphQL error whose `extensions.code` is the same stable code.
- `PermissionDenied`/`NotAuthenticated` are top-level errors (FORBIDDEN/UNAUTHENTICATED).
- Anything else is a bug: logged with a correlation id, shown as "Unexpected error" plus
  that id, never a stack trace. In Lambda the id is the request's (API Gateway's request id,
  which Powertools puts on every log line of the invocation and API Gateway returns as
  `apigw-requestid`); elsewhere a new one, on the error's log line.
"""

import uuid

import strawberry
from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.exceptions import OrphanedChildLoggerError
from graphql import GraphQLError

from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import DomainError, PermissionDenied
from channelfin.services.paging import InvalidCursor

logger = Logger(service="channelfin", child=True)  # logs through the handler's Powertools logger


@strawberry.type(description="A business refusal of a mutation; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path of the input field concerned, if any.")
    code: str = strawberry.field(description="Stable SCREAMING_SNAKE_CASE code.")
    message: str = strawberry.field(description="Human-readable explanation (English).")

    @classmethod
    def from_domain(cls, error: DomainError) -> "UserError":
        field = ["input", *error.field] if error.field else None
        return cls(field=field, code=error.code, message=error.message)


class NotAuthenticated(Exception):
    pass


def _request_correlation_id() -> str | None:
    try:
        return logger.get_correlation_id()
    except OrphanedChildLoggerError:  # no Powertools logger set up above this one (a bare script)
        return None


def log_unexpected(error: BaseException, message: str, **context: object) -> str:
    """Log a bug with its stack trace and the correlation id the client will be shown; return that id."""
    correlation_id = _request_correlation_id() or str(uuid.uuid4())
    logger.error(message, exc_info=error, extra={"correlation_id": correlation_id, **context})
    return correlation_id


def internal_error_body(correlation_id: str) -> dict[str, object]:
    return {
        "errors": [
            {
                "message": f"Unexpected error (correlation id {correlation_id}).",
                "extensions": {"code": "INTERNAL_ERROR", "correlationId": correlation_id},
            }
        ]
    }


def _recoded(error: GraphQLError, code: str, message: str | None = None, **extra: object) -> GraphQLError:
    return GraphQLError(
        message=message or error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": code, **extra},
    )


def with_codes(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Every error with its code; the ones that are bugs masked (and logged with their correlation id)."""
    return [_with_code(e) for e in errors]


def _with_code(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None:
        if error.extensions and "code" in error.extensions:
            return error
        # Syntax, validation and variable-coercion errors: the client's request is wrong.
        return _recoded(error, "GRAPHQL_VALIDATION_FAILED")
    if isinstance(original, GraphQLError):  # raised while coercing the client's input
        code = (original.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        return _recoded(error, str(code), error.message)
    if isinstance(original, NotAuthenticated):
        return _recoded(error, "UNAUTHENTICATED", "a valid bearer token is required")
    if isinstance(original, PermissionDenied):
        return _recoded(error, "FORBIDDEN", original.message)
    if isinstance(original, DomainError):
        extra = {"field": original.field} if original.field else {}
        return _recoded(error, original.code, original.message, **extra)
    if isinstance(original, InvalidCursor):
        argument = getattr(original, "argument", "after")
        return _recoded(error, CommonCode.INVALID_CURSOR, str(original), field=[argument])
    correlation_id = log_unexpected(original, "unexpected error in a resolver", path=list(error.path or []))
    return _recoded(
        error,
        "INTERNAL_ERROR",
        f"Unexpected error (correlation id {correlation_id}).",
        correlationId=correlation_id,
    )
