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
