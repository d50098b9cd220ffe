"""From JWT claims (as Cognito issues them) to the domain's `Principal`.

Also `LOCAL_CONNECTOR_CLIENT`, the client id `channelfin dev` knows as the platform's
connector (its dev tokens for `--role integration` without a partner carry it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from channelfin.domain.access import Principal

PARTNER_CLAIM = "custom:partner_id"
GROUPS_CLAIM = "cognito:groups"
INTEGRATION_SCOPE = "channelfin/submit"
LOCAL_CONNECTOR_CLIENT = "channelfin-local-connector"


def _groups(value: Any) -> list[str]:
    # API Gateway's JWT authorizer hands list claims over as the string "[a b]".
    if value is None:
        return []
    if isinstance(value, str):
        return [g for g in value.strip("[]").replace(",", " ").split() if g]
    return [str(g) for g in value]


def principal_from_claims(
    claims: Mapping[str, Any] | None, integration_clients: Mapping[str, str | None] | None = None
) -> Principal | None:
    """The caller, or None (no data) when the claims say nobody we know.

    A Cognito client-credentials token (an integrator's machine) carries no groups and no
    custom claims, only its `client_id` and scopes: with the `channelfin/submit` scope it is
    an `integration` caller, acting for the partner `integration_clients` maps its client id
    to (None: the platform's own connector). An unmapped client id gets nothing.
    """
    if not claims or not claims.get("sub"):
        return None
    groups = _groups(claims.get(GROUPS_CLAIM))
    if not groups and INTEGRATION_SCOPE in str(claims.get("scope") or "").split():
        client = str(claims.get("client_id") or claims["sub"])
        if integration_clients is None or client not in integration_clients:
            return None
        partner = integration_clients[client]
        if partner is None:
            return Principal.platform_connector(sub=str(claims["sub"]))
        return Principal.from_groups(sub=str(claims["sub"]), groups=["integration"], partner_id=partner)
    # A user's token is what its groups say: the connector is never a group member (a user in the
    # `integration` group with no partner acts for nobody), and no group we know gives nothing.
    partner = claims.get(PARTNER_CLAIM)
    return Principal.from_groups(sub=str(claims["sub"]), groups=groups, partner_id=str(partner) if partner else None)
