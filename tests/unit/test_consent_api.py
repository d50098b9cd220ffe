"""Consent (issue 17): enrolments the enrolled partner answers, reseller links, the relation a contract or
a reported sale needs, and the bounds on a program's rates. Through GraphQL, on the fakes and again on
DynamoDB Local (the `ports` mark)."""

from __future__ import annotations

from typing import Any

import pytest

from channelfin.api.core.ids import from_global_id
from tests import operations as ops
from tests.factories import LEASER_ADMIN, principal
from tests.incentive_flow import Who
from tests.program_flow import ProgramFlow
from tests.world import admin_of, register

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local

EVER = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}


@pytest.fixture
def programs(world) -> ProgramFlow:
    flow = ProgramFlow(world)
    flow.create_program()
    return flow


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def books(world, partner: str) -> dict[str, Any]:
    """What the partner's statement and ledger say, read by a leaser admin."""
    result = world.run(LEASER_ADMIN, ops.LEDGER_STATEMENT, partnerId=partner, **EVER)
    assert result.errors == [], result.errors
    statement = result.data["partnerStatement"]
    balances = world.run(LEASER_ADMIN, ops.BALANCES, id=partner).data["partner"]["balances"]
    return {
        "lines": [(line["kind"], line["amount"]["amount"], line["payer"]["id"]) for line in statement["lines"]],
        "charged": statement["charged"]["amount"],
        "entries": len(statement["entries"]),
        "closing": statement["closingBalance"]["amount"],
        "balances": balances,
    }


NOTHING = {"lines": [], "charged": "0.00", "entries": 0, "closing": "0.00", "balances": []}


def answer(world, who, enrollment: str, operation: str = ops.ACCEPT_ENROLLMENT):
    return world.run(who, operation, input={"enrollmentId": enrollment})


def payload_of(result, name: str) -> dict[str, Any]:
    assert result.errors == [], result.errors
    return result.data[name]


def enrollment_status(world, enrollment: str) -> str:
    return world.run(LEASER_ADMIN, "query($id: ID!) { enrollment(id: $id) { status } }", id=enrollment).data[
        "enrollment"
    ]["status"]


# ---------------------------------------------------------------- enrolments


def test_a_pending_enrolment_charges_nothing_and_takes_no_contract(programs):
    offered = programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00", accept=False)
    assert offered["status"] == "PENDING"
    assert offered["entryFee"] == {"amount": "6000.00"}  # what an acceptance would charge, shown beforehand
    affiliate = programs.partners["AFFILIATE"]
    assert books(programs.world, affiliate) == NOTHING

    for owner in (programs.world.publisher, affiliate):
        refused = programs.attributed_contract("AFFILIATE", owner=owner)
        assert codes(refused) == ["ENROLLMENT_NOT_ACCEPTED"] and refused["contract"] is None
    listed = programs.world.run(LEASER_ADMIN, ops.CONTRACTS, filter={"partnerId": affiliate}).data["contracts"]
    assert listed["edges"] == []  # nothing written
    assert books(programs.world, affiliate) == NOTHING


def test_an_accepted_enrolment_charges_its_entry_fee_once_then_takes_contracts(programs):
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00", accept=False)
    affiliate, enrollment = programs.partners["AFFILIATE"], programs.enrollments["AFFILIATE"]

    accepted = programs.accept("AFFILIATE")
    assert accepted["status"] == "ACCEPTED" and accepted["answeredAt"]
    assert accepted["answeredBy"] == f"consent-admin-of-{from_global_id(affiliate)[1]}"
    charged = books(programs.world, affiliate)
    assert charged["lines"] == [("ENTRY_FEE", "6000.00", affiliate)]
    assert (charged["charged"], charged["closing"], charged["entries"]) == ("6000.00", "-6000.00", 1)

    for operation in (ops.ACCEPT_ENROLLMENT, ops.DECLINE_ENROLLMENT):  # answered once
        again = answer(programs.world, admin_of(affiliate), enrollment, operation)
        name = "acceptEnrollment" if operation is ops.ACCEPT_ENROLLMENT else "declineEnrollment"
        assert codes(payload_of(again, name)) == ["ALREADY_ANSWERED"]
    assert books(programs.world, affiliate) == charged
    assert enrollment_status(programs.world, enrollment) == "ACCEPTED"

    contract = programs.sell("AFFILIATE", owner=affiliate)
    assert len(programs.payouts_of(contract, "PARTNER_CHARGE")) == 3


