"""The acceptance of the foundation issue, over HTTP against `channelfin dev`."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests import operations as ops
from tests.e2e.conftest import DevServer, process_alive

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only


def _register(server: DevServer, admin: str, name: str, *roles: str) -> str:
    data = server.gql(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})
    assert data["registerPartner"]["userErrors"] == []
    return data["registerPartner"]["partner"]["id"]


@pytest.fixture(scope="module")
def setup(dev_server):
    admin = dev_server.token("leaser-admin", sub="alice")
    leaser = _register(dev_server, admin, "Leasecom", "LEASER")
    publisher = _register(dev_server, admin, "all-in-web", "PUBLISHER")
    reseller = _register(dev_server, admin, "Logiciels du Sud", "RESELLER")
    dev_server.link(publisher, reseller)  # so the publisher may name it on its contracts
    agreement = dev_server.gql(
        admin,
        ops.SIGN_AGREEMENT,
        input={"partnerId": publisher, "leaserId": leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )
    return {
        "admin": admin,
        "leaser": leaser,
        "publisher": publisher,
        "reseller": reseller,
        "agreement": agreement["signFinancingAgreement"]["agreement"]["id"],
    }


def test_worked_example_over_http(dev_server, setup):
    publisher_user = dev_server.token("partner-user", partner=setup["publisher"])
    base = {"agreementId": setup["agreement"], "periodicity": "MONTHLY", "termMonths": 36}
    q = dev_server.gql(publisher_user, ops.LEASE_QUOTE, input={**base, "softwareFee": "1000.00"})["leaseQuote"]
    assert (q["financedAmount"]["amount"], q["upfrontPayout"]["amount"], q["leaserFees"]["amount"]) == (
        "33035.37",
        "32885.37",
        "3114.63",
    )
    assert q["decisionMode"] == "IMMEDIATE"
    back = dev_server.gql(publisher_user, ops.LEASE_QUOTE, input={**base, "financedAmount": "50000.00"})
    assert back["leaseQuote"]["rent"]["amount"] == "1513.53"
    assert back["leaseQuote"]["decisionMode"] == "CREDIT_REVIEW"


def test_partner_user_sees_only_its_own_contracts(dev_server, setup):
    admin = setup["admin"]
    other = _register(dev_server, admin, "Autre Éditeur", "PUBLISHER")
    contract_input = {
        "ownerId": setup["publisher"],
        "publisherId": setup["publisher"],
        "resellerId": setup["reseller"],
        "customer": {"name": "Boulangerie Martin", "registrationNumber": "552100554"},
        "periodicity": "MONTHLY",
        "termMonths": 36,
        "startDate": "2027-01-01",
        "softwareFee": "1000.00",
        "supportFee": "150.00",
    }
    publisher_admin = dev_server.token("partner-admin", partner=setup["publisher"])
    mine = dev_server.gql(publisher_admin, ops.CREATE_CONTRACT, input=contract_input)["createContract"]["contract"]
    theirs = dev_server.gql(
        dev_server.token("partner-admin", partner=other),
        ops.CREATE_CONTRACT,
        input={**contract_input, "ownerId": other, "publisherId": other, "resellerId": None},
    )["createContract"]["contract"]

    reseller_user = dev_server.token("partner-user", partner=setup["reseller"])
    listed = dev_server.gql(reseller_user, ops.CONTRACTS)["contracts"]["edges"]
    assert [e["node"]["id"] for e in listed] == [mine["id"]]
    assert dev_server.gql(reseller_user, ops.CONTRACT, id=theirs["id"]) == {"contract": None}
    assert dev_server.gql(admin, ops.CONTRACT, id=theirs["id"])["contract"]["owner"]["name"] == "Autre Éditeur"


def test_no_token_or_a_forged_one_gets_no_data(dev_server, setup):
    for token in (None, "not-a-jwt", setup["admin"][:-4] + "AAAA"):
        response = dev_server.post(token, "{ contracts { edges { node { id } } } }")
        assert response.status_code == 401
        assert "data" not in response.json()
    # A token signed with another data directory's secret is refused too.
    foreign = subprocess.run(
        [sys.executable, "-m", "channelfin.cli", "token", "--role", "leaser-admin", "--data-dir", "/tmp/elsewhere-cf"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert dev_server.post(foreign, "{ viewer { sub } }").status_code == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (bytes(range(256)), "application/octet-stream"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"[]", "application/json"),
    ],
)
def test_malformed_bodies_get_a_4xx(dev_server, setup, body, content_type):
    response = httpx.post(
        dev_server.url,
        content=body,
        timeout=10,
        headers={"Authorization": f"Bearer {setup['admin']}", "Content-Type": content_type},
    )
    assert 400 <= response.status_code < 500, response.text
    assert "Traceback" not in response.text


def test_graphiql_page_is_served_to_a_browser(dev_server):
    response = httpx.get(dev_server.url, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


@pytest.fixture
def empty_server(tmp_path):
    from channelfin.local.dynamodb_local import free_port

    server = DevServer(data_dir=tmp_path / "data", port=free_port())
    server.start()
    yield server
    server.stop()


def test_seed_demo_fills_the_stack_once(empty_server):
    dev_server = empty_server
    cmd = [
        sys.executable,
        "-m",
        "channelfin.cli",
        "seed-demo",
        "--url",
        dev_server.url,
        "--data-dir",
        str(dev_server.data_dir),
    ]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Actebis" in first.stdout and "contract Boulangerie Martin" in first.stdout
    # the demo's partners consent as real ones would: each accepts its enrolment or its reseller link
    assert "Web Affilié Nantes enrolled as AFFILIATE, accepted, entry fee 6000.00 charged" in first.stdout
    assert "reseller link all-in-web ↔ Logiciels du Sud, accepted by Logiciels du Sud" in first.stdout
    assert "a commission for Prescripteur Conseil" in first.stdout
    assert "firm OEM order of 2,500.00 at ETC: extras 10000.00, available 27500.00" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0 and "already there" in second.stdout
    admin = dev_server.token("leaser-admin")
    distributors = dev_server.gql(admin, "{ partners(filter: {role: DISTRIBUTOR}) { edges { node { name } } } }")
    assert [e["node"]["name"] for e in distributors["partners"]["edges"]] == ["Actebis", "ETC"]
    commissions = dev_server.gql(
        admin, "{ payouts { edges { node { kind amount { amount } beneficiary { name } } } } }"
    )
    # 15% of the first annuity: 12 × (500.00 + 80.00)
    assert {"kind": "COMMISSION", "amount": {"amount": "1044.00"}, "beneficiary": {"name": "Prescripteur Conseil"}} in [
        e["node"] for e in commissions["payouts"]["edges"]
    ]


def test_seed_demo_without_a_server_says_so(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "channelfin.cli",
            "seed-demo",
            "--url",
            "http://127.0.0.1:9/graphql",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "channelfin dev" in result.stderr and "Traceback" not in result.stderr


def test_restart_keeps_the_data_and_sigterm_leaves_no_java(tmp_path):
    from channelfin.local.dynamodb_local import free_port

    server = DevServer(data_dir=tmp_path / "data", port=free_port())
    server.start()
    admin = server.token("leaser-admin")
    partner = _register(server, admin, "Persistante SA", "PUBLISHER")
    java_pid = server.dynamodb_pid
    assert java_pid and process_alive(java_pid)
    assert server.stop() == 0
    assert not process_alive(java_pid), "DynamoDB Local outlived channelfin dev"
    assert "stopped" in "".join(server.output)

    server.start()
    try:
        found = server.gql(server.token("leaser-admin"), "query($id: ID!) { partner(id: $id) { name } }", id=partner)
        assert found == {"partner": {"name": "Persistante SA"}}
    finally:
        server.stop()
