"""A partner's webhook endpoints: where its events are sent, which ones, signed with which secret.

Secrets are Standard Webhooks secrets (`whsec_` + base64 of 24 random bytes), shown once
when made. Rotating one keeps the old secret valid for 24 hours: meanwhile every message
carries both signatures (`v1,<old> v1,<new>`), so a receiver can switch at its own pace.
An endpoint whose deliveries keep failing (each one after three days of retries) is
disabled, with the reason shown on `webhookEndpoints`.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from channelfin.domain.error_codes import CommonCode, WebhookCode
from channelfin.domain.errors import InvalidTransition, ValidationError
from channelfin.domain.events import EventType

MAX_ENDPOINTS_PER_PARTNER = 16
MAX_DESCRIPTION = 500
SECRET_OVERLAP = timedelta(hours=24)
SECRET_PREFIX = "whsec_"


class EndpointStatus(enum.Enum):
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"


@dataclass(frozen=True, slots=True)
class SigningSecret:
    value: str  # whsec_...
    created_at: datetime
    expires_at: datetime | None = None  # set when a newer secret replaced it

    def valid_at(self, at: datetime) -> bool:
        return self.expires_at is None or at < self.expires_at


def new_secret(random_bytes: bytes) -> str:
    return SECRET_PREFIX + base64.b64encode(random_bytes).decode()


def event_types(names: Sequence[str] | None) -> frozenset[EventType] | None:
    """The subscribed types (None: every type, now and to come); unknown names are refused."""
    if names is None:
        return None
    if not names:
        raise ValidationError(
            "name at least one event type, or leave eventTypes out for all of them",
            code=CommonCode.REQUIRED,
            field=["eventTypes"],
        )
    known = {t.value: t for t in EventType}
    for number, name in enumerate(names):
        if name not in known:
            raise ValidationError(
                f"unknown event type {name[:60]!r}; known: {', '.join(known)}",
                code=WebhookCode.UNKNOWN_EVENT_TYPE,
                field=["eventTypes", str(number)],
            )
    return frozenset(known[n] for n in names)


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    id: str
    partner_id: str
    url: str
    event_types: frozenset[EventType] | None  # None: all
    description: str | None
    created_at: datetime
    created_by: str
    secrets: tuple[SigningSecret, ...]  # newest first
    status: EndpointStatus = EndpointStatus.ENABLED
    failed_in_a_row: int = 0  # deliveries that ended FAILED since the last successful attempt
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
    version: int = 1

    @classmethod
    def create(
        cls,
        *,
        id: str,
        partner_id: str,
        url: str,
        event_types: frozenset[EventType] | None,
        description: str | None,
        secret: str,
        at: datetime,
        by: str,
    ) -> WebhookEndpoint:
        text = (description or "").strip() or None
        if text and len(text) > MAX_DESCRIPTION:
            raise ValidationError(
                f"the description is at most {MAX_DESCRIPTION} characters",
                code=CommonCode.TOO_LONG,
                field=["description"],
            )
        return cls(id, partner_id, url, event_types, text, at, by, (SigningSecret(secret, at),))

    @property
    def enabled(self) -> bool:
        return self.status is EndpointStatus.ENABLED

    def wants(self, event_type: EventType) -> bool:
        return self.enabled and (self.event_types is None or event_type in self.event_types)

    def signing_secrets(self, at: datetime) -> list[str]:
        return [s.value for s in self.secrets if s.valid_at(at)]

    def rotated(self, secret: str, at: datetime) -> WebhookEndpoint:
        """A new secret; those still valid stay so for 24 hours more at most."""
        if not self.enabled:
            raise InvalidTransition("the endpoint is disabled", code=WebhookCode.ENDPOINT_DISABLED)
        cutoff = at + SECRET_OVERLAP
        kept = tuple(replace(s, expires_at=min(s.expires_at or cutoff, cutoff)) for s in self.secrets if s.valid_at(at))
        return replace(self, secrets=(SigningSecret(secret, at), *kept), version=self.version + 1)

    def disabled(self, reason: str, at: datetime) -> WebhookEndpoint:
        if not self.enabled:
            return self
        return replace(
            self, status=EndpointStatus.DISABLED, disabled_at=at, disabled_reason=reason, version=self.version + 1
        )

    def delivery_failed(self, at: datetime, *, disable_after: int, last_error: str) -> WebhookEndpoint:
        """A delivery ran out of retries; after `disable_after` in a row the endpoint is disabled."""
        failed = replace(self, failed_in_a_row=self.failed_in_a_row + 1, version=self.version + 1)
        if failed.failed_in_a_row < disable_after:
            return failed
        reason = (
            f"disabled after {failed.failed_in_a_row} deliveries in a row failed, each after every retry "
            f"(last: {last_error[:200]}); create a new endpoint once the receiver answers"
        )
        return failed.disabled(reason, at)

    def delivery_succeeded(self) -> WebhookEndpoint:
        if self.failed_in_a_row == 0:
            return self
        return replace(self, failed_in_a_row=0, version=self.version + 1)


# ---------------------------------------------------------------- Standard Webhooks signatures


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secrets: Iterable[str], message_id: str, timestamp: int, body: str) -> str:
    """`webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per valid secret, space-separated."""
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return " ".join(
        "v1," + base64.b64encode(hmac.new(_key(s), signed, hashlib.sha256).digest()).decode() for s in secrets
    )


def headers(secrets: Iterable[str], message_id: str, timestamp: int, body: str) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": "channelfin-webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secrets, message_id, timestamp, body),
    }