def test_a_declined_enrolment_stays_declined_and_charges_nothing(programs):
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00", accept=False)
    affiliate, enrollment = programs.partners["AFFILIATE"], programs.enrollments["AFFILIATE"]

    declined = payload_of(
        answer(programs.world, admin_of(affiliate), enrollment, ops.DECLINE_ENROLLMENT), "declineEnrollment"
    )
    assert declined["userErrors"] == [] and declined["enrollment"]["status"] == "DECLINED"
    late = payload_of(answer(programs.world, admin_of(affiliate), enrollment), "acceptEnrollment")
    assert codes(late) == ["ALREADY_ANSWERED"] and late["enrollment"] is None
    assert enrollment_status(programs.world, enrollment) == "DECLINED"
    assert books(programs.world, affiliate) == NOTHING
    refused = programs.attributed_contract("AFFILIATE", owner=affiliate)
    assert codes(refused) == ["ENROLLMENT_NOT_ACCEPTED"]
    rows = programs.world.run(programs.publisher_admin, ops.COMPLIANCE, programId=programs.program, year=2026)
    assert rows.data["affiliateCompliance"] == []  # not an affiliate of the program


def test_only_the_enrolled_partners_admin_answers(programs):
    world = programs.world
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00", accept=False)
    affiliate, enrollment = programs.partners["AFFILIATE"], programs.enrollments["AFFILIATE"]
    local = from_global_id(affiliate)[1]
    for who in (
        programs.publisher_admin,  # the publisher cannot accept for the partner
        LEASER_ADMIN,  # nor the leaser
        principal("partner-user", partner_id=local, sub="affiliate-user"),
        principal("integration", partner_id=local, sub="affiliate-connector"),
    ):
        for operation in (ops.ACCEPT_ENROLLMENT, ops.DECLINE_ENROLLMENT):
            assert answer(world, who, enrollment, operation).codes == ["FORBIDDEN"]
    unrelated = world.user_of(world.stranger, "partner-admin")
    hidden = payload_of(answer(world, unrelated, enrollment), "acceptEnrollment")
    assert codes(hidden) == ["NOT_FOUND"]
    assert enrollment_status(world, enrollment) == "PENDING"
    assert books(world, affiliate) == NOTHING


def test_a_partner_lists_the_enrolments_it_was_offered(programs):
    world = programs.world
    partner = register(world.ports, "Cabinet Multi", "RESELLER", "PRESCRIBER", "AFFILIATE")
    for tier, potential in (("PRESCRIBER", None), ("AFFILIATE", "10000.00")):
        payload = programs.mutate(
            programs.publisher_admin,
            ops.ENROLL,
            "enrollPartner",
            programId=programs.program,
            partnerId=partner,
            tier=tier,
            segmentPotential=potential,
        )
        programs.partners[tier], programs.enrollments[tier] = partner, payload["enrollment"]["id"]
    programs.accept("PRESCRIBER")
    own = world.user_of(partner)

    def listed(who, **filters) -> list[tuple[str, str]]:
        found = world.run(who, ops.ENROLLMENTS, partnerId=partner, **filters)
        assert found.errors == [], found.errors
        return [(e["node"]["id"], e["node"]["status"]) for e in found.data["enrollments"]["edges"]]

    everything = listed(own)
    assert sorted(everything) == sorted(
        [(programs.enrollments["PRESCRIBER"], "ACCEPTED"), (programs.enrollments["AFFILIATE"], "PENDING")]
    )
    assert listed(own, status="PENDING") == [(programs.enrollments["AFFILIATE"], "PENDING")]
    assert listed(LEASER_ADMIN, status="ACCEPTED") == [(programs.enrollments["PRESCRIBER"], "ACCEPTED")]
    first = world.run(own, ops.ENROLLMENTS, partnerId=partner, first=1).data["enrollments"]
    rest = world.run(own, ops.ENROLLMENTS, partnerId=partner, first=1, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in first["edges"] + rest.data["enrollments"]["edges"]] == [i for i, _ in everything]
    assert listed(world.user_of(world.stranger)) == []  # another partner's offers are not its business


# ---------------------------------------------------------------- bounds


