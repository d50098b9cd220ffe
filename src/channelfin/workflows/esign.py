"""E-signature adapters: signed webhooks, the `EsignEvent` they carry, and Yousign (API v3).

Webhook signing follows Stripe's scheme: the `x-channelfin-signature` header holds
`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}." + raw body)>`. The timestamp is signed
with the body, so a captured request cannot be replayed outside the tolerance window; several
`v1` entries may be sent while a secret is rotated, and any match passes. Receivers still
deduplicate on `EsignEvent.event_id` (a replay within the window carries the same id).

`YousignProvider` is the `SignatureProvider` port on Yousign's REST API v3 (standard library
HTTP only); `YousignEvents` turns Yousign's own webhooks (`signer.done`, `signer.declined`) into
`EsignEvent`s. Yousign's `external_id` only allows `[A-Za-z0-9_\\-@.%+]`, so the request is
tagged `<contract id>.<document kind>.<sha256>`: the webhook then says which document, and
which bytes of it, the signer signed.

Secrets and the API key are never logged nor put in an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from channelfin.domain.financing_file import DocumentKind
from channelfin.services.ports import SignatureRequest

logger = logging.getLogger("channelfin.esign")

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


def _require_secret(secret: str) -> bytes:
    if not isinstance(secret, str) or not secret:
        raise ValueError("the webhook secret is not configured")
    return secret.encode("utf-8")


def _digest(key: bytes, timestamp: int, raw_body: bytes) -> str:
    return hmac.new(key, f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()


def sign(secret: str, raw_body: bytes, now: datetime) -> str:
    """The `x-channelfin-signature` header value for `raw_body` sent at `now`."""
    timestamp = _unix_seconds(now)
    return f"t={timestamp},v1={_digest(_require_secret(secret), timestamp, raw_body)}"


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
    key = _require_secret(secret)
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


# --- Yousign -----------------------------------------------------------------------------------


class SignatureProviderError(Exception):
    """The provider refused or failed the call; `status` is the HTTP status (None if unreachable)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(f"{message} (HTTP {status})" if status is not None else message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes


Transport = Callable[[HttpRequest, float], HttpResponse]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """urllib would forward the Authorization header to wherever a redirect points: refuse redirects."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def urllib_transport(request: HttpRequest, timeout: float) -> HttpResponse:
    """The production transport (standard library); non-2xx answers are returned, not raised."""
    opener = urllib.request.build_opener(_NoRedirect)
    prepared = urllib.request.Request(
        request.url, data=request.body or None, headers=dict(request.headers), method=request.method
    )
    try:
        with opener.open(prepared, timeout=timeout) as response:
            return HttpResponse(response.status, response.read())
    except urllib.error.HTTPError as exc:
        return HttpResponse(exc.code, exc.read() or b"")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or type(exc).__name__
        raise SignatureProviderError(f"Yousign is unreachable: {reason}") from None


YOUSIGN_EXTERNAL_ID = re.compile(r"[\w\-@.%+]{1,255}", re.ASCII)  # Yousign's pattern for external_id

# The signature field, on the last page: bottom right of an A4 page (595 x 842 points), at the 2.3:1
# aspect ratio Yousign keeps for signature images.
SIGNATURE_FIELD = {"x": 350, "y": 700, "width": 184, "height": 80}


def yousign_external_id(contract_id: str, kind: DocumentKind, sha256: str) -> str:
    external_id = f"{contract_id}.{kind.value}.{sha256}"
    if not YOUSIGN_EXTERNAL_ID.fullmatch(external_id):
        raise ValueError(f"contract id {contract_id!r} cannot be carried in Yousign's external_id")
    return external_id


def parse_yousign_external_id(external_id: str) -> tuple[str, DocumentKind, str]:
    """(contract id, document kind, sha256) from `yousign_external_id`; `ValueError` if not one of ours."""
    contract_id, _, rest = external_id.rpartition(".")  # the sha256 has no dot
    contract_id, _, kind = contract_id.rpartition(".")  # nor has the kind
    sha256 = rest
    try:
        document = DocumentKind(kind)
    except ValueError:
        raise ValueError(f"Yousign external_id {external_id!r} is not a channelfin document") from None
    if not contract_id or not _HEX64.fullmatch(sha256):
        raise ValueError(f"Yousign external_id {external_id!r} is not a channelfin document")
    return contract_id, document, sha256


def split_name(full_name: str) -> tuple[str, str]:
    """First word as first name, the rest as last name ("Jean de La Fontaine" → "Jean", "de La Fontaine").

    Yousign requires both: a one-word name is used for both.
    """
    words = full_name.split()
    if not words:
        raise ValueError("the signer's name is empty")
    if len(words) == 1:
        return words[0], words[0]
    return words[0], " ".join(words[1:])


class YousignProvider:
    """`SignatureProvider` on Yousign API v3. The webhook is configured in Yousign's dashboard."""

    def __init__(
        self,
        api_key: str,
        base_url: str = "https://api.yousign.app/v3",
        timeout: float = 10,
        transport: Transport | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("the Yousign API key is not configured")
        if not base_url.startswith("https://"):
            raise ValueError("the Yousign base URL must be https")
        self._api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._transport: Transport = transport or urllib_transport

    def __repr__(self) -> str:  # no API key in logs or tracebacks
        return f"YousignProvider(base_url={self.base_url!r})"

    def request_signature(
        self,
        *,
        contract_id: str,
        kind: DocumentKind,
        document: bytes,
        sha256: str,
        signer_name: str,
        signer_email: str | None,
    ) -> SignatureRequest:
        if hashlib.sha256(document).hexdigest() != sha256:
            raise ValueError("the document's bytes do not match its recorded SHA-256")
        if not signer_email:
            raise ValueError("Yousign delivers by e-mail: the signer's e-mail address is required")
        first_name, last_name = split_name(signer_name)
        external_id = yousign_external_id(contract_id, kind, sha256)

        request = self._json(
            "POST",
            "/signature_requests",
            {
                "name": f"{kind.value} {contract_id}"[:128],
                "delivery_mode": "email",
                "external_id": external_id,
            },
        )
        request_id = _text(request, "id", "signature request")

        uploaded = self._multipart(
            f"/signature_requests/{request_id}/documents",
            fields={"nature": "signable_document"},
            file_field="file",
            filename=f"{kind.value.lower()}-{contract_id}.pdf",
            content=document,
            content_type="application/pdf",
        )
        document_id = _text(uploaded, "id", "document")
        pages = uploaded.get("total_pages")
        if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
            raise SignatureProviderError("Yousign did not give the document's page count")

        signer = self._json(
            "POST",
            f"/signature_requests/{request_id}/signers",
            {
                "info": {"first_name": first_name, "last_name": last_name, "email": signer_email, "locale": "fr"},
                "signature_level": "electronic_signature",
                "signature_authentication_mode": "otp_email",
                "fields": [{"document_id": document_id, "type": "signature", "page": pages, **SIGNATURE_FIELD}],
            },
        )
        signer_id = _text(signer, "id", "signer")

        activated = self._json("POST", f"/signature_requests/{request_id}/activate", None)
        signers = activated.get("signers")
        link = next(
            (
                s.get("signature_link")
                for s in signers or ()
                if isinstance(s, dict) and s.get("id") == signer_id and isinstance(s.get("signature_link"), str)
            ),
            None,
        )
        if not link:
            raise SignatureProviderError("Yousign's activation gave no signature link for the signer")
        return SignatureRequest(request_id=request_id, signing_url=link)

    # -- HTTP ---------------------------------------------------------------------------------

    def _headers(self, content_type: str | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        return headers

    def _json(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        data = json.dumps(body).encode("utf-8") if body is not None else b""
        return self._send(
            HttpRequest(method, self.base_url + path, self._headers("application/json" if body else None), data)
        )

    def _multipart(
        self,
        path: str,
        *,
        fields: Mapping[str, str],
        file_field: str,
        filename: str,
        content: bytes,
        content_type: str,
    ) -> dict[str, Any]:
        boundary = f"channelfin-{secrets.token_hex(16)}"
        safe_name = re.sub(r'["\r\n\\]', "_", filename)
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{file_field}"; filename="{safe_name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = self._headers(f"multipart/form-data; boundary={boundary}")
        return self._send(HttpRequest("POST", self.base_url + path, headers, b"".join(parts)))

    def _send(self, request: HttpRequest) -> dict[str, Any]:
        response = self._transport(request, self.timeout)
        if not 200 <= response.status < 300:
            raise SignatureProviderError(self._provider_message(response.body), response.status)
        try:
            payload = json.loads(response.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if not isinstance(payload, dict):
            raise SignatureProviderError("Yousign answered with something other than a JSON object", response.status)
        return payload

    def _provider_message(self, body: bytes) -> str:
        message = ""
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if isinstance(payload, dict):
            parts = [str(payload[k]) for k in ("title", "detail", "message", "error") if payload.get(k)]
            for param in payload.get("invalid_params") or ():
                if isinstance(param, dict):
                    parts.append(f"{param.get('name')}: {param.get('reason')}")
            message = "; ".join(parts)
        if not message:
            message = body.decode("utf-8", errors="replace").strip()
        message = message.replace(self._api_key, "[redacted]")[:500]
        return f"Yousign refused the request: {message}" if message else "Yousign refused the request"


def _text(payload: Mapping[str, Any], field: str, what: str) -> str:
    value = payload.get(field)
    if not isinstance(value, str) or not value:
        raise SignatureProviderError(f"Yousign's {what} answer has no {field}")
    return value


class YousignEvents:
    """Yousign's webhooks (header `X-Yousign-Signature-256: sha256=<hex HMAC of the raw body>`) as `EsignEvent`s.

    Only `signer.done` ("signed") and `signer.declined` ("declined") carry an outcome for one signer;
    every other event (`signature_request.done`, `.declined`, `.activated`, `.expired`, …) gives None,
    so the one-signer requests this adapter opens are not reported twice. Yousign signs no
    timestamp: replays are caught by deduplicating on the event id.
    """

    SIGNATURE_HEADER = "x-yousign-signature-256"
    EVENTS: Mapping[str, EventType] = {"signer.done": "signed", "signer.declined": "declined"}

    def __init__(self, secret: str) -> None:
        self._key = _require_secret(secret)

    def __repr__(self) -> str:
        return "YousignEvents()"

    def verify(self, header: str | None, raw_body: bytes) -> None:
        if not header or not header.startswith("sha256="):
            raise WebhookSignatureInvalid("missing or garbled Yousign signature header")
        candidate = header.removeprefix("sha256=").strip()
        expected = hmac.new(self._key, raw_body, hashlib.sha256).hexdigest()
        if not (_HEX64.fullmatch(candidate) and hmac.compare_digest(candidate, expected)):
            logger.info("Yousign webhook rejected: signature mismatch")
            raise WebhookSignatureInvalid("signature mismatch")

    def parse(self, header: str | None, raw_body: bytes) -> EsignEvent | None:
        """Verify, then translate."""
        self.verify(header, raw_body)
        return self.translate(raw_body)

    def translate(self, raw_body: bytes) -> EsignEvent | None:
        """The `EsignEvent` of a (verified) Yousign webhook body, None if it has no signer outcome."""
        try:
            payload = json.loads(raw_body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("Yousign webhook: body is not JSON") from exc
        if not isinstance(payload, dict) or not isinstance(payload.get("event_name"), str):
            raise ValueError("Yousign webhook: no event_name")
        event_type = self.EVENTS.get(payload["event_name"])
        if event_type is None:
            return None
        data = payload.get("data")
        request = data.get("signature_request") if isinstance(data, dict) else None
        signer = data.get("signer") if isinstance(data, dict) else None
        if not isinstance(request, dict) or not isinstance(signer, dict):
            raise ValueError("Yousign webhook: data.signature_request and data.signer are required")
        external_id = request.get("external_id")
        if not isinstance(external_id, str):
            raise ValueError("Yousign webhook: the signature request has no external_id")
        contract_id, document, sha256 = parse_yousign_external_id(external_id)
        event_time = payload.get("event_time")
        if (
            not isinstance(event_time, str | int)
            or isinstance(event_time, bool)
            or not _DIGITS.fullmatch(str(event_time))
        ):
            raise ValueError("Yousign webhook: event_time is not a Unix timestamp")
        info = signer.get("info") if isinstance(signer.get("info"), dict) else {}
        name = " ".join(str(info[k]).strip() for k in ("first_name", "last_name") if info.get(k))
        decline = request.get("decline_information")
        reason = decline.get("reason") if isinstance(decline, dict) else None
        return EsignEvent(
            event_id=str(payload.get("event_id") or ""),
            type=event_type,
            request_id=str(request.get("id") or ""),
            contract_id=contract_id,
            document=document,
            signer=name or str(info.get("email") or signer.get("id") or ""),
            at=datetime.fromtimestamp(int(event_time), UTC),
            sha256=sha256 if event_type == "signed" else None,
            reason=reason if event_type == "declined" and isinstance(reason, str) and reason else None,
        )
