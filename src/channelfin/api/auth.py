"""From JWT claims (as Cognito issues them) to the domain's `Principal`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.access import Principal

PARTNER_CLAIM = "custom:partner_id"
GROUPS_CLAIM = "cognito:groups"


def _groups(value: Any) -> list[str]:
    # API Gateway's JWT authorizer hands list claims over as the string "[a b]".
    if value is None:
        return []
    if isinstance(value, str):
        return [g for g in value.strip("[]").replace(",", " ").split() if g]
    return [str(g) for g in value]


def principal_from_claims(claims: Mapping[str, Any] | None) -> Principal | None:
    if not claims or not claims.get("sub"):
        return None
    partner = claims.get(PARTNER_CLAIM)
    return Principal.from_groups(
        sub=str(claims["sub"]),
        groups=_groups(claims.get(GROUPS_CLAIM)),
        partner_id=str(partner) if partner else None,
    )