def test_a_publisher_sets_no_rate_above_the_defaults_but_the_leaser_may(programs):
    world = programs.world

    def create(who, **fields) -> dict[str, Any]:
        values = {"publisherId": world.publisher, "name": "Programme borné", "entryFeeRate": "0.03", **fields}
        return programs.mutate(who, ops.CREATE_PROGRAM, "createPartnerProgram", **values)

    before = world.ports.programs.programs_of(from_global_id(world.publisher)[1])
    refused = [
        ({"entryFeeRate": "0.0501"}, ["input", "entryFeeRate"]),
        ({"tierRules": [{"tier": "PRESCRIBER", "rate": "0.16"}]}, ["input", "tiers", "PRESCRIBER", "rate"]),
        ({"tierRules": [{"tier": "AFFILIATE", "rate": "1"}]}, ["input", "tiers", "AFFILIATE", "rate"]),
        (  # a commission tier turned into a charge is bounded by the affiliate's 50%
            {"tierRules": [{"tier": "INTEGRATOR_AFFILIATE", "reward": "RECURRING_CHARGE"}]},
            ["input", "tiers", "INTEGRATOR_AFFILIATE", "rate"],
        ),
    ]
    for fields, field in refused:
        answer_ = create(programs.publisher_admin, **fields)
        assert [(e["code"], e["field"]) for e in answer_["userErrors"]] == [("RATE_ABOVE_BOUND", field)], fields
        assert answer_["program"] is None
    assert world.ports.programs.programs_of(from_global_id(world.publisher)[1]) == before  # nothing written

    at_the_bounds = create(
        programs.publisher_admin,
        entryFeeRate="0.05",
        tierRules=[{"tier": "PRESCRIBER", "rate": "0.15"}, {"tier": "INTEGRATOR_AFFILIATE", "rate": "0.60"}],
    )
    assert at_the_bounds["userErrors"] == []
    raised = create(LEASER_ADMIN, entryFeeRate="0.10", tierRules=[{"tier": "PRESCRIBER", "rate": "0.30"}])
    assert raised["userErrors"] == [] and raised["program"]["entryFeeRate"] == "0.10"
    assert {t["tier"]: t["rate"] for t in raised["program"]["tiers"]}["PRESCRIBER"] == "0.30"


# ---------------------------------------------------------------- reseller links


def request_link(world, who, publisher: str, reseller: str) -> dict[str, Any]:
    return payload_of(
        world.run(who, ops.REQUEST_LINK, input={"publisherId": publisher, "resellerId": reseller}),
        "requestResellerLink",
    )


def answer_link(world, who, link: str, operation: str = ops.ACCEPT_LINK):
    return world.run(who, operation, input={"linkId": link})


def link_ids(world, who, partner: str, **filters) -> list[str]:
    found = world.run(who, ops.RESELLER_LINKS, partnerId=partner, **filters)
    assert found.errors == [], found.errors
    return [e["node"]["id"] for e in found.data["resellerLinks"]["edges"]]


def test_a_link_asked_by_the_publisher_is_accepted_by_the_reseller_only(world):
    reseller = register(world.ports, "Revendeur Nouveau", "RESELLER")
    asked = request_link(world, admin_of(world.publisher), world.publisher, reseller)
    assert asked["userErrors"] == []
    link = asked["link"]
    assert (link["status"], link["requestedBy"]["id"], link["answeredBy"]["id"]) == (
        "PENDING",
        world.publisher,
        reseller,
    )
    for who in (admin_of(world.publisher), LEASER_ADMIN, world.user_of(reseller, "partner-user")):
        assert answer_link(world, who, link["id"]).codes == ["FORBIDDEN"]
    assert codes(
        payload_of(answer_link(world, world.user_of(world.stranger, "partner-admin"), link["id"]), "acceptResellerLink")
    ) == ["NOT_FOUND"]

    accepted = payload_of(answer_link(world, admin_of(reseller), link["id"]), "acceptResellerLink")
    assert accepted["userErrors"] == [] and accepted["link"]["status"] == "ACCEPTED"
    assert accepted["link"]["answeredAt"]
    again = payload_of(answer_link(world, admin_of(reseller), link["id"], ops.DECLINE_LINK), "declineResellerLink")
    assert codes(again) == ["ALREADY_ANSWERED"]
    assert codes(request_link(world, admin_of(reseller), world.publisher, reseller)) == ["LINK_EXISTS"]

    # Both sides and leaser staff see it; nobody else.
    node = "query($id: ID!) { node(id: $id) { ... on ResellerLink { id status } } }"
    for who in (world.user_of(world.publisher), world.user_of(reseller), LEASER_ADMIN):
        assert world.run(who, node, id=link["id"]).data["node"] == {"id": link["id"], "status": "ACCEPTED"}
    assert world.run(world.user_of(world.stranger), node, id=link["id"]).data["node"] is None
    assert link["id"] in link_ids(world, world.user_of(world.publisher), world.publisher)
    assert link_ids(world, world.user_of(reseller), reseller, asReseller=True) == [link["id"]]
    assert link_ids(world, world.user_of(world.stranger), reseller, asReseller=True) == []


