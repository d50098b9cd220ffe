"""updateContract (issue 18): the owner fixes a DRAFT, every term checked again as at creation.

Runs on fakes here and on DynamoDB Local (tests/integration/test_api_on_dynamodb.py), where a
partner dropped from the contract must lose its copy of it in the same write.
"""

from __future__ import annotations

from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.financing_flow import FinancingFlow

UPDATE = """
mutation($input: UpdateContractInput!) {
  updateContract(input: $input) {
    contract { id status reseller { id } resellerRole owner { id } softwareFee { amount }
               customer { registrationNumber } timeline { status note } }
    userErrors { field code message }
  }
}"""
READ = "query($id: ID!) { contract(id: $id) { id softwareFee { amount } customer { name } } }"


def update(world, who=None, **fields):
    result = world.run(who or world.user_of(world.publisher), UPDATE, input=fields)
    assert result.errors == [], result.errors
    return result.data["updateContract"]


def test_the_owner_fixes_a_draft_and_the_timeline_says_what_changed(world):
    draft = world.create_contract(customer={"name": "Boulangerie Martin"}, forFinancing=False)
    done = update(
        world,
        contractId=draft["id"],
        customer={"name": "Boulangerie Martin", "registrationNumber": "732 829 320"},
        softwareFee="1200.00",
    )
    assert done["userErrors"] == []
    contract = done["contract"]
    assert contract["status"] == "DRAFT" and contract["softwareFee"]["amount"] == "1200.00"
    assert contract["customer"]["registrationNumber"] == "732829320"
    assert contract["reseller"]["id"] == world.reseller  # left out: kept
    assert contract["timeline"][-1] == {"status": "DRAFT", "note": "contract updated: customer, softwareFee"}


def test_a_draft_without_siren_fixed_then_financed_is_not_rejected_for_it(world):
    flow = FinancingFlow(world)
    draft = world.create_contract(customer={"name": "Boulangerie Martin"}, forFinancing=False)["id"]
    fixed = update(world, contractId=draft, customer={"name": "Boulangerie Martin", "registrationNumber": "732829320"})
    assert fixed["userErrors"] == []
    asked = flow.request(draft)
    assert asked["userErrors"] == [] and asked["contract"]["status"] == "APPROVED", asked


def test_a_reseller_dropped_from_the_draft_no_longer_sees_it(world):
    draft = world.create_contract()
    reseller_user = world.user_of(world.reseller)
    assert world.run(reseller_user, READ, id=draft["id"]).data["contract"] is not None
    done = update(world, contractId=draft["id"], resellerId=None)
    assert done["userErrors"] == [] and done["contract"]["reseller"] is None
    assert done["contract"]["resellerRole"] is None
    assert world.run(reseller_user, READ, id=draft["id"]).data["contract"] is None
    listed = world.run(reseller_user, ops.CONTRACTS, first=50).data["contracts"]["edges"]
    assert draft["id"] not in [e["node"]["id"] for e in listed]
    # Named again, it is back on the reseller's list.
    assert update(world, contractId=draft["id"], resellerId=world.reseller)["userErrors"] == []
    listed = world.run(reseller_user, ops.CONTRACTS, first=50).data["contracts"]["edges"]
    assert draft["id"] in [e["node"]["id"] for e in listed]


def test_every_term_is_checked_as_at_creation_and_nothing_is_written_on_a_refusal(world):
    draft = world.create_contract()
    cases = [
        ({"softwareFee": "-1.00"}, ["softwareFee"], "INVALID_AMOUNT"),
        (
            {"customer": {"name": "X", "registrationNumber": "123456789"}},
            ["customer", "registrationNumber"],
            "INVALID_SIREN",
        ),
        ({"resellerId": world.publisher}, ["resellerId"], "NOT_A_RESELLER"),
        ({"termMonths": None}, ["termMonths"], "REQUIRED"),
        ({"periodicity": "QUARTERLY", "termMonths": 10}, None, "INVALID_TERM"),
    ]
    for fields, field, code in cases:
        refused = update(world, contractId=draft["id"], **fields)
        assert refused["contract"] is None
        assert [e["code"] for e in refused["userErrors"]] == [code], (fields, refused)
        if field is not None:
            assert refused["userErrors"][0]["field"] == ["input", *field]
    after = world.run(LEASER_ADMIN, READ, id=draft["id"]).data["contract"]
    assert after["softwareFee"]["amount"] == "1000.00" and after["customer"]["name"] == "Boulangerie Martin"


