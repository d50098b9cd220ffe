"""Yousign (API v3) as the `SignatureProvider` port, and Yousign's own webhooks as `EsignEvent`s.

`YousignProvider` uses the standard library's HTTP client (urllib3 only builds the
multipart body); `YousignEvents` turns Yousign's webhooks (`signer.done`,
`signer.declined`) into `EsignEvent`s. Yousign's `external_id` only allows
`[A-Za-z0-9_\\-@.%+]`, so the request is tagged `<contract id>.<document kind>.<sha256>`: the
webhook then says which document, and which bytes of it, the signer signed.

The API key is never logged nor put in an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import urllib3
from aws_lambda_powertools import Logger

from channelfin.adapters.esign.signing import EsignEvent, EventType, WebhookSignatureInvalid, require_secret
from channelfin.domain.financing_file import DocumentKind
from channelfin.services.ports import SignatureRequest

logger = Logger(service="channelfin", child=True)  # logs through the handler's Powertools logger

_HEX64 = re.compile(r"[0-9a-f]{64}")
_DIGITS = re.compile(r"[0-9]{1,12}")


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

    def redirect_request(self, req, fp, code, msg, headers, newurl):
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

    needs_signer_email = True  # delivery_mode "email", authentication by a code sent to it

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
        form: dict[str, Any] = dict(fields)
        form[file_field] = (re.sub(r'["\r\n\\]', "_", filename), content, content_type)
        body, multipart_type = urllib3.encode_multipart_formdata(form)
        headers = self._headers(multipart_type)
        return self._send(HttpRequest("POST", self.base_url + path, headers, body))

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
        self._key = require_secret(secret)

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
        given = signer.get("info")
        info: dict[str, Any] = given if isinstance(given, dict) else {}
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
