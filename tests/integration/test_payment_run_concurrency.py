"""Payment runs racing on DynamoDB Local: every payout is paid once, whatever the order of arrival.

Eight runPayments at once for the same payer and upTo make one run; eight for the same payer
and different upTo make eight runs competing for the same payouts, which each run holds
before paying (a conditional write): the bank sees one transfer per payout's counterparty,
each payout is PAID once, and the books balance.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from channelfin.domain.payouts import PayoutStatus
from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.graphql_client import execute
from tests.integration.test_money_concurrency import run_together
from tests.workflow.test_payments_workflow import rebates

pytestmark = pytest.mark.integration


class Flow:
    def __init__(self, world) -> None:
        self.world = world


def _paid_entries(ports) -> Counter[tuple[str | None, str]]:
    """How many times each payout was journaled as paid, in each party's books."""
    entries = ports.ledger.journal_until(ports.clock() + timedelta(days=30))
    return Counter((e.payout_id, e.holder) for e in entries if e.id.endswith("/paid"))


@pytest.mark.parametrize("same_up_to", [True, False], ids=["same upTo", "eight upTo"])
def test_eight_concurrent_runs_pay_each_payout_exactly_once(world, ports, same_up_to):
    payouts = rebates(Flow(world), *(f"{1000 + 100 * k}.00" for k in range(10)))
    vendor_admin = world.user_of(world.publisher, "partner-admin")
    now = ports.clock()

    def ask(k: int):
        up_to = now if same_up_to else now + timedelta(seconds=k)
        result = execute(
            ports, vendor_admin, ops.RUN_PAYMENTS, input={"payerId": world.publisher, "upTo": up_to.isoformat()}
        )
        assert result.errors == [], result.errors
        return result.data["runPayments"]

    outcomes = run_together(ask, threads=8)
    assert all(o.error is None for o in outcomes), [o.error for o in outcomes]
    runs = {o.value["run"]["id"] for o in outcomes}
    assert len(runs) == (1 if same_up_to else 8)

    stored = ports.payouts.get_many(p["id"] and _local(p["id"]) for p in payouts)
    assert {p.status for p in stored.values()} == {PayoutStatus.PAID}
    assert all(p.run_id is None for p in stored.values())
    transfers = ports.payments.paid
    paid_per_beneficiary = Counter()
    for _, beneficiary, amount in transfers.values():
        paid_per_beneficiary[beneficiary] += amount.to_cents()
    owed = Counter()
    for p in stored.values():
        owed[p.beneficiary_id] += p.amount.to_cents()
    assert paid_per_beneficiary == owed  # every cent once, not twice
    journaled = _paid_entries(ports)
    assert set(journaled.values()) == {1}  # once in the payer's books, once in the beneficiary's
    assert {payout for payout, _ in journaled} == set(stored)
    books = execute(ports, LEASER_ADMIN, ops.TRIAL_BALANCE).data["ledgerTrialBalance"]
    assert books["balanced"] is True


def _local(global_id: str) -> str:
    from channelfin.api.core.ids import from_global_id

    return from_global_id(global_id)[1]
