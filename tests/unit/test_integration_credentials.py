"""Integrators' machine tokens (Cognito client credentials) become `integration` callers of one partner."""

from __future__ import annotations

import pytest

from channelfin.api.http.auth import principal_from_claims
from channelfin.bootstrap import Settings
from channelfin.domain.access import Role

CLIENTS = {"3abc-integrator": "partner-42", "9xyz-esign": None}


def m2m(client_id: str, scope: str = "channelfin/submit") -> dict[str, str]:
    # What Cognito puts in a client-credentials access token: no groups, no custom claims.
    return {"sub": client_id, "client_id": client_id, "scope": scope, "token_use": "access"}


def test_a_mapped_client_acts_for_its_partner_as_integration():
    principal = principal_from_claims(m2m("3abc-integrator"), CLIENTS)
    assert principal is not None
    assert principal.roles == frozenset({Role.INTEGRATION}) and principal.partner_id == "partner-42"
    assert principal.acts_for("partner-42") and not principal.sees_everything


def test_a_client_mapped_to_no_partner_is_the_platform_connector():
    principal = principal_from_claims(m2m("9xyz-esign"), CLIENTS)
    assert principal is not None and principal.is_platform_connector


@pytest.mark.parametrize(
    "claims",
    [m2m("unknown-client"), m2m("3abc-integrator", scope="other/scope"), {"client_id": "3abc-integrator"}],
    ids=["unmapped-client", "without-the-scope", "no-sub"],
)
def test_an_unknown_machine_gets_nothing(claims):
    principal = principal_from_claims(claims, CLIENTS)
    assert principal is None or principal.roles == frozenset()


def test_a_users_token_keeps_its_groups_and_partner_whatever_the_mapping():
    claims = {"sub": "u1", "cognito:groups": "[partner-admin]", "custom:partner_id": "p7", "scope": "channelfin/submit"}
    principal = principal_from_claims(claims, CLIENTS)
    assert principal is not None and principal.roles == frozenset({Role.PARTNER_ADMIN}) and principal.partner_id == "p7"


def test_the_mapping_comes_from_the_environment():
    settings = Settings.from_env({"CHANNELFIN_INTEGRATION_CLIENTS": '{"c1": "p1", "c2": null}'})
    assert settings.integration_clients == {"c1": "p1", "c2": None}
    assert Settings.from_env({}).integration_clients == {}
    with pytest.raises(ValueError):
        Settings.from_env({"CHANNELFIN_INTEGRATION_CLIENTS": '["c1"]'})
