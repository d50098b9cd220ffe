"""The audit trail: every mutation, allowed or not, is kept with who, when, what and how it ended."""

from __future__ import annotations

import json

import pytest

from tests import operations as ops
from tests.incentive_flow import LEASER_ADMIN, Who

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local

AUDIT = """query($day: Date!, $first: Int, $after: String) {
  auditTrail(day: $day, first: $first, after: $after) {
    edges { node { at actor roles partnerId operation outcome arguments codes } } pageInfo { hasNextPage endCursor }
  }
}"""


def trail(channel, ports, first=100):
    day = ports.clock().date().isoformat()
    return [e["node"] for e in channel.data(LEASER_ADMIN, AUDIT, day=day, first=first)["auditTrail"]["edges"]]


def test_changes_refusals_and_denials_are_all_in_the_trail_newest_first(channel, ports):
    before = len(trail(channel, ports))
    channel.set_line("1000.00", who=channel.distributor_user("alice"))
    refused = channel.order("5000.00")
    assert refused["userErrors"][0]["code"] == "CREDIT_LIMIT_EXCEEDED"
    denied = channel.response(
        Who("partner-admin", channel.reseller, "mallory"),
        ops.SET_CREDIT_LINE,
        input={"distributorId": channel.distributor, "resellerId": channel.reseller, "insuredLimit": "99999.00"},
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    channel.line()  # a read leaves nothing

    entries = trail(channel, ports)
    assert len(entries) == before + 3
    newest = entries[:3]
    assert [(e["operation"], e["outcome"], e["actor"], e["codes"]) for e in newest] == [
        ("setCreditLine", "DENIED", "mallory", ["FORBIDDEN"]),
        ("recordFirmOrder", "REFUSED", "bob", ["CREDIT_LIMIT_EXCEEDED"]),
        ("setCreditLine", "DONE", "alice", []),
    ]
    assert json.loads(newest[2]["arguments"])["input"]["insuredLimit"] == "1000.00"
    assert newest[2]["roles"] == ["partner-admin"] and newest[2]["partnerId"]
    assert entries == sorted(entries, key=lambda e: e["at"], reverse=True)


def test_only_leaser_admins_read_the_trail(channel, ports):
    day = ports.clock().date().isoformat()
    for who in (Who("treasury", sub="t"), channel.distributor_user()):
        body = channel.response(who, AUDIT, day=day)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_trail_pages(channel, ports):
    for k in range(3):
        channel.register(f"Partenaire {k}", "RESELLER")
    day = ports.clock().date().isoformat()
    first = channel.data(LEASER_ADMIN, AUDIT, day=day, first=2)["auditTrail"]
    assert len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"]
    rest = channel.data(LEASER_ADMIN, AUDIT, day=day, first=100, after=first["pageInfo"]["endCursor"])["auditTrail"]
    assert len(rest["edges"]) >= 1
    seen = [e["node"]["at"] for e in first["edges"] + rest["edges"]]
    assert len(seen) == len(set(seen)) or len(seen) == len(trail(channel, ports))
