"""Typed business errors.

Every refusal the domain or a service can produce carries a stable SCREAMING_SNAKE_CASE
code and, where it concerns one input, the path of that field, so the API can turn it
into a `userError` in one place without guessing.
"""

from __future__ import annotations

from channelfin.domain.error_codes import CommonCode, ErrorCode


class DomainError(Exception):
    """A business refusal: shown to the client, never a bug."""

    code: ErrorCode = CommonCode.INVALID_INPUT

    def __init__(self, message: str, *, code: ErrorCode | None = None, field: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class ValidationError(DomainError):
    code: ErrorCode = CommonCode.INVALID_INPUT


class NotFound(DomainError):
    code: ErrorCode = CommonCode.NOT_FOUND


class PermissionDenied(DomainError):
    code: ErrorCode = CommonCode.FORBIDDEN


class Conflict(DomainError):
    code: ErrorCode = CommonCode.CONFLICT


class InvalidTransition(DomainError):
    code: ErrorCode = CommonCode.INVALID_TRANSITION
