"""Dev bearer tokens that stand in for Cognito's JWTs on a workstation.

They carry the claims Cognito would (`sub`, `custom:partner_id`, `cognito:groups`) and are
signed (HS256) with a random secret kept in the data directory, so a token from one dev
database is refused by another and nothing secret is committed.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import jwt

from channelfin.api.http.auth import INTEGRATION_SCOPE, LOCAL_CONNECTOR_CLIENT

ISSUER = "channelfin-local"
SECRET_FILE = "dev-token-secret"
DEFAULT_TTL_SECONDS = 12 * 3600


class InvalidToken(Exception):
    """A bearer token the dev server refuses; `expired` tells a token past its `exp` from a malformed or forged one."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def load_or_create_secret(data_dir: Path, name: str = SECRET_FILE) -> str:
    """A secret kept in the data directory (created on first use, readable by its owner only)."""
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(secret)
    return secret


def issue(
    secret: str,
    *,
    role: str,
    partner_id: str | None = None,
    sub: str | None = None,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": sub or f"dev-{role}{'-' + partner_id[:8] if partner_id else ''}",
        "token_use": "access",
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if role == "integration" and not partner_id:
        # The platform's connector is a machine client known by its id, as in AWS (never a group): a
        # client-credentials token of the client `channelfin dev` maps to the connector, whatever `sub`.
        claims.update(client_id=LOCAL_CONNECTOR_CLIENT, scope=INTEGRATION_SCOPE)
    else:
        claims["cognito:groups"] = [role]
    if partner_id:
        claims["custom:partner_id"] = partner_id
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(secret: str, token: str) -> dict[str, Any]:
    try:
        return jwt.decode(
            token, secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["exp", "sub", "iss"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("the token has expired", expired=True) from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"the token is malformed or not signed by this dev stack ({exc})") from exc
