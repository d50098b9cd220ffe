"""Signed webhooks of the e-signature flow, and the `EsignEvent` they carry.

Webhook signing follows Stripe's scheme: the `x-channelfin-signature` header holds
`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}." + raw body)>`. The timestamp is signed
with the body, so a captured request cannot be replayed outside the tolerance window; several
`v1` entries may be sent while a secret is rotated, and any match passes. Receivers still
deduplicate on `EsignEvent.event_id` (a replay within the window carries the same id).

Secrets are never logged nor put in an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from aws_lambda_powertools import Logger

from channelfin.domain.financing_file import DocumentKind

logger = Logger(service="channelfin", child=True)  # logs through the handler's Powertools logger

SIGNATURE_HEADER = "x-channelfin-signature"
DEFAULT_TOLERANCE_SECONDS = 300
_MAX_HEADER_LENGTH = 4096  # a header this long is not ours (a few v1 entries are ~75 characters each)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DIGITS = re.compile(r"[0-9]{1,12}")


# --- webhook signatures ------------------------------------------------------------------------


class WebhookSignatureInvalid(Exception):
    """The webhook's signature does not hold; `reason` says why (never the secret)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _unix_seconds(now: datetime) -> int:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp())


def require_secret(secret: str) -> bytes:
    if not isinstance(secret, str) or not secret:
        raise ValueError("the webhook secret is not configured")
    return secret.encode("utf-8")


def _digest(key: bytes, timestamp: int, raw_body: bytes) -> str:
    return hmac.new(key, f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()


def sign(secret: str, raw_body: bytes, now: datetime) -> str:
    """The `x-channelfin-signature` header value for `raw_body` sent at `now`."""
    timestamp = _unix_seconds(now)
    return f"t={timestamp},v1={_digest(require_secret(secret), timestamp, raw_body)}"


def _parse_header(header: str | None) -> tuple[int, list[str]]:
    if header is None or not header.strip():
        raise WebhookSignatureInvalid("missing signature header")
    if len(header) > _MAX_HEADER_LENGTH:
        raise WebhookSignatureInvalid("garbled signature header")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep or not key:
            raise WebhookSignatureInvalid("garbled signature header")
        if key == "t":
            if timestamp is not None or not _DIGITS.fullmatch(value):
                raise WebhookSignatureInvalid("garbled signature header")
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
        # other schemes (v0, a future v2) are ignored, as Stripe does
    if timestamp is None:
        raise WebhookSignatureInvalid("garbled signature header: no timestamp")
    if not signatures:
        raise WebhookSignatureInvalid("no v1 signature")
    return timestamp, signatures


def verify(
    secret: str,
    header: str | None,
    raw_body: bytes,
    now: datetime,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """Check the header against `raw_body` (the bytes as received); raise `WebhookSignatureInvalid`."""
    key = require_secret(secret)
    timestamp, signatures = _parse_header(header)
    if abs(_unix_seconds(now) - timestamp) > tolerance_seconds:
        logger.info("webhook rejected: timestamp outside the tolerance")
        raise WebhookSignatureInvalid("timestamp outside the tolerance")
    expected = _digest(key, timestamp, raw_body)
    # compare_digest on every well-formed candidate (not any()), so the time does not tell which one failed
    matched = False
    for candidate in signatures:
        if _HEX64.fullmatch(candidate) and hmac.compare_digest(candidate, expected):
            matched = True
    if not matched:
        logger.info("webhook rejected: signature mismatch")
        raise WebhookSignatureInvalid("signature mismatch")


# --- the event a signature webhook carries -----------------------------------------------------

EventType = Literal["signed", "declined"]
EVENT_TYPES: tuple[str, ...] = ("signed", "declined")


@dataclass(frozen=True)
class EsignEvent:
    """A signer signed or declined one document of a contract's file."""

    event_id: str
    type: EventType
    request_id: str  # the provider's signature request
    contract_id: str
    document: DocumentKind
    signer: str
    at: datetime  # timezone-aware
    sha256: str | None = None  # "signed": the SHA-256 (hex) of the document the signer signed
    reason: str | None = None  # "declined": the signer's reason, when given

    def __post_init__(self) -> None:
        for name in ("event_id", "request_id", "contract_id", "signer"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"esign event: {name} must be a non-empty string")
        if self.type not in EVENT_TYPES:
            raise ValueError(f"esign event: unknown type {self.type!r} (expected one of {', '.join(EVENT_TYPES)})")
        if not isinstance(self.document, DocumentKind):
            raise ValueError("esign event: document must be a DocumentKind")
        if not isinstance(self.at, datetime) or self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("esign event: at must be a timezone-aware datetime")
        if self.type == "signed":
            if not isinstance(self.sha256, str) or not _HEX64.fullmatch(self.sha256):
                raise ValueError("esign event: a signed event needs sha256, 64 lowercase hex digits")
            if self.reason is not None:
                raise ValueError("esign event: a signed event has no reason")
        else:
            if self.sha256 is not None:
                raise ValueError("esign event: a declined event has no sha256")
            if self.reason is not None and not isinstance(self.reason, str):
                raise ValueError("esign event: reason must be a string")

    @classmethod
    def from_json(cls, raw: bytes) -> EsignEvent:
        """Parse the webhook body (camelCase fields); `ValueError` with a clear message if malformed."""
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("esign event: body is not JSON") from exc
        if not isinstance(payload, dict):
            raise ValueError("esign event: body must be a JSON object")

        def text(field: str, *, optional: bool = False) -> str | None:
            value = payload.get(field)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise ValueError(f"esign event: {field} is {'not a string' if field in payload else 'missing'}")
            return value

        kind = text("type")
        if kind not in EVENT_TYPES:
            raise ValueError(f"esign event: unknown type {kind!r} (expected one of {', '.join(EVENT_TYPES)})")
        document = text("document")
        try:
            document_kind = DocumentKind(document)
        except ValueError:
            known = ", ".join(k.value for k in DocumentKind)
            raise ValueError(f"esign event: unknown document {document!r} (expected one of {known})") from None
        at_text = text("at")
        try:
            at = datetime.fromisoformat(at_text)  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"esign event: at {at_text!r} is not an ISO 8601 date-time") from None
        if at.tzinfo is None:
            raise ValueError("esign event: at must carry a time zone offset")
        return cls(
            event_id=text("eventId"),  # type: ignore[arg-type]
            type=kind,  # type: ignore[arg-type]
            request_id=text("requestId"),  # type: ignore[arg-type]
            contract_id=text("contractId"),  # type: ignore[arg-type]
            document=document_kind,
            signer=text("signer"),  # type: ignore[arg-type]
            at=at,
            sha256=text("sha256", optional=True),
            reason=text("reason", optional=True),
        )

    def to_json(self) -> bytes:
        """Deterministic: sorted keys, no whitespace, `at` in UTC."""
        return json.dumps(
            {
                "eventId": self.event_id,
                "type": self.type,
                "requestId": self.request_id,
                "contractId": self.contract_id,
                "document": self.document.value,
                "signer": self.signer,
                "at": self.at.astimezone(UTC).isoformat(),
                "sha256": self.sha256,
                "reason": self.reason,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")
