"""Limits a hostile client meets (DESIGN 4): depth, aliases, tokens, document size, cost; configurable."""

from __future__ import annotations

import asyncio
from typing import cast

import pytest
from graphql import build_schema, parse

from channelfin.api.core.context import Context
from channelfin.api.http.execution import executor
from channelfin.api.http.limits import Limits
from channelfin.api.http.query_limits import limit_error
from tests.factories import LEASER_ADMIN
from tests.graphql_client import execute


def codes(result) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in result.errors]


def run_with(limits: Limits, ports, query: str, **variables):
    result = asyncio.run(
        executor(limits).execute(query, variables=variables, context=Context.build(ports, LEASER_ADMIN))
    )
    return [e.formatted for e in result.errors or []], result.data


def test_two_thousand_aliases_are_refused_before_anything_runs(ports):
    query = "{ " + " ".join(f"a{k}: viewer {{ sub }}" for k in range(2000)) + " }"
    result = execute(ports, LEASER_ADMIN, query)
    assert result.data is None
    assert codes(result) == ["TOO_MANY_TOKENS"]  # 12,000 tokens: the parser gives up before the alias count


def test_sixteen_aliases_are_refused_and_fifteen_pass_and_typename_aliases_are_free(ports):
    fifteen = "{ " + " ".join(f"a{k}: viewer {{ sub }}" for k in range(15)) + " t1: __typename t2: __typename }"
    assert execute(ports, LEASER_ADMIN, fifteen).errors == []
    sixteen = "{ " + " ".join(f"a{k}: viewer {{ sub }}" for k in range(16)) + " }"
    result = execute(ports, LEASER_ADMIN, sixteen)
    assert codes(result) == ["TOO_MANY_ALIASES"] and "16 aliases" in result.errors[0]["message"]


def test_aliases_hidden_in_fragments_count_too(ports):
    fragment = "fragment F on Viewer { " + " ".join(f"s{k}: sub" for k in range(10)) + " }"
    query = "{ a: viewer { ...F } b: viewer { ...F } } " + fragment
    assert codes(execute(ports, LEASER_ADMIN, query)) == ["TOO_MANY_ALIASES"]


def test_a_document_over_the_token_limit_is_refused_while_parsing(ports):
    query = "{ viewer { " + "sub " * 2100 + "} }"
    result = execute(ports, LEASER_ADMIN, query)
    assert result.data is None and codes(result) == ["TOO_MANY_TOKENS"]
    assert "2000 tokens" in result.errors[0]["message"]


def test_a_syntax_error_has_a_stable_code(ports):
    assert codes(execute(ports, LEASER_ADMIN, "{ viewer { sub }")) == ["GRAPHQL_PARSE_FAILED"]


def test_a_long_document_is_refused_with_its_size(ports):
    padding = "#" + "x" * 16_000 + "\n"  # comments are not tokens, but they are characters
    result = execute(ports, LEASER_ADMIN, padding + "{ viewer { sub } }")
    assert codes(result) == ["DOCUMENT_TOO_LARGE"]


def test_too_deep_a_query_is_refused(ports):
    deep = "{ contracts { edges { node { payouts { edges { node { contract {"
    deep += " payouts { edges { node { id } } } } } } } } } } }"
    result = execute(ports, LEASER_ADMIN, deep)
    assert result.data is None and codes(result) == ["QUERY_TOO_DEEP"]
    assert "10 levels deep; at most 8" in result.errors[0]["message"]
    eight_levels = "{ contracts { edges { node { payouts { edges { node { amount { amount } } } } } } } }"
    assert execute(ports, LEASER_ADMIN, eight_levels).errors == []  # root fields are level 0


def test_a_backward_page_costs_as_much_as_a_forward_one(ports):
    """`last` (issue 18) is a page size too: priced by `first` alone, `last: 100` cost what 20 did."""
    query = """query($n: Int) { contracts(last: $n) { edges { node { id status
      payouts(last: 50) { edges { node { id kind amount { amount } } } } } } } }"""
    assert execute(ports, LEASER_ADMIN, query, n=5).errors == []
    refused = execute(ports, LEASER_ADMIN, query, n=20)
    assert codes(refused) == ["QUERY_TOO_COSTLY"]
    assert refused.errors[0]["extensions"]["cost"] > 5000


