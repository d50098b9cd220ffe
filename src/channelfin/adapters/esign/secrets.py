"""The e-signature provider's secrets, read at run time from Secrets Manager (Powertools Parameters).

Only the webhook and SendForSignature are given the secret's id (and the right to read it): no
function's environment holds a secret value. The value is cached for `MAX_AGE_SECONDS`, so a
warm function does not call Secrets Manager on every request, and a rotated secret is picked
up within that time.
"""

from __future__ import annotations

from typing import Any

from channelfin.adapters.esign.yousign import YousignProvider
from channelfin.domain.financing_file import DocumentKind
from channelfin.services.ports import SignatureRequest

MAX_AGE_SECONDS = 300


def esign_secret(secret_id: str, key: str) -> str:
    """`key` of the JSON secret `secret_id` ("" when absent: the caller refuses to work without it)."""
    from aws_lambda_powertools.utilities import parameters

    value: Any = parameters.get_secret(secret_id, transform="json", max_age=MAX_AGE_SECONDS)
    found = value.get(key, "") if isinstance(value, dict) else ""
    return found if isinstance(found, str) else ""


class YousignFromSecret:
    """Yousign with the API key of the secret, read when a signature is requested (not at start)."""

    def __init__(self, secret_id: str) -> None:
        self._secret_id = secret_id

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
        provider = YousignProvider(api_key=esign_secret(self._secret_id, "yousignApiKey"))
        return provider.request_signature(
            contract_id=contract_id,
            kind=kind,
            document=document,
            sha256=sha256,
            signer_name=signer_name,
            signer_email=signer_email,
        )
