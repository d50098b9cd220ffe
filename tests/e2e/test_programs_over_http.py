"""The partner-program acceptance of seed 001, over HTTP against `channelfin dev`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests import operations as ops

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only


@pytest.fixture(scope="module")
def program(dev_server):
    s = dev_server
    admin = s.token("leaser-admin", sub="alice")

    def register(name, *roles):
        return s.gql(admin, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})["registerPartner"][
            "partner"
        ]["id"]

    publisher = register("Éditeur Programme", "PUBLISHER")
    publisher_admin = s.token("partner-admin", partner=publisher, sub="pia")
    program_id = s.gql(
        publisher_admin,
        ops.CREATE_PROGRAM,
        input={"publisherId": publisher, "name": "Programme", "entryFeeRate": "0.03"},
    )["createPartnerProgram"]["program"]["id"]
    members = {}
    for tier, roles, potential in (
        ("PRESCRIBER", ("PRESCRIBER",), None),
        ("INTEGRATOR_AFFILIATE", ("INTEGRATOR",), None),
        ("INDEPENDENT_INTEGRATOR", ("INTEGRATOR",), None),
        ("AFFILIATE", ("AFFILIATE", "RESELLER"), "200000.00"),
    ):
        partner = register(f"{tier} HTTP", *roles)
        enrollment = s.gql(
            publisher_admin,
            ops.ENROLL,
            input={
                "programId": program_id,
                "partnerId": partner,
                "tier": tier,
                "segmentPotential": potential,
            },
        )["enrollPartner"]["enrollment"]
        s.accept_enrollment(enrollment["id"], partner)
        if "INTEGRATOR" in tier:
            s.gql(publisher_admin, ops.QUALIFY, input={"enrollmentId": enrollment["id"], "qualified": True})
        members[tier] = {"partner": partner, "enrollment": enrollment}
    return {
        "admin": admin,
        "publisher": publisher,
        "publisher_admin": publisher_admin,
        "program": program_id,
        "members": members,
        "connector": s.token("integration", sub="esign"),
    }


def _sell(s, p, tier, term=36, owner=None):
    owner = owner or p["publisher"]
    owner_token = s.token("partner-admin", partner=owner)
    contract = s.gql(
        owner_token,
        ops.CREATE_CONTRACT,
        input={
            "ownerId": owner,
            "publisherId": p["publisher"],
            "resellerId": owner if owner != p["publisher"] else None,
            "customer": {"name": "Client", "registrationNumber": "552100554"},
            "periodicity": "MONTHLY",
            "termMonths": term,
            "startDate": "2027-01-01",
            "softwareFee": "400.00",
            "supportFee": "100.00",
            "enrollmentId": p["members"][tier]["enrollment"]["id"],
        },
    )["createContract"]
    assert contract["userErrors"] == [], contract["userErrors"]
    contract_id = contract["contract"]["id"]
    for _ in range(2):  # the e-signature webhook delivers the event twice
        signed = s.gql(
            p["connector"],
            ops.RECORD_SIGNATURE,
            input={"contractId": contract_id, "document": "SALE_CONTRACT", "signedBy": "Client"},
        )["recordSignature"]
        assert signed["userErrors"] == [] and signed["contract"]["status"] == "ACTIVE"
    data = s.gql(p["admin"], ops.FINANCED_CONTRACT, id=contract_id)["contract"]
    return {
        kind: sorted(e["node"]["amount"]["amount"] for e in data["payouts"]["edges"] if e["node"]["kind"] == kind)
        for kind in ("COMMISSION", "PARTNER_CHARGE")
    }


def test_commissions_and_charges_of_the_four_tiers(dev_server, program):
    s, p = dev_server, program
    assert p["members"]["AFFILIATE"]["enrollment"]["entryFee"] == {"amount": "6000.00"}
    assert _sell(s, p, "PRESCRIBER") == {"COMMISSION": ["900.00"], "PARTNER_CHARGE": []}
    assert _sell(s, p, "PRESCRIBER", term=6) == {"COMMISSION": ["450.00"], "PARTNER_CHARGE": []}
    assert _sell(s, p, "INTEGRATOR_AFFILIATE") == {"COMMISSION": [], "PARTNER_CHARGE": []}
    assert _sell(s, p, "INTEGRATOR_AFFILIATE") == {"COMMISSION": ["4200.00"], "PARTNER_CHARGE": []}
    _sell(s, p, "INDEPENDENT_INTEGRATOR")
    assert _sell(s, p, "INDEPENDENT_INTEGRATOR") == {"COMMISSION": ["3000.00"], "PARTNER_CHARGE": []}
    affiliate = p["members"]["AFFILIATE"]["partner"]
    assert _sell(s, p, "AFFILIATE", owner=affiliate) == {
        "COMMISSION": [],
        "PARTNER_CHARGE": ["3000.00", "3000.00", "3000.00"],
    }

    year = datetime.now(UTC).year
    rows = s.gql(p["publisher_admin"], ops.COMPLIANCE, programId=p["program"], year=year)["affiliateCompliance"]
    assert [(r["partner"]["id"], r["sales"], r["meetsMinimum"]) for r in rows] == [(affiliate, 1, False)]


def test_an_enrolment_nobody_accepted_creates_no_charge_on_the_partners_statement(dev_server, program):
    s, p = dev_server, program
    admin = p["admin"]
    affiliate = s.gql(admin, ops.REGISTER_PARTNER, input={"name": "Affilié Muet", "roles": ["AFFILIATE", "RESELLER"]})
    affiliate = affiliate["registerPartner"]["partner"]["id"]
    enrollment = s.gql(
        p["publisher_admin"],
        ops.ENROLL,
        input={"programId": p["program"], "partnerId": affiliate, "tier": "AFFILIATE", "segmentPotential": "500000.00"},
    )["enrollPartner"]["enrollment"]
    assert (enrollment["status"], enrollment["entryFee"]) == ("PENDING", {"amount": "15000.00"})
    attributed = s.gql(
        p["publisher_admin"],
        ops.CREATE_CONTRACT,
        input={
            "ownerId": p["publisher"],
            "publisherId": p["publisher"],
            "customer": {"name": "Client", "registrationNumber": "552100554"},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": "400.00",
            "supportFee": "100.00",
            "enrollmentId": enrollment["id"],
        },
    )["createContract"]
    assert [e["code"] for e in attributed["userErrors"]] == ["ENROLLMENT_NOT_ACCEPTED"]

    own = s.token("partner-user", partner=affiliate)
    period = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}
    statement = s.gql(own, ops.LEDGER_STATEMENT, partnerId=affiliate, **period)["partnerStatement"]
    assert statement["lines"] == [] and statement["entries"] == []
    assert (statement["charged"], statement["closingBalance"]) == ({"amount": "0.00"}, {"amount": "0.00"})
    offered = s.gql(own, ops.ENROLLMENTS, partnerId=affiliate, status="PENDING")["enrollments"]["edges"]
    assert [e["node"]["id"] for e in offered] == [enrollment["id"]]  # it sees what it was offered

    declined = s.consent(affiliate, ops.DECLINE_ENROLLMENT, enrollmentId=enrollment["id"])
    assert declined["enrollment"]["status"] == "DECLINED"
    after = s.gql(own, ops.LEDGER_STATEMENT, partnerId=affiliate, **period)["partnerStatement"]
    assert after["lines"] == [] and after["charged"] == {"amount": "0.00"}