def test_cost_multiplies_nested_connections_by_their_page_size(ports):
    query = """query($n: Int) { contracts(first: $n) { edges { node { id status
      payouts(first: 50) { edges { node { id kind amount { amount } } } } } } } }"""
    assert execute(ports, LEASER_ADMIN, query, n=5).errors == []
    refused = execute(ports, LEASER_ADMIN, query, n=20)
    assert codes(refused) == ["QUERY_TOO_COSTLY"]
    assert refused.errors[0]["extensions"]["cost"] > 5000
    # the same document, when the limit is raised by configuration
    errors, data = run_with(Limits(max_cost=100_000), ports, query, n=20)
    assert errors == [] and data["contracts"]["edges"] == []


def test_limits_come_from_the_environment():
    limits = Limits.from_env({"CHANNELFIN_MAX_DEPTH": "5", "CHANNELFIN_MAX_COST": "900"}, introspection=False)
    assert (limits.max_depth, limits.max_cost, limits.max_aliases, limits.introspection) == (5, 900, 15, False)


def test_introspection_can_be_switched_off(ports):
    query = "{ __schema { queryType { name } } }"
    assert execute(ports, LEASER_ADMIN, query).errors == []
    errors, _ = run_with(Limits(introspection=False), ports, query)
    assert errors and "introspection" in errors[0]["message"].lower()


@pytest.mark.parametrize("first", [0, -3])
def test_a_non_positive_page_size_costs_nothing_but_is_still_refused_by_the_list(ports, first):
    result = execute(ports, LEASER_ADMIN, "query($f: Int) { contracts(first: $f) { edges { node { id } } } }", f=first)
    assert codes(result) == ["INVALID_PAGE_SIZE"]


# ---------------------------------------------------------------- what the red team found (issue 17)


def exploding_fragments(levels: int, leaf: str = "viewer { sub }") -> str:
    """Each fragment spreads the next one twice: 2^levels expansions if each spread were walked."""
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return "{ ...F0 } " + chain + f" fragment F{levels} on Query {{ {leaf} }}"


def test_fragments_that_each_spread_the_next_twice_are_priced_once_each_and_refused(ports):
    # 2^40 expansions: walked spread by spread this would never finish (the suite's timeout would stop it).
    result = execute(ports, LEASER_ADMIN, exploding_fragments(40))
    assert result.data is None and codes(result) == ["QUERY_TOO_COSTLY"]
    assert result.errors[0]["extensions"]["cost"] >= 3 * 2**40
    # A normal query still answers.
    assert execute(ports, LEASER_ADMIN, "{ viewer { sub } }").errors == []


