"""API behaviour through the schema, on whatever `ports` the layer's conftest provides.

The integration layer runs these same tests on DynamoDB Local (see
tests/integration/test_api_on_dynamodb.py).
"""

from __future__ import annotations

import pytest

from channelfin.api.core.ids import to_global_id
from tests import operations as ops
from tests.factories import LEASER_ADMIN, principal
from tests.world import World

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local

WORKED_EXAMPLE = {"periodicity": "MONTHLY", "termMonths": 36}


def quote(world: World, who=None, **fields):
    return world.run(
        who or LEASER_ADMIN, ops.LEASE_QUOTE, input={"agreementId": world.agreement, **WORKED_EXAMPLE, **fields}
    )


def test_lease_quote_gives_the_worked_example(world):
    result = quote(world, world.user_of(world.publisher), softwareFee="1000.00")
    assert result.errors == []
    q = result.data["leaseQuote"]
    assert q["financedAmount"] == {"amount": "33035.37", "currency": "EUR"}
    assert q["upfrontPayout"]["amount"] == "32885.37"
    assert q["leaserFees"]["amount"] == "3114.63"
    assert q["decisionMode"] == "IMMEDIATE"
    assert q["periods"] == 36


def test_lease_quote_from_a_financed_amount(world):
    q = quote(world, financedAmount="50000.00").data["leaseQuote"]
    assert q["rent"]["amount"] == "1513.53"
    assert q["decisionMode"] == "CREDIT_REVIEW"


def test_just_below_the_limit_is_immediate(world):
    assert quote(world, financedAmount="49999.99").data["leaseQuote"]["decisionMode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"softwareFee": "-5.00"}, "INVALID_AMOUNT"),
        ({"softwareFee": "0.004"}, "INVALID_AMOUNT"),  # a rent of 0.00 once rounded
        ({"financedAmount": "0.001"}, "INVALID_AMOUNT"),
        ({"softwareFee": "1000.00", "financedAmount": "5000.00"}, "EXACTLY_ONE_OF"),
        ({}, "EXACTLY_ONE_OF"),
        ({"softwareFee": "1000.00", "periodicity": "QUARTERLY", "termMonths": 10}, "INVALID_TERM"),
        ({"softwareFee": "abc"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"softwareFee": "NaN"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"softwareFee": "1E+1000000"}, "GRAPHQL_VALIDATION_FAILED"),  # was decimal.Overflow: INTERNAL_ERROR
        ({"financedAmount": "-1E+1000000"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"softwareFee": 12.5}, "GRAPHQL_VALIDATION_FAILED"),
        ({"termMonths": "36", "softwareFee": "1.00"}, "GRAPHQL_VALIDATION_FAILED"),
    ],
)
def test_invalid_quote_input_is_a_coded_error_not_a_crash(world, fields, code):
    result = quote(world, **fields)
    assert result.data is None
    assert result.codes == [code]
    assert "Traceback" not in str(result.errors)


@pytest.mark.parametrize(
    "fields",
    [
        {"softwareFee": "12,50"},
        {"termMonths": "36"},
        {"termMonths": 36.5},
        {"startDate": "2027-13-01"},
        {"startDate": 20270101},
        {"periodicity": "WEEKLY"},
        {"customer": {"name": 7}},
    ],
)
def test_a_malformed_value_is_one_code_whatever_the_scalar(world, fields):
    """Issue 18: a bad Int or Date gave GRAPHQL_VALIDATION_FAILED but a bad Decimal INVALID_DECIMAL."""
    result = world.run(world.user_of(world.publisher), ops.CREATE_CONTRACT, input=world.contract_input(**fields))
    assert result.data is None
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"], result.errors


def test_quote_on_an_unknown_agreement_is_not_found(world):
    result = world.run(
        LEASER_ADMIN,
        ops.LEASE_QUOTE,
        input={"agreementId": to_global_id("FinancingAgreement", "nope"), **WORKED_EXAMPLE, "softwareFee": "1.00"},
    )
    assert result.codes == ["NOT_FOUND"]


def test_quote_with_a_malformed_id_is_invalid_id(world):
    result = world.run(
        LEASER_ADMIN, ops.LEASE_QUOTE, input={"agreementId": "not-an-id", **WORKED_EXAMPLE, "softwareFee": "1.00"}
    )
    assert result.codes == ["INVALID_ID"]


def test_another_partners_agreement_is_not_found_for_them(world):
    result = quote(world, world.user_of(world.stranger), softwareFee="1000.00")
    assert result.codes == ["NOT_FOUND"]


def test_contract_owned_by_the_publisher_makes_the_reseller_an_introducer(world):
    contract = world.create_contract()
    assert contract["resellerRole"] == "INTRODUCER"
    assert contract["status"] == "DRAFT"
    assert contract["owner"]["id"] == world.publisher
    assert contract["timeline"] == [{"status": "DRAFT", "actor": f"partner-user-of-{world.publisher[:12]}"}]


def test_contract_owned_by_the_reseller_is_buy_resell(world):
    contract = world.create_contract(ownerId=world.reseller)
    assert contract["resellerRole"] == "BUY_RESELL"
    assert contract["owner"]["id"] == world.reseller