def test_a_link_asked_by_the_reseller_is_answered_by_the_publisher_and_may_be_asked_again(world):
    reseller = register(world.ports, "Revendeur Demandeur", "RESELLER")
    link = request_link(world, admin_of(reseller), world.publisher, reseller)["link"]
    assert (link["requestedBy"]["id"], link["answeredBy"]["id"]) == (reseller, world.publisher)
    assert answer_link(world, admin_of(reseller), link["id"]).codes == ["FORBIDDEN"]  # not its own request
    assert codes(request_link(world, admin_of(world.publisher), world.publisher, reseller)) == ["LINK_EXISTS"]
    assert link_ids(world, LEASER_ADMIN, world.publisher, status="PENDING") == [link["id"]]

    declined = payload_of(
        answer_link(world, admin_of(world.publisher), link["id"], ops.DECLINE_LINK), "declineResellerLink"
    )
    assert declined["link"]["status"] == "DECLINED"
    assert link_ids(world, LEASER_ADMIN, world.publisher, status="PENDING") == []
    assert codes(
        world.run(admin_of(world.publisher), ops.CREATE_CONTRACT, input=world.contract_input(resellerId=reseller)).data[
            "createContract"
        ]
    ) == ["NO_ACCEPTED_RELATIONSHIP"]

    anew = request_link(world, admin_of(reseller), world.publisher, reseller)
    assert anew["userErrors"] == [] and anew["link"]["status"] == "PENDING" and anew["link"]["id"] == link["id"]
    accepted = payload_of(answer_link(world, admin_of(world.publisher), link["id"]), "acceptResellerLink")
    assert accepted["link"]["status"] == "ACCEPTED"


def test_only_a_sides_partner_admin_asks_for_a_link(world):
    reseller = register(world.ports, "Revendeur Sollicité", "RESELLER")
    for who in (LEASER_ADMIN, world.user_of(world.publisher, "partner-user"), admin_of(world.stranger)):
        result = world.run(who, ops.REQUEST_LINK, input={"publisherId": world.publisher, "resellerId": reseller})
        assert result.codes == ["FORBIDDEN"]
    host = register(world.ports, "Hébergeur", "HOST")
    assert codes(request_link(world, admin_of(world.publisher), world.publisher, host)) == ["NOT_A_RESELLER"]
    assert codes(request_link(world, admin_of(reseller), reseller, reseller)) == ["NOT_A_PUBLISHER"]
    assert link_ids(world, LEASER_ADMIN, reseller, asReseller=True) == []


# ---------------------------------------------------------------- who may be named


def test_a_contract_naming_an_unlinked_reseller_is_refused_and_writes_nothing(world):
    reseller = register(world.ports, "Revendeur Inconnu", "RESELLER")
    publisher_admin = admin_of(world.publisher)

    def create(who, **fields) -> dict[str, Any]:
        return payload_of(world.run(who, ops.CREATE_CONTRACT, input=world.contract_input(**fields)), "createContract")

    def contracts_of(partner: str) -> list[str]:
        found = world.run(LEASER_ADMIN, ops.CONTRACTS, filter={"partnerId": partner}).data["contracts"]["edges"]
        return [e["node"]["id"] for e in found]

    introducer = create(publisher_admin, resellerId=reseller)
    assert [(e["code"], e["field"]) for e in introducer["userErrors"]] == [
        ("NO_ACCEPTED_RELATIONSHIP", ["input", "resellerId"])
    ]
    buy_resell = create(admin_of(reseller), ownerId=reseller, resellerId=reseller)
    assert codes(buy_resell) == ["NO_ACCEPTED_RELATIONSHIP"]
    assert contracts_of(reseller) == []

    link = request_link(world, publisher_admin, world.publisher, reseller)["link"]
    assert codes(create(publisher_admin, resellerId=reseller)) == ["NO_ACCEPTED_RELATIONSHIP"]  # pending: not yet
    payload_of(answer_link(world, admin_of(reseller), link["id"]), "acceptResellerLink")
    named = create(publisher_admin, resellerId=reseller)
    assert named["userErrors"] == [] and named["contract"]["resellerRole"] == "INTRODUCER"
    assert create(admin_of(reseller), ownerId=reseller, resellerId=reseller)["contract"]["resellerRole"] == "BUY_RESELL"
    assert len(contracts_of(reseller)) == 2


