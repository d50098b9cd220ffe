"""infra/payments.asl.json executed by moto's interpreter, its Lambda steps answered in-process.

runPayments starts the real definition: PlanRun, one PayCounterparty per counterparty (a Map),
FinishRun; a transfer refused once is retried by the definition and then goes through.
"""

from __future__ import annotations

from typing import Any

import pytest

from channelfin.api.core.ids import from_global_id
from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.wait import wait_until

pytestmark = pytest.mark.workflow

RUN = "query($id: ID!) { node(id: $id) { ... on PaymentRun { id status paidCount paid { amount } failedCount } } }"


def rebates(flow, *amounts: str) -> list[dict[str, Any]]:
    world = flow.world
    world.link(world.stranger)  # the vendor reports the stranger's sales too
    vendor_admin = world.user_of(world.publisher, "partner-admin")
    created = world.run(
        vendor_admin,
        ops.CREATE_CAMPAIGN,
        input={
            "vendorId": world.publisher,
            "name": "Marge arrière",
            "kind": "REBATE",
            "rate": "0.10",
            "productFamily": "SQL Server",
            "partnerRoles": ["RESELLER"],
            "startsAt": "2020-01-01T00:00:00Z",
            "endsAt": "2100-01-01T00:00:00Z",
        },
    ).data["createIncentiveCampaign"]
    assert created["userErrors"] == []
    payouts = []
    for n, amount in enumerate(amounts):
        sale = world.run(
            vendor_admin,
            ops.RECORD_LICENCE_SALE,
            input={
                "sellerId": world.reseller if n % 2 == 0 else world.stranger,
                "vendorId": world.publisher,
                "productFamily": "SQL Server",
                "amount": amount,
                "soldAt": "2026-10-01T10:00:00Z",
                "saleReference": f"INV-{n}",
            },
        ).data["recordLicenceSale"]
        assert sale["userErrors"] == [], sale
        payouts.append(sale["payout"])
    return payouts


def wait_run(flow, run_id: str, timeout: float = 30) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        found = flow.world.run(LEASER_ADMIN, RUN, id=run_id).data["node"]
        return found if found["status"] != "RUNNING" else None

    return wait_until(finished, timeout=timeout, what=f"payment run {run_id} still RUNNING")


def execution(flow, run_id: str) -> dict[str, Any]:
    name = f"payments-{from_global_id(run_id)[1]}"
    arn = flow.engine.client().list_state_machines()["stateMachines"]
    machine = next(m["stateMachineArn"] for m in arn if m["name"].endswith("payments"))
    return flow.engine.client().describe_execution(
        executionArn=machine.replace(":stateMachine:", ":execution:") + f":{name}"
    )


def test_a_vendor_s_run_executes_the_definition_and_pays_each_counterparty_once(flow):
    world = flow.world
    rebates(flow, "1000.00", "2000.00", "3000.00")  # 100.00 + 300.00 to the reseller, 200.00 to the other
    payload = world.run(
        world.user_of(world.publisher, "partner-admin"),
        ops.RUN_PAYMENTS,
        input={"payerId": world.publisher, "upTo": world.ports.clock().isoformat()},
    ).data["runPayments"]
    assert payload["userErrors"] == []
    done = wait_run(flow, payload["run"]["id"])
    assert (done["status"], done["paidCount"], done["paid"], done["failedCount"]) == (
        "DONE",
        3,
        {"amount": "600.00"},
        0,
    )
    assert execution(flow, payload["run"]["id"])["status"] == "SUCCEEDED"
    paid = flow.payments.paid
    assert sorted(str(amount.amount) for _, _, amount in paid.values()) == ["200.00", "400.00"]  # one transfer each
    books = world.run(LEASER_ADMIN, ops.TRIAL_BALANCE).data["ledgerTrialBalance"]
    assert books["balanced"] is True


def test_a_transfer_refused_once_is_retried_by_the_definition(flow):
    world = flow.world
    rebates(flow, "1000.00")
    flow.payments.failures = 1
    payload = world.run(
        world.user_of(world.publisher, "partner-admin"),
        ops.RUN_PAYMENTS,
        input={"payerId": world.publisher, "upTo": world.ports.clock().isoformat()},
    ).data["runPayments"]
    done = wait_run(flow, payload["run"]["id"])
    assert (done["status"], done["paidCount"], done["failedCount"]) == ("DONE", 1, 0)
    assert len(flow.payments.attempts) == 2 and len(flow.payments.paid) == 1
