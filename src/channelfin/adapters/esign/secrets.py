"""The e-signature provider's secrets, read at run time from Secrets Manager (Powertools Parameters).

Only the webhook, SendForSignature and SendDeliveryReport are given the secret's id (and the right to read it): no
function's environment holds a secret value. The value is cached (`adapters/secrets.py`), so a
warm function does not call Secrets Manager on every request, and a rotated secret is picked
up within that time.
"""

from __future__ import annotations

from channelfin.adapters.esign.yousign import YousignProvider
from channelfin.adapters.secrets import secret_key
from channelfin.domain.financing_file import DocumentKind
from channelfin.services.ports import SignatureRequest

# Read through adapters/secrets.py (cached for its MAX_AGE_SECONDS).
esign_secret = secret_key


class YousignUnconfigured:
    """Yousign named as the provider of a function that has neither its secret nor a key: every
    function but the webhook and the two signing steps (serverless.yml gives only those the secret).
    What only needs to know how requests travel works (the API's requestFinancing); asking it to
    sign says what is missing, where building the ports used to fail for every function."""

    needs_signer_email = YousignProvider.needs_signer_email

    def request_signature(self, **_: object) -> SignatureRequest:
        raise ValueError(
            "Yousign is the e-signature provider, but this function has neither CHANNELFIN_ESIGN_SECRET_ID "
            "nor CHANNELFIN_YOUSIGN_API_KEY"
        )


class YousignFromSecret:
    """Yousign with the API key of the secret, read when a signature is requested (not at start)."""

    needs_signer_email = YousignProvider.needs_signer_email

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
