"""Sales numbered and commissions created once, under concurrent signature events, on DynamoDB Local."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.financing_flow import SIGNATURE_CONNECTOR
from tests.program_flow import ProgramFlow

pytestmark = pytest.mark.integration


@pytest.fixture
def programs(world):
    flow = ProgramFlow(world)
    flow.create_program()
    flow.enroll("PRESCRIBER", "PRESCRIBER")
    return flow


def _sign(programs, contract):
    return programs.mutate(
        SIGNATURE_CONNECTOR,
        ops.RECORD_SIGNATURE,
        "recordSignature",
        contractId=contract,
        document="SALE_CONTRACT",
        signedBy="Marie Martin",
    )


def test_the_same_signature_event_delivered_eight_times_at_once_pays_once(programs):
    contract = programs.attributed_contract("PRESCRIBER")["contract"]["id"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _sign(programs, contract), range(8)))
    assert all(r["userErrors"] == [] for r in results)
    assert [p["amount"]["amount"] for p in programs.payouts_of(contract, "COMMISSION")] == ["900.00"]
    count = programs.world.run(
        LEASER_ADMIN, "query($id: ID!) { enrollment(id: $id) { salesCount } }", id=programs.enrollments["PRESCRIBER"]
    ).data
    assert count == {"enrollment": {"salesCount": 1}}


def test_concurrent_sales_of_one_partner_get_distinct_numbers(programs):
    contracts = [programs.attributed_contract("PRESCRIBER")["contract"]["id"] for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda c: _sign(programs, c), contracts))
    enrollment = programs.enrollments["PRESCRIBER"]
    from channelfin.api.core.ids import from_global_id

    sales = programs.world.ports.programs.sales_of(from_global_id(enrollment)[1])
    assert sorted(s.number for s in sales) == [1, 2, 3, 4, 5, 6]
    assert len({s.contract_id for s in sales}) == 6


def test_racing_answers_to_one_enrolment_settle_it_once_and_charge_its_fee_at_most_once(world):
    from tests.world import admin_of

    flow = ProgramFlow(world)
    flow.create_program()
    flow.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00", accept=False)
    affiliate, enrollment = flow.partners["AFFILIATE"], flow.enrollments["AFFILIATE"]
    answers = [ops.ACCEPT_ENROLLMENT, ops.DECLINE_ENROLLMENT] * 4

    def answer(operation: str) -> dict:
        result = world.run(admin_of(affiliate), operation, input={"enrollmentId": enrollment})
        assert result.errors == [], result.errors
        return next(iter(result.data.values()))

    with ThreadPoolExecutor(max_workers=8) as pool:
        payloads = list(pool.map(answer, answers))
    won = [p for p in payloads if p["userErrors"] == []]
    assert len(won) == 1
    assert sorted(e["code"] for p in payloads if p["userErrors"] for e in p["userErrors"]) == ["ALREADY_ANSWERED"] * 7
    status = won[0]["enrollment"]["status"]
    stored = world.run(LEASER_ADMIN, "query($id: ID!) { enrollment(id: $id) { status } }", id=enrollment).data
    assert stored == {"enrollment": {"status": status}}
    statement = world.run(
        LEASER_ADMIN,
        ops.STATEMENT,
        partnerId=affiliate,
        **{"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"},
    ).data["partnerStatement"]
    fees = [line["amount"]["amount"] for line in statement["lines"] if line["kind"] == "ENTRY_FEE"]
    assert fees == (["6000.00"] if status == "ACCEPTED" else [])