def test_an_automatic_rejection_is_fixed_and_financing_asked_again(world):
    flow = FinancingFlow(world)
    draft = world.create_contract(customer={"name": "Boulangerie Martin"}, forFinancing=False)["id"]
    rejected = flow.request(draft)
    assert rejected["contract"]["status"] == "REJECTED", rejected
    fixed = update(world, contractId=draft, customer={"name": "Boulangerie Martin", "registrationNumber": "732829320"})
    assert fixed["userErrors"] == [] and fixed["contract"]["status"] == "DRAFT"
    assert "after an automatic rejection" in fixed["contract"]["timeline"][-1]["note"]
    again = flow.request(draft)
    assert again["userErrors"] == [] and again["contract"]["status"] == "APPROVED", again


def test_an_analysts_rejection_is_final(world):
    flow = FinancingFlow(world)
    contract = flow.new_contract(softwareFee="2000.00")  # above the instant-decision limit: a credit review
    assert flow.request(contract)["contract"]["status"] == "UNDER_REVIEW"
    flow.review(contract, approve=False)
    refused = update(world, contractId=contract, softwareFee="1000.00")
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_A_DRAFT"]


def test_only_a_draft_can_be_updated(world):
    flow = FinancingFlow(world)
    contract = flow.new_contract()
    assert flow.request(contract)["userErrors"] == []
    refused = update(world, contractId=contract, softwareFee="1.00")
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_A_DRAFT"]


def test_only_the_owners_users_update(world):
    draft = world.create_contract()
    for who in (LEASER_ADMIN, world.user_of(world.reseller)):
        assert world.run(who, UPDATE, input={"contractId": draft["id"], "softwareFee": "1.00"}).codes == ["FORBIDDEN"]
    stranger = update(world, world.user_of(world.stranger), contractId=draft["id"], softwareFee="1.00")
    assert [e["code"] for e in stranger["userErrors"]] == ["NOT_FOUND"]


# ---------------------------------------------------------------- the SIREN financing needs (issue 18)
ALL_CONTRACTS = "query { contracts(first: 100) { edges { node { id } } } }"


def create(world, **overrides):
    result = world.run(world.user_of(world.publisher), ops.CREATE_CONTRACT, input=world.contract_input(**overrides))
    assert result.errors == [], result.errors
    return result.data["createContract"]


def test_a_contract_for_financing_needs_the_end_clients_siren_and_nothing_is_written(world):
    def listed() -> list[str]:
        edges = world.run(LEASER_ADMIN, ALL_CONTRACTS).data["contracts"]["edges"]
        return [e["node"]["id"] for e in edges]

    before = listed()
    for overrides in (
        {"customer": {"name": "Boulangerie Martin"}},  # forFinancing left out: true
        {"customer": {"name": "Boulangerie Martin", "registrationNumber": None}, "forFinancing": True},
        {"customer": {"name": "Boulangerie Martin", "registrationNumber": "   "}},  # spaces only: none
    ):
        refused = create(world, **overrides)
        assert refused["contract"] is None
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
            ("SIREN_REQUIRED", ["input", "customer", "registrationNumber"])
        ], overrides
        message = refused["userErrors"][0]["message"]
        assert "SIREN" in message and "forFinancing: false" in message
    assert listed() == before