def test_owner_must_be_a_party(world):
    result = world.run(
        world.user_of(world.stranger), ops.CREATE_CONTRACT, input=world.contract_input(ownerId=world.stranger)
    )
    payload = result.data["createContract"]
    assert payload["contract"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "ownerId"],
            "code": "OWNER_NOT_A_PARTY",
            "message": "the owner of the contract is its publisher or its reseller",
        }
    ]


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"termMonths": 10, "periodicity": "QUARTERLY"}, "INVALID_TERM", ["input", "termMonths"]),
        ({"softwareFee": "0"}, "INVALID_AMOUNT", ["input", "softwareFee"]),
        ({"supportFee": "-1.00"}, "INVALID_AMOUNT", ["input", "supportFee"]),
        ({"softwareFee": "10.005"}, "INVALID_AMOUNT", ["input", "softwareFee"]),
        ({"customer": {"name": "  "}}, "REQUIRED", ["input", "customer", "name"]),
        ({"customer": {"name": "X", "email": "not-mail"}}, "INVALID_EMAIL", ["input", "customer", "email"]),
        (
            {"customer": {"name": "X", "email": "a@" + "b" * 260 + ".fr"}},
            "INVALID_EMAIL",
            ["input", "customer", "email"],
        ),
        (
            {"customer": {"name": "X", "registrationNumber": "123456789"}},
            "INVALID_SIREN",
            ["input", "customer", "registrationNumber"],
        ),
        (
            {"customer": {"name": "X", "registrationNumber": "55210055"}},
            "INVALID_SIREN",
            ["input", "customer", "registrationNumber"],
        ),
        ({"softwareFee": "99999999999999999999999999999.99"}, "INVALID_AMOUNT", None),
        ({"softwareFee": "1E+30"}, "INVALID_AMOUNT", None),
        ({"publisherId": to_global_id("Partner", "ghost")}, "NOT_FOUND", ["input", "publisherId"]),
        ({"resellerId": "garbage"}, "INVALID_ID", ["input", "resellerId"]),
    ],
)
def test_bad_contract_input_is_a_user_error_and_writes_nothing(world, overrides, code, field):
    before = world.run(LEASER_ADMIN, ops.CONTRACTS).data["contracts"]["edges"]
    result = world.run(world.user_of(world.publisher), ops.CREATE_CONTRACT, input=world.contract_input(**overrides))
    assert result.errors == []
    payload = result.data["createContract"]
    assert payload["contract"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert world.run(LEASER_ADMIN, ops.CONTRACTS).data["contracts"]["edges"] == before


def test_only_the_owners_users_create_its_contracts(world):
    result = world.run(world.user_of(world.reseller), ops.CREATE_CONTRACT, input=world.contract_input())
    assert result.codes == ["FORBIDDEN"]
    assert result.data is None


def test_a_partner_user_sees_only_contracts_where_its_partner_plays_a_role(world):
    mine = world.create_contract()
    other_pub = world.create_contract(ownerId=world.stranger, publisherId=world.stranger, resellerId=None)
    reseller_user = world.user_of(world.reseller)

    listed = world.run(reseller_user, ops.CONTRACTS).data["contracts"]["edges"]
    assert [e["node"]["id"] for e in listed] == [mine["id"]]
    assert world.run(reseller_user, ops.CONTRACT, id=other_pub["id"]).data == {"contract": None}
    assert world.run(reseller_user, ops.CONTRACT, id=mine["id"]).data["contract"]["id"] == mine["id"]
    # Asking for another partner's list gives nothing rather than their data.
    asked = world.run(reseller_user, ops.CONTRACTS, filter={"partnerId": world.stranger})
    assert asked.data["contracts"]["edges"] == []


def test_node_hides_what_the_caller_may_not_see(world):
    other = world.create_contract(ownerId=world.stranger, publisherId=world.stranger, resellerId=None)
    query = "query($id: ID!) { node(id: $id) { id ... on Contract { status } } }"
    assert world.run(world.user_of(world.publisher), query, id=other["id"]).data == {"node": None}
    assert world.run(LEASER_ADMIN, query, id=other["id"]).data["node"]["status"] == "DRAFT"


def test_nodes_refetch_many_in_order_each_as_node_would(world):
    mine, other = (
        world.create_contract(),
        world.create_contract(ownerId=world.stranger, publisherId=world.stranger, resellerId=None),
    )
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Partner { name } } }"
    asked = [other["id"], world.publisher, mine["id"]]
    seen = world.run(world.user_of(world.publisher), query, ids=asked)
    assert seen.errors == [] and [n and n["id"] for n in seen.data["nodes"]] == [None, world.publisher, mine["id"]]
    assert [n["id"] for n in world.run(LEASER_ADMIN, query, ids=asked).data["nodes"]] == asked
    assert world.run(LEASER_ADMIN, query, ids=[]).data == {"nodes": []}


