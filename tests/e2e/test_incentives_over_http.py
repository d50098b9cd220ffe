"""The reseller-support acceptance of seed 002 (credit lines, rebates), over HTTP against `channelfin dev`."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from tests import operations as ops
from tests.incentive_flow import Channel, Who, credit_line_acceptance, rebate_acceptance

pytestmark = [pytest.mark.e2e, pytest.mark.shared_dev_server]  # adds data of its own only


@pytest.fixture
def channel(dev_server) -> Channel:
    @cache
    def token(who: Who) -> str:
        return dev_server.token(who.role, partner=who.partner, sub=who.sub)

    def send(who: Who, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = dev_server.post(token(who), query, **variables)
        assert response.status_code == 200, response.text
        return response.json()

    return Channel(send).setup()


def test_credit_line_acceptance_over_http(channel):
    credit_line_acceptance(channel)


def test_rebate_acceptance_over_http(channel):
    rebate_acceptance(channel)


def test_a_bad_decimal_is_a_client_error_and_records_nothing(channel):
    channel.set_line("1000.00")
    body = channel.response(
        channel.distributor_user("bob", "partner-user"),
        ops.RECORD_FIRM_ORDER,
        input={
            "resellerId": channel.reseller,
            "distributorId": channel.distributor,
            "amount": 12.5,
            "licenceProgram": "OEM",
        },
    )
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"  # as a bad Int or Date
    assert channel.line()["outstanding"]["amount"] == "0.00"
