"""Answers above 1 KB compressed, br or gzip as the client accepts (`Accept-Encoding`), in Lambda and locally.

A page of contracts with their payouts is tens of kilobytes of repetitive JSON that shrinks
about tenfold; API Gateway's HTTP API does not compress, so the function does. Small answers
are left alone: below 1 KB the headers cost more than compression saves. brotli-asgi is
Starlette's GZipMiddleware with Brotli added (and gzip when the client does not take br).
"""

from __future__ import annotations

from typing import cast

from brotli_asgi import BrotliMiddleware

from channelfin.api.http.guards import ASGIApp

MINIMUM_BYTES = 1024
BROTLI_QUALITY = 4  # brotli-asgi's default: about gzip's speed, smaller output


def compressed(app: ASGIApp) -> ASGIApp:
    return cast(ASGIApp, BrotliMiddleware(app, quality=BROTLI_QUALITY, minimum_size=MINIMUM_BYTES))