def test_nodes_refuses_more_than_a_hundred_ids_and_names_a_bad_one(world):
    mine = world.create_contract()
    too_many = world.run(LEASER_ADMIN, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=[mine["id"]] * 101)
    # The request guard on input lists (100 items) answers first; the resolver holds the same line.
    assert too_many.codes == ["INPUT_LIST_TOO_LONG"] and too_many.data is None
    hundred = world.run(LEASER_ADMIN, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=[mine["id"]] * 100)
    assert hundred.errors == [] and len(hundred.data["nodes"]) == 100
    bad = world.run(LEASER_ADMIN, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=[mine["id"], "nope"])
    assert bad.codes == ["INVALID_ID"] and bad.errors[0]["extensions"]["field"] == ["ids", "1"]


def test_contracts_filter_by_role_and_status(world):
    introduced = world.create_contract()
    bought = world.create_contract(ownerId=world.reseller)
    as_owner = world.run(LEASER_ADMIN, ops.CONTRACTS, filter={"partnerId": world.reseller, "role": "OWNER"})
    assert [e["node"]["id"] for e in as_owner.data["contracts"]["edges"]] == [bought["id"]]
    as_reseller = world.run(LEASER_ADMIN, ops.CONTRACTS, filter={"partnerId": world.reseller, "role": "RESELLER"})
    assert [e["node"]["id"] for e in as_reseller.data["contracts"]["edges"]] == [bought["id"], introduced["id"]]
    drafts = world.run(LEASER_ADMIN, ops.CONTRACTS, filter={"status": "DRAFT"})
    assert len(drafts.data["contracts"]["edges"]) == 2
    active = world.run(LEASER_ADMIN, ops.CONTRACTS, filter={"status": "ACTIVE"})
    assert active.data["contracts"]["edges"] == []


def test_contracts_paginate_with_cursors_newest_first(world):
    created = [world.create_contract()["id"] for _ in range(5)]
    seen, after = [], None
    while True:
        page = world.run(LEASER_ADMIN, ops.CONTRACTS, first=2, after=after).data["contracts"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(created))


@pytest.mark.parametrize("first", [0, 101, -1])
def test_page_size_is_capped(world, first):
    assert world.run(LEASER_ADMIN, ops.CONTRACTS, first=first).codes == ["INVALID_PAGE_SIZE"]


def test_a_forged_cursor_is_refused(world):
    world.create_contract()
    assert world.run(LEASER_ADMIN, ops.CONTRACTS, after="Zm9yZ2Vk").codes == ["INVALID_CURSOR"]


def test_no_principal_no_data(world):
    for query in (ops.CONTRACTS, "{ viewer { sub } }"):
        result = world.run(None, query)
        assert result.data is None
        assert result.codes == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("role", ["partner-admin", "partner-user", "integration", "credit-analyst", "treasury"])
def test_only_leaser_admins_register_partners(world, role):
    who = principal(role, partner_id="x" if role.startswith("partner") else None)
    result = world.run(who, ops.REGISTER_PARTNER, input={"name": "Intrus", "roles": ["RESELLER"]})
    assert result.codes == ["FORBIDDEN"]


def test_agreement_defaults_and_validation(world):
    signed = world.run(
        LEASER_ADMIN,
        ops.SIGN_AGREEMENT,
        input={"partnerId": world.reseller, "leaserId": world.leaser, "annualRate": "0.045", "fileFee": "90.00"},
    )
    agreement = signed.data["signFinancingAgreement"]["agreement"]
    assert agreement["payoutSlaHours"] == 72
    assert agreement["instantDecisionLimit"] == {"amount": "50000.00"}
    refused = world.run(
        LEASER_ADMIN,
        ops.SIGN_AGREEMENT,
        input={"partnerId": world.reseller, "leaserId": world.publisher, "annualRate": "6", "fileFee": "90.00"},
    )
    assert [e["code"] for e in refused.data["signFinancingAgreement"]["userErrors"]] == ["NOT_A_LEASER"]


def test_viewer_and_partner_scoping(world):
    who = world.user_of(world.reseller, role="partner-admin")
    viewer = world.run(who, "{ viewer { roles partner { name } } }").data["viewer"]
    assert viewer == {"roles": ["partner-admin"], "partner": {"name": "Logiciels du Sud"}}
    partners = world.run(who, "{ partners { edges { node { name } } } }").data["partners"]["edges"]
    assert partners == [{"node": {"name": "Logiciels du Sud"}}]
    q = "query($id: ID!) { partner(id: $id) { name financingAgreements { id } } }"
    # Issue 18: a partner in business with it (here an accepted reseller link) reads its public profile,
    # never its agreements; a partner in no business with it, nothing.
    assert world.run(who, q, id=world.publisher).data == {"partner": {"name": "all-in-web", "financingAgreements": []}}
    assert world.run(who, q, id=world.stranger).data == {"partner": None}
    publisher_view = world.run(world.user_of(world.publisher), q, id=world.publisher).data["partner"]
    assert [a["id"] for a in publisher_view["financingAgreements"]] == [world.agreement]


def test_payouts_is_an_empty_connection_until_money_moves(world):
    result = world.run(LEASER_ADMIN, "{ payouts { edges { node { id } } pageInfo { hasNextPage } } }")
    assert result.data == {"payouts": {"edges": [], "pageInfo": {"hasNextPage": False}}}
