"""GraphQL over HTTP's two response media types, and the status code each gives a result.

- `application/graphql-response+json` when the client asks for it (the spec's own type): a
  request error (a document that does not parse or validate, a limit, variables that do not
  coerce) is 400, a result with data is 200.
- `application/json` otherwise (no Accept header, `*/*`, or asked for): every well-formed
  request is 200, errors or not, as older clients expect.

A request error has no `data` entry under either type (the spec: "If an error was raised
before execution begins, the data entry should not be present").
"""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _ranges(accept: str) -> list[tuple[str, float]]:
    found = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            found.append((media.lower(), q))
    return found


def _quality(ranges: list[tuple[str, float]], media: str) -> float:
    """The q the client gives `media`: its exact range, else `type/*`, else `*/*` (RFC 9110 §12.5.1)."""
    kind = media.split("/")[0]
    for candidate in (media, f"{kind}/*", "*/*"):
        for range_, q in ranges:
            if range_ == candidate:
                return q
    return 0.0


def negotiate(accept: str | None) -> str:
    """The media type to answer in: the one the client prefers; the spec's own type on a tie.

    Without an Accept header, or one naming neither type, `application/json` (the spec allows
    ignoring an Accept header it cannot satisfy rather than answering 406).
    """
    if not accept:
        return JSON
    ranges = _ranges(accept)
    spec, legacy = _quality(ranges, GRAPHQL_RESPONSE), _quality(ranges, JSON)
    if spec > 0 and spec >= legacy and any(r == GRAPHQL_RESPONSE for r, _ in ranges):
        return GRAPHQL_RESPONSE
    return JSON


def wants_html(accept: str | None) -> bool:
    return "text/html" in (accept or "")


def is_request_error(result: ExecutionResult) -> bool:
    """Nothing was executed: errors from the document, the limits or the variables carry no path."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def formatted(result: ExecutionResult) -> dict[str, Any]:
    """The result as its JSON answer: no `data` entry when execution never began."""
    answer: dict[str, Any] = {} if is_request_error(result) else {"data": result.data}
    if result.errors:
        answer["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        answer["extensions"] = result.extensions
    return answer


def status_of(result: ExecutionResult, media: str) -> int:
    return 400 if media == GRAPHQL_RESPONSE and is_request_error(result) else 200
