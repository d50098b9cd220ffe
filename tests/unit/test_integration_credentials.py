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
    assert principal_from_claims(claims, CLIENTS) is None


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


def test_a_user_in_the_integration_group_is_never_the_connector():
    # The red team's finding: an access token of a user in the Cognito `integration` group, with no
    # partner, was taken for the platform's e-signature connector (every tenant, every signature).
    claims = {"sub": "mallory", "cognito:groups": "[integration]", "token_use": "access"}
    principal = principal_from_claims(claims, CLIENTS)
    assert principal is not None and not principal.is_platform_connector and not principal.sees_everything
    assert not principal.can_see_partner("partner-42")


@pytest.mark.parametrize("groups", [None, "[]", "[former-staff]"])
def test_a_token_with_no_group_we_know_gets_nothing_whatever_partner_it_names(groups):
    claims = {"sub": "u1", "custom:partner_id": "p7", "token_use": "access"}
    if groups is not None:
        claims["cognito:groups"] = groups
    assert principal_from_claims(claims, CLIENTS) is None


def test_a_dev_integration_token_without_partner_is_the_local_connector_whatever_its_sub():
    from channelfin.api.http.auth import LOCAL_CONNECTOR_CLIENT
    from channelfin.local.tokens import issue, verify

    for sub in (None, "leaser-admin", "anyone"):
        claims = verify("s" * 32, issue("s" * 32, role="integration", sub=sub))
        assert "cognito:groups" not in claims
        connector = principal_from_claims(claims, {LOCAL_CONNECTOR_CLIENT: None})
        assert connector is not None and connector.is_platform_connector
        assert principal_from_claims(claims, {}) is None  # a server that does not know the client: nothing
    with_partner = principal_from_claims(verify("s" * 32, issue("s" * 32, role="integration", partner_id="p9")))
    assert with_partner is not None and with_partner.acts_for("p9") and not with_partner.is_platform_connector


def test_a_token_naming_a_partner_carries_no_leaser_staff_role():
    # The third review: a publisher's user put in the credit-analyst group approved its own
    # publisher's 99,106.11 file and confirmed its own mailbox as the end client's signatory.
    both = {"sub": "eve", "cognito:groups": ["partner-admin", "credit-analyst"], "custom:partner_id": "p1"}
    principal = principal_from_claims(both)
    assert principal is not None
    assert principal.roles == frozenset({Role.PARTNER_ADMIN}) and not principal.is_leaser_staff
    staff_only = {"sub": "eve", "cognito:groups": ["credit-analyst"], "custom:partner_id": "p1"}
    assert principal_from_claims(staff_only) is None  # nothing left: no data
    analyst = principal_from_claims({"sub": "ana", "cognito:groups": ["credit-analyst"]})
    assert analyst is not None and analyst.roles == frozenset({Role.CREDIT_ANALYST})


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["token", "--role", "credit-analyst", "--partner", "p1"], "act for no partner"),
        (["token", "--role", "partner-admin"], "give --partner"),
        (["token", "--role", "treasury", "--ttl", "soon"], "is not a whole number"),
        (["token", "--role", "treasury", "--ttl", "99999999999"], "more than 30 days"),
        (["dev", "--port", "70000"], "is not a TCP port"),
        (["export-schema", "--output", "/nonexistent/dir/schema.graphql"], "cannot write"),
    ],
)
def test_the_cli_refuses_what_would_break_later_with_a_sentence(argv, says, capsys, tmp_path):
    from channelfin.cli import main

    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--data-dir", str(tmp_path)] if argv[0] == "token" else argv)
    assert stopped.value.code != 0
    printed = str(stopped.value.code) + capsys.readouterr().err
    assert says in printed and "Traceback" not in printed
