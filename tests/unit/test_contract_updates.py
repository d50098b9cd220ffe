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
    draft = world.create_contract(customer={"name": "Boulangerie Martin"})
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
    draft = world.create_contract(customer={"name": "Boulangerie Martin"})["id"]
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
    draft = world.create_contract(customer={"name": "Boulangerie Martin"})["id"]
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
