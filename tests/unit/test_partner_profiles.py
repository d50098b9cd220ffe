"""Public partner profiles (issue 18): a partner's users refetch the partners they do business with.

Runs on fakes here and on DynamoDB Local (tests/integration/test_api_on_dynamodb.py), where
"shares a contract" is a filtered Query of the caller's own list.
"""

from __future__ import annotations

from tests.factories import LEASER_ADMIN
from tests.financing_flow import FinancingFlow
from tests.world import register

PARTNERS_SHOWN = """
query($id: ID!) {
  contract(id: $id) {
    owner { id } publisher { id } reseller { id } supportProvider { id }
    financing { agreement { partner { id } leaser { id } } }
  }
}"""
PROFILE = "query($id: ID!) { node(id: $id) { id ... on Partner { name roles registrationNumber country } } }"


def profile(world, who, partner_id):
    result = world.run(who, PROFILE, id=partner_id)
    assert result.errors == [], result.errors
    return result.data["node"]


def _shown(data) -> set[str]:
    shown = {data[k]["id"] for k in ("owner", "publisher", "supportProvider")}
    shown |= {data["reseller"]["id"]} if data["reseller"] else set()
    agreement = (data["financing"] or {}).get("agreement")
    if agreement:
        shown |= {agreement["partner"]["id"], agreement["leaser"]["id"]}
    return shown


def test_every_partner_shown_in_a_partners_own_contract_refetches(world):
    flow = FinancingFlow(world)
    contract = flow.new_contract()
    assert flow.request(contract)["userErrors"] == []
    for partner in (world.publisher, world.reseller):
        who = world.user_of(partner)
        shown = _shown(world.run(who, PARTNERS_SHOWN, id=contract).data["contract"])
        assert len(shown) >= 2
        for partner_id in shown:
            assert profile(world, who, partner_id) is not None, (partner, partner_id)


def test_the_leaser_of_a_partners_agreement_refetches_before_any_contract(world):
    leaser = world.run(
        LEASER_ADMIN,
        "query($id: ID!) { node(id: $id) { ... on FinancingAgreement { leaser { id } } } }",
        id=world.agreement,
    )
    leaser_id = leaser.data["node"]["leaser"]["id"]
    assert profile(world, world.user_of(world.publisher), leaser_id)["id"] == leaser_id


def test_a_profile_is_public_its_identifiers_stay_its_own(world):
    shared = register(world.ports, "Éditions Nord", "PUBLISHER")
    world.link(world.reseller, publisher=shared)
    world.create_contract(ownerId=world.reseller, publisherId=shared)
    seen = profile(world, world.user_of(world.reseller), shared)
    assert seen["name"] == "Éditions Nord" and seen["roles"] == ["PUBLISHER"]
    assert seen["registrationNumber"] is None and seen["country"] is None
    assert profile(world, LEASER_ADMIN, shared)["name"] == "Éditions Nord"


def test_a_partner_in_no_business_with_the_caller_stays_hidden(world):
    unrelated = register(world.ports, "Éditions Sud", "PUBLISHER")
    assert profile(world, world.user_of(world.reseller), unrelated) is None
    # An accepted reseller link relates them (and lets the reseller own a contract of that publisher).
    world.link(world.reseller, publisher=unrelated)
    created = world.create_contract(ownerId=world.reseller, publisherId=unrelated)
    cancel = "mutation($i: CancelContractInput!) { cancelContract(input: $i) { userErrors { code } } }"
    done = world.run(world.user_of(world.reseller), cancel, i={"contractId": created["id"], "reason": "gone"})
    assert done.data["cancelContract"]["userErrors"] == []
    assert profile(world, world.user_of(world.reseller), unrelated)["id"] == unrelated
    assert profile(world, world.user_of(world.stranger), unrelated) is None
