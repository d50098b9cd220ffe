"""Typed business errors.

Every refusal the domain or a service can produce carries a stable SCREAMING_SNAKE_CASE
code and, where it concerns one input, the path of that field, so the API can turn it
into a `userError` in one place without guessing.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business refusal: shown to the client, never a bug."""

    code: str = "INVALID"

    def __init__(self, message: str, *, code: str | None = None, field: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class ValidationError(DomainError):
    code = "INVALID_INPUT"


class NotFound(DomainError):
    code = "NOT_FOUND"


class PermissionDenied(DomainError):
    code = "FORBIDDEN"


class Conflict(DomainError):
    code = "CONFLICT"


class InvalidTransition(DomainError):
    code = "INVALID_TRANSITION"
