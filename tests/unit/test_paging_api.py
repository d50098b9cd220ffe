"""Pagination through the API (issue 18): signed cursors bound to their list, backward pages, totalCount.

A cursor is usable only on the list, with the arguments and by the caller it was issued for:
every misuse is INVALID_CURSOR (a GraphQL error, never INTERNAL_ERROR). Runs on fakes here and
on DynamoDB Local in tests/integration/test_api_on_dynamodb.py, where a cursor becomes a real
`ExclusiveStartKey`.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.factories import LEASER_ADMIN, principal
from tests.financing_flow import FinancingFlow
from tests.graphql_client import execute
from tests.unit.test_payments_api import to_active

CONTRACTS = """
query($filter: ContractFilter, $first: Int, $after: String, $last: Int, $before: String) {
  contracts(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
PAYOUTS = """
query($filter: PayoutFilter, $first: Int, $after: String, $last: Int, $before: String) {
  payouts(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
CONTRACT_PAYOUTS = """
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  contract(id: $id) {
    payouts(first: $first, after: $after, last: $last, before: $before) {
      edges { node { id kind } } totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}"""
OTHER_LEASER_ADMIN = principal("leaser-admin", sub="another-leaser-admin")


def contracts(world, who=LEASER_ADMIN, **variables):
    result = world.run(who, CONTRACTS, **variables)
    assert result.errors == [], result.errors
    return result.data["contracts"]


def ids(connection) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


@pytest.fixture
def five(world) -> list[str]:
    """Five contracts, newest first as the list shows them."""
    return list(reversed([world.create_contract()["id"] for _ in range(5)]))


@pytest.fixture
def paid_contract(world) -> str:
    """A financed contract with five payouts: the software part and four support shares."""
    flow = FinancingFlow(world)
    contract = flow.new_contract()
    to_active(flow, contract)
    for installment in (1, 2, 3, 4):
        assert flow.collect(contract, installment)["userErrors"] == []
    return contract


def test_a_cursor_is_short(world, five):
    page = contracts(world, first=2)
    mine = contracts(world, world.user_of(world.publisher), first=2)
    # Base64 of the raw DynamoDB keys: 212 characters on the whole list, 291 on a partner's.
    assert max(len(e["cursor"]) for e in page["edges"] + mine["edges"]) <= 100


def test_pages_run_backwards_through_the_same_list(world, five):
    last_two = contracts(world, last=2)
    assert ids(last_two) == five[3:]
    assert last_two["pageInfo"]["hasPreviousPage"] is True and last_two["pageInfo"]["hasNextPage"] is False
    before = contracts(world, last=2, before=last_two["pageInfo"]["startCursor"])
    assert ids(before) == five[1:3]
    first = contracts(world, last=2, before=before["pageInfo"]["startCursor"])
    assert ids(first) == five[:1]
    assert first["pageInfo"]["hasPreviousPage"] is False and first["pageInfo"]["hasNextPage"] is True
    # A cursor of a forward page starts a backward one, and the other way round.
    forward = contracts(world, first=3)
    assert ids(contracts(world, last=2, before=forward["pageInfo"]["endCursor"])) == five[:2]
    assert ids(contracts(world, first=2, after=before["pageInfo"]["endCursor"])) == five[3:]


def test_a_partner_pages_backwards_through_its_own_contracts_filtered(world, five):
    owner = world.user_of(world.publisher)
    drafts = {"status": "DRAFT", "partnerId": world.publisher}
    back = contracts(world, owner, filter=drafts, last=3)
    assert ids(back) == five[2:]
    assert ids(contracts(world, owner, filter=drafts, last=3, before=back["pageInfo"]["startCursor"])) == five[:2]


def test_first_and_last_together_are_refused(world, five):
    result = world.run(LEASER_ADMIN, CONTRACTS, first=2, last=2)
    assert result.codes == ["INVALID_PAGE_SIZE"]
    assert world.run(LEASER_ADMIN, CONTRACTS, last=101).codes == ["INVALID_PAGE_SIZE"]


def test_total_count_is_null_where_it_would_read_the_whole_list(world, five):
    assert contracts(world, first=2)["totalCount"] is None


def _misuse(world, cursor: str, who=LEASER_ADMIN, **variables):
    result = world.run(who, CONTRACTS, first=2, after=cursor, **variables)
    assert result.data is None
    return result


def test_a_cursor_of_another_user_is_invalid(world, five):
    cursor = contracts(world, first=2)["pageInfo"]["endCursor"]
    result = _misuse(world, cursor, OTHER_LEASER_ADMIN)
    assert result.codes == ["INVALID_CURSOR"]
    assert result.errors[0]["extensions"]["field"] == ["after"]
    partner_cursor = contracts(world, world.user_of(world.publisher), first=2)["pageInfo"]["endCursor"]
    assert _misuse(world, partner_cursor, world.user_of(world.reseller)).codes == ["INVALID_CURSOR"]
    # The one it was issued to goes on.
    assert len(contracts(world, first=2, after=cursor)["edges"]) == 2


def test_a_cursor_after_the_filter_changed_is_invalid(world, five):
    drafts = contracts(world, first=2, filter={"status": "DRAFT"})
    cursor = drafts["pageInfo"]["endCursor"]
    assert _misuse(world, cursor).codes == ["INVALID_CURSOR"]  # the filter cleared
    assert _misuse(world, cursor, filter={"status": "ACTIVE"}).codes == ["INVALID_CURSOR"]
    assert _misuse(world, cursor, filter={"status": "DRAFT", "partnerId": world.publisher}).codes == ["INVALID_CURSOR"]
    assert len(contracts(world, first=2, after=cursor, filter={"status": "DRAFT"})["edges"]) == 2


def test_a_cursor_of_another_list_is_invalid(world, five, paid_contract):
    contract_cursor = contracts(world, first=2)["pageInfo"]["endCursor"]
    on_payouts = world.run(LEASER_ADMIN, PAYOUTS, first=2, after=contract_cursor)
    assert on_payouts.codes == ["INVALID_CURSOR"]
    payout_cursor = world.run(LEASER_ADMIN, PAYOUTS, first=2).data["payouts"]["pageInfo"]["endCursor"]
    assert _misuse(world, payout_cursor).codes == ["INVALID_CURSOR"]
    # Another contract's payouts are another list.
    nested = world.run(LEASER_ADMIN, CONTRACT_PAYOUTS, id=paid_contract, first=2).data["contract"]["payouts"]
    other = world.run(LEASER_ADMIN, CONTRACT_PAYOUTS, id=five[0], first=2, after=nested["pageInfo"]["endCursor"])
    assert other.codes == ["INVALID_CURSOR"]


@pytest.mark.parametrize(
    "garbage",
    ["Zm9yZ2Vk", "", "not a cursor at all", "é" * 20, "A" * 1000, "AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA"],
)
def test_garbage_is_an_invalid_cursor(world, five, garbage):
    if not garbage:  # an empty cursor is no cursor: the first page
        assert ids(contracts(world, first=2, after=garbage)) == five[:2]
        return
    result = _misuse(world, garbage)
    assert result.codes == ["INVALID_CURSOR"], result.errors
    assert "Traceback" not in str(result.errors)


def test_a_tampered_cursor_is_invalid(world, five):
    cursor = contracts(world, first=2)["pageInfo"]["endCursor"]
    position, signature = cursor.split(".")
    flipped = position[:-1] + ("A" if position[-1] != "A" else "B")
    assert _misuse(world, f"{flipped}.{signature}").codes == ["INVALID_CURSOR"]
    assert _misuse(world, cursor + "x").codes == ["INVALID_CURSOR"]
    # Another item's position under this cursor's signature does not pass either.
    start = contracts(world, first=2)["pageInfo"]["startCursor"]
    assert _misuse(world, f"{start.split('.')[0]}.{signature}").codes == ["INVALID_CURSOR"]


def test_a_cursor_signed_with_a_retired_key_is_invalid_and_a_listed_older_key_still_works(world, five):
    signed_old = replace(world.ports, cursor_secret="old-key")
    cursor = execute(signed_old, LEASER_ADMIN, CONTRACTS, first=2).data["contracts"]["pageInfo"]["endCursor"]
    rotated = replace(world.ports, cursor_secret="old-key,new-key")
    assert len(execute(rotated, LEASER_ADMIN, CONTRACTS, first=2, after=cursor).data["contracts"]["edges"]) == 2
    retired = replace(world.ports, cursor_secret="new-key")
    assert execute(retired, LEASER_ADMIN, CONTRACTS, first=2, after=cursor).codes == ["INVALID_CURSOR"]


def test_payouts_page_backwards(world, paid_contract):
    everything = world.run(LEASER_ADMIN, PAYOUTS, first=10).data["payouts"]
    assert len(everything["edges"]) == 5
    back = world.run(LEASER_ADMIN, PAYOUTS, last=2).data["payouts"]
    assert ids(back) == ids(everything)[3:]
    earlier = world.run(LEASER_ADMIN, PAYOUTS, last=2, before=back["pageInfo"]["startCursor"]).data["payouts"]
    assert ids(earlier) == ids(everything)[1:3]


def test_a_contracts_payouts_page_both_ways_and_count(world, paid_contract):
    def page(**variables):
        result = world.run(LEASER_ADMIN, CONTRACT_PAYOUTS, id=paid_contract, **variables)
        assert result.errors == [], result.errors
        return result.data["contract"]["payouts"]

    everything = page(first=10)
    assert everything["totalCount"] == 5 and len(everything["edges"]) == 5
    back = page(last=2)
    assert ids(back) == ids(everything)[3:] and back["totalCount"] == 5
    assert back["pageInfo"]["hasPreviousPage"] is True and back["pageInfo"]["hasNextPage"] is False
    assert ids(page(last=3, before=back["pageInfo"]["startCursor"])) == ids(everything)[:3]
    # A partner counts only the payouts it may see: the publisher's own (software part and shares).
    mine = world.run(world.user_of(world.reseller), CONTRACT_PAYOUTS, id=paid_contract, first=10)
    assert mine.data["contract"]["payouts"]["totalCount"] == 0
