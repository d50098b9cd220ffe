"""Limits a hostile client meets (DESIGN 4): depth, aliases, tokens, document size, cost; configurable."""

from __future__ import annotations

import asyncio

import pytest

from channelfin.api.core.context import Context
from channelfin.api.http.execution import executor
from channelfin.api.http.limits import Limits
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
