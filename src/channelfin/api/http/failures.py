"""The last guard: an exception that escapes the endpoint (a store down, a bug in the HTTP layer itself).

It is logged with its stack trace and a correlation id, and the client gets 500 with that id
and the `INTERNAL_ERROR` code, as a resolver's bug is masked in a 200 (`api/core/errors.py`).
"""

from __future__ import annotations

from channelfin.api.core.errors import internal_error_body, log_unexpected
from channelfin.api.http.guards import ASGIApp, Message, Receive, Scope, Send, send_json


class MaskingFailures:
    """An ASGI app (a class, not a function: Starlette's router would take a function for a request handler)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watching(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching)
        except Exception as error:
            correlation_id = log_unexpected(
                error, "unexpected error in the HTTP layer", method=scope.get("method"), path=scope.get("path")
            )
            if not started:  # otherwise the client sees a cut answer, which is all HTTP allows now
                await send_json(send, 500, internal_error_body(correlation_id))