def test_a_draft_kept_without_siren_is_rejected_automatically_until_the_owner_adds_it(world):
    flow = FinancingFlow(world)
    draft = create(world, customer={"name": "Boulangerie Martin"}, forFinancing=False)
    assert draft["userErrors"] == [] and draft["contract"]["status"] == "DRAFT"
    contract = draft["contract"]["id"]
    rejected = flow.request(contract)
    assert rejected["userErrors"] == [] and rejected["contract"]["status"] == "REJECTED"
    assert rejected["decision"]["outcome"] == "REJECTED"
    assert any("SIREN" in reason for reason in rejected["decision"]["reasons"]), rejected["decision"]
    fixed = update(
        world, contractId=contract, customer={"name": "Boulangerie Martin", "registrationNumber": "552100554"}
    )
    assert fixed["userErrors"] == [] and fixed["contract"]["customer"]["registrationNumber"] == "552100554"
    again = flow.request(contract)
    assert again["userErrors"] == [] and again["contract"]["status"] == "APPROVED", again


def test_the_siren_of_a_contract_may_be_corrected_but_not_removed(world):
    draft = world.create_contract()["id"]  # with the SIREN 732829320
    for customer in ({"name": "Boulangerie Martin"}, {"name": "Boulangerie Martin", "registrationNumber": None}):
        refused = update(world, contractId=draft, customer=customer)
        assert refused["contract"] is None
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
            ("SIREN_REQUIRED", ["input", "customer", "registrationNumber"])
        ], customer
    read = "query($id: ID!) { contract(id: $id) { customer { registrationNumber } } }"
    kept = world.run(LEASER_ADMIN, read, id=draft).data["contract"]["customer"]
    assert kept == {"registrationNumber": "732829320"}  # nothing written
    corrected = update(
        world, contractId=draft, customer={"name": "Boulangerie Martin", "registrationNumber": "552100554"}
    )
    assert corrected["userErrors"] == [] and corrected["contract"]["customer"]["registrationNumber"] == "552100554"


def test_a_draft_that_never_had_a_siren_may_be_amended_without_one(world):
    draft = create(world, customer={"name": "Boulangerie Martin"}, forFinancing=False)["contract"]["id"]
    done = update(world, contractId=draft, customer={"name": "Boulangerie Martin SARL"}, softwareFee="900.00")
    assert done["userErrors"] == [] and done["contract"]["customer"]["registrationNumber"] is None
    assert done["contract"]["status"] == "DRAFT" and done["contract"]["softwareFee"]["amount"] == "900.00"


def test_a_reseller_named_by_an_update_must_have_agreed_as_at_creation(world):
    # The stranger accepted no reseller link with the publisher: createContract refuses to name
    # it, and so does updateContract (it would then see the contract and be paid or billed on it).
    draft = world.create_contract(resellerId=None)
    done = update(world, contractId=draft["id"], resellerId=world.stranger)
    assert [(e["code"], e["field"]) for e in done["userErrors"]] == [
        ("NO_ACCEPTED_RELATIONSHIP", ["input", "resellerId"])
    ]
    assert done["contract"] is None
    stranger_user = world.user_of(world.stranger)
    assert world.run(stranger_user, READ, id=draft["id"]).data["contract"] is None
    world.link(world.stranger)
    assert update(world, contractId=draft["id"], resellerId=world.stranger)["userErrors"] == []


def test_a_resellers_contract_cannot_be_moved_to_a_publisher_it_never_agreed_with(world):
    reseller_user = world.user_of(world.reseller)
    draft = world.create_contract(who=reseller_user, ownerId=world.reseller)
    done = update(world, reseller_user, contractId=draft["id"], publisherId=world.stranger)
    assert [(e["code"], e["field"]) for e in done["userErrors"]] == [
        ("NO_ACCEPTED_RELATIONSHIP", ["input", "publisherId"])
    ]
    publisher = world.run(LEASER_ADMIN, "query($id: ID!) { contract(id: $id) { publisher { id } } }", id=draft["id"])
    assert publisher.data["contract"]["publisher"]["id"] == world.publisher