def test_an_accepted_enrolment_relates_a_reseller_to_the_publisher(programs):
    world = programs.world
    programs.enroll("PRESCRIBER", "PRESCRIBER", "RESELLER", name="Prescripteur Revendeur", accept=False)
    partner = programs.partners["PRESCRIBER"]
    publisher_admin = admin_of(world.publisher)
    pending = world.run(publisher_admin, ops.CREATE_CONTRACT, input=world.contract_input(resellerId=partner))
    assert codes(pending.data["createContract"]) == ["NO_ACCEPTED_RELATIONSHIP"]
    programs.accept("PRESCRIBER")
    named = world.run(publisher_admin, ops.CREATE_CONTRACT, input=world.contract_input(resellerId=partner))
    assert named.data["createContract"]["userErrors"] == []


def test_the_publisher_lists_the_resellers_it_may_name(programs):
    world = programs.world
    linked = register(world.ports, "Revendeur Lié", "RESELLER")
    pending = register(world.ports, "Revendeur En Attente", "RESELLER")
    world.link(linked)
    request_link(world, admin_of(world.publisher), world.publisher, pending)  # never answered
    programs.enroll("PRESCRIBER", "PRESCRIBER", "RESELLER", name="Prescripteur Revendeur")  # accepted
    programs.enroll("INDEPENDENT_INTEGRATOR", "INTEGRATOR", name="Intégrateur")  # not a reseller
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="0.00", name="Affilié", accept=False)

    def nameable(who, **paging) -> dict[str, Any]:
        found = world.run(who, ops.NAMEABLE_RESELLERS, publisherId=world.publisher, **paging)
        assert found.errors == [], found.errors
        return found.data["nameableResellers"]

    publisher_user = world.user_of(world.publisher)
    ids = {e["node"]["id"] for e in nameable(publisher_user)["edges"]}
    assert ids == {world.reseller, linked, programs.partners["PRESCRIBER"]}
    first = nameable(publisher_user, first=2)
    rest = nameable(publisher_user, first=2, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"] is True and rest["pageInfo"]["hasNextPage"] is False
    assert {e["node"]["id"] for e in first["edges"] + rest["edges"]} == ids
    assert nameable(world.user_of(world.reseller))["edges"] == []  # the publisher's list, not the reseller's


# ---------------------------------------------------------------- licence sales


def test_a_licence_sale_of_an_unlinked_seller_is_refused(channel):
    channel.campaign("REBATE", rate="0.03")
    refused = channel.sale(channel.outsider, "Windows Server", "1000.00", "2027-03-01T00:00:00Z", saleReference="F-9")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("NO_ACCEPTED_RELATIONSHIP", ["input", "sellerId"])
    ]
    assert refused["payout"] is None
    outsider = Who("partner-user", channel.outsider, "o")
    payouts = "{ payouts { edges { node { id } } } }"
    assert channel.data(outsider, payouts)["payouts"]["edges"] == []

    channel.link(channel.outsider)
    paid = channel.sale(channel.outsider, "Windows Server", "1000.00", "2027-03-01T00:00:00Z", saleReference="F-9")
    assert paid["userErrors"] == [] and paid["payout"]["amount"]["amount"] == "30.00"


# ---------------------------------------------------------------- what a contract carries into the reseller's list


def test_a_contracts_customer_fields_are_bounded(world):
    """A publisher naming its linked reseller cannot make the reseller's contract list heavy."""

    def listed() -> int:
        found = world.run(LEASER_ADMIN, ops.CONTRACTS, filter={"partnerId": world.reseller}).data["contracts"]
        return len(found["edges"])

    before = listed()
    too_long = [
        ({"name": "B" * 201}, ("TOO_LONG", ["input", "customer", "name"])),
        ({"email": "a" * 250 + "@b.fr"}, ("INVALID_EMAIL", ["input", "customer", "email"])),
        ({"registrationNumber": "7" * 200}, ("INVALID_SIREN", ["input", "customer", "registrationNumber"])),
    ]
    for customer, error in too_long:
        refused = payload_of(
            world.run(
                world.user_of(world.publisher),
                ops.CREATE_CONTRACT,
                input=world.contract_input(customer={"name": "Boulangerie Martin", **customer}),
            ),
            "createContract",
        )
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [error], customer
        assert refused["contract"] is None
    assert listed() == before  # nothing written
    longest = world.create_contract(
        customer={"name": "B" * 200, "registrationNumber": "732829320", "email": "a" * 243 + "@exemple.fr"}
    )
    read = world.run(
        world.user_of(world.reseller),
        "query($id: ID!) { contract(id: $id) { customer { name email } } }",
        id=longest["id"],
    ).data["contract"]["customer"]
    assert (len(read["name"]), len(read["email"])) == (200, 254)
    assert listed() == before + 1
