"""The e-signature webhook Lambda: API Gateway (HTTP API, no JWT: the HMAC signature is the check) → `receive`."""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths

logger = Logger(service="channelfin")


@cache
def _wired() -> tuple[Any, Any]:
    from channelfin.bootstrap import Settings, build_ports

    settings = Settings.from_env()
    return build_ports(settings), settings


def _secret(settings: Any) -> str:
    from channelfin.bootstrap import esign_webhook_secret

    return esign_webhook_secret(settings)  # from Secrets Manager in AWS, cached for a few minutes


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from channelfin.api.http.esign_webhook import receive

    ports, settings = _wired()
    raw = event.get("body") or ""
    body = base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode()
    secret = _secret(settings)
    status, answer = receive(ports, secret=secret, headers=event.get("headers") or {}, body=body, now=ports.clock())
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(answer)}