def test_a_fragment_cycle_is_refused_by_validation_not_walked_forever(ports):
    query = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A viewer { sub } }"
    assert codes(execute(ports, LEASER_ADMIN, query)) == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query($n: Int = 100) { contracts(first: $n) { edges { node { id payouts(first: $n) {"
         " edges { node { id amount { amount } } } } } } } }", {}),
        ("query($n: Int) { contracts(first: $n) { edges { node { id payouts(first: $n) {"
         " edges { node { id amount { amount } } } } } } } }", {"n": 100.0}),
    ],
    ids=["variable default", "float variable"],
)  # fmt: skip
def test_the_page_size_is_priced_as_execution_reads_it(ports, query, variables):
    result = execute(ports, LEASER_ADMIN, query, **variables)
    assert codes(result) == ["QUERY_TOO_COSTLY"]
    assert result.errors[0]["extensions"]["cost"] > 50_000


def test_a_float_literal_page_size_is_invalid_not_free(ports):
    query = "{ contracts(first: 100.0) { edges { node { id } } } }"
    assert codes(execute(ports, LEASER_ADMIN, query)) == ["GRAPHQL_VALIDATION_FAILED"]


def test_a_field_repeated_hundreds_of_times_is_refused_before_validation_compares_the_pairs(ports):
    result = execute(ports, LEASER_ADMIN, "{ " + "viewer { sub } " * 490 + "}")
    assert result.data is None and codes(result) == ["TOO_MANY_REPEATED_FIELDS"]
    hidden = "{ " + "... on Query { viewer { sub } } " * 11 + "}"  # inline fragments merge at the same level
    assert codes(execute(ports, LEASER_ADMIN, hidden)) == ["TOO_MANY_REPEATED_FIELDS"]
    assert execute(ports, LEASER_ADMIN, "{ " + "viewer { sub } " * 10 + "}").errors == []


def test_thousands_of_aliases_are_refused_before_validation(ports):
    query = "{ " + " ".join(f"a{k}: viewer {{ sub }}" for k in range(300)) + " }"
    assert codes(execute(ports, LEASER_ADMIN, query)) == ["TOO_MANY_ALIASES"]


def test_a_long_input_list_is_refused_before_it_is_converted(ports):
    lines = [{"reference": "SQL-STD", "unitPrice": "10.00"}] * 15_000
    query = 'query($l: [OrderLineInput!]!) { priceQuote(input: {vendorId: "x", lines: $l}) { total { amount } } }'
    result = execute(ports, LEASER_ADMIN, query, l=lines)
    assert result.data is None and codes(result) == ["INPUT_LIST_TOO_LONG"]
    literal = (
        '{ priceQuote(input: {vendorId: "x", lines: ['
        + ", ".join(['{reference: "r", unitPrice: "1"}'] * 101)
        + "]}) { total { amount } } }"
    )
    assert codes(execute(ports, LEASER_ADMIN, literal)) == ["INPUT_LIST_TOO_LONG"]


def test_field_suggestions_are_hidden_when_introspection_is_off(ports):
    errors, _ = run_with(Limits(introspection=False), ports, "{ viewr { sub } }")
    assert errors and "Did you mean" not in errors[0]["message"]
    errors, _ = run_with(Limits(), ports, "{ viewr { sub } }")
    assert "Did you mean 'viewer'" in errors[0]["message"]


def test_a_string_input_longer_than_the_limit_is_refused_before_anything_runs(ports):
    query = "mutation($i: CreateContractInput!) { createContract(input: $i) { contract { id } } }"
    result = execute(ports, LEASER_ADMIN, query, i={"customer": {"name": "x" * 5_000}})
    assert result.data is None and codes(result) == ["INPUT_TOO_LONG"]


# ---------------------------------------------------------------- pages from the end, lookups by ids (issue 18)

PAGED = build_schema(
    """
    type Query { items(first: Int, after: String, last: Int, before: String): ItemConnection!
                 nodes(ids: [ID!]!): [Item]! }
    type ItemConnection { edges: [ItemEdge!]! }
    type ItemEdge { node: Item! }
    type Item { id: ID! children(first: Int, last: Int): ItemConnection! }
    """
)


def cost(query: str, **variables: object) -> int:
    error = limit_error(PAGED, parse(query), query, variables, Limits(max_cost=0))
    assert error is not None and error.extensions
    return int(cast(int, error.extensions["cost"]))


def test_a_page_from_the_end_is_priced_by_last_as_one_from_the_start_by_first():
    forward = cost("{ items(first: 100) { edges { node { id children(first: 100) { edges { node { id } } } } } } }")
    backward = cost(
        "query($n: Int) { items(last: $n) { edges { node { id children(last: 100) { edges { node { id } } } } } } }",
        n=100,
    )
    assert backward == forward > 100 * 100
    assert cost("{ items { edges { node { id } } } }") == cost("{ items(first: 20) { edges { node { id } } } }")


def test_a_lookup_by_ids_is_priced_by_their_number():
    one, two = cost('{ nodes(ids: ["a"]) { id } }'), cost('{ nodes(ids: ["a", "b"]) { id } }')
    hundred = cost("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=[str(k) for k in range(100)])
    assert hundred - one == 99 * (two - one) > 0  # the field once, what it selects once per id
