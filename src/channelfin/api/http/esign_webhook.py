"""`POST /webhooks/esign`: the e-signature provider's events, for Lambda and the dev server alike.

The raw body must carry a valid HMAC-SHA256 signature made with the shared secret within the
timestamp tolerance (401 otherwise, nothing changes) — ours (`x-channelfin-signature`, the
local signer's) or Yousign's (`x-yousign-signature-256`, its own payloads, no timestamp);
an event already processed is dropped (replays by event id); a malformed event is a 400; a
refused one (a signed document whose hash is not the one sent, an unknown request) a 409 with
its code; otherwise the signature
(or the refusal) is recorded and the workflow's signature step completes, as the connector's
`recordSignature`/`declineSignature` would.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from channelfin.adapters.esign.signing import SIGNATURE_HEADER, EsignEvent, WebhookSignatureInvalid, verify
from channelfin.adapters.esign.yousign import YousignEvents
from channelfin.domain.errors import DomainError
from channelfin.services import signature_events
from channelfin.services.ports import Ports

YOUSIGN_HEADER = "x-yousign-signature-256"

logger = Logger(service="channelfin", child=True)  # logs through the handler's Powertools logger


def receive(
    ports: Ports, *, secret: str, headers: Mapping[str, str], body: bytes, now: datetime
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON answer) for one delivery of the provider's webhook."""
    if not secret:
        logger.error("e-signature webhook called but no secret is configured")
        return 503, {"error": "the webhook is not configured"}
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        if YOUSIGN_HEADER in lowered and SIGNATURE_HEADER not in lowered:
            event = YousignEvents(secret).parse(lowered[YOUSIGN_HEADER], body)  # Yousign's own format
            if event is None:
                return 200, {"status": "ignored"}  # an event that changes nothing here (e.g. request created)
        else:
            verify(secret, lowered.get(SIGNATURE_HEADER), body, now)
            event = EsignEvent.from_json(body)
    except WebhookSignatureInvalid as exc:
        logger.warning("e-signature webhook refused", extra={"reason": str(exc)})
        return 401, {"error": "invalid signature", "code": "INVALID_SIGNATURE"}
    except ValueError as exc:
        return 400, {"error": str(exc), "code": "MALFORMED_EVENT"}
    if ports.webhook_events.seen(event.event_id):
        return 200, {"status": "duplicate", "eventId": event.event_id}
    try:
        contract = signature_events.receive_signature_event(
            ports,
            event_type=event.type,
            request_id=event.request_id,
            contract_id=event.contract_id,
            kind=event.document,
            signer=event.signer,
            at=event.at,
            sha256=event.sha256,
            reason=event.reason,
        )
    except DomainError as exc:
        logger.warning("e-signature event refused", extra={"event_id": event.event_id, "code": exc.code})
        return 409, {"error": exc.message, "code": exc.code}
    ports.webhook_events.remember(event.event_id, now)
    return 200, {"status": "processed", "eventId": event.event_id, "contractStatus": contract.status.value}
