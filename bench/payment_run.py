"""The payment-run benchmark: one payer's 1,000 due payouts to 100 beneficiaries, paid in one run.

Ten of the beneficiaries owe the payer an entry fee, so the run sets off as well as transfers.
The run executes the payments state machine's steps in this process (`execute_inline`, the
path `settleCommissions` takes): the DynamoDB work is the same as on Lambda, without the
engine's polling, which is what the figure is about.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from progress import say
from seeding import in_parallel

if TYPE_CHECKING:
    from channelfin.domain.payouts import Payout

PAYER = "bench-run-payer"
BENEFICIARIES = 100
PAYOUTS = 1_000
OWING_BACK = 10  # beneficiaries owing the payer an entry fee


def seed_due_payouts(ports: Any, now: datetime) -> None:
    """The payouts, each stored as the API stores it (with its ledger entries and events), all due yesterday.

    Ten payouts to a transaction (the store's own `new_payout_writes`): one transaction per
    payout, as `payouts.add` does, took 16 to 19 s of a quick run on DynamoDB Local.
    """
    from pynamodb.transactions import TransactWrite

    from channelfin.domain.money import Money
    from channelfin.domain.partners import Partner, PartnerRole
    from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
    from channelfin.store.dynamo import connection
    from channelfin.store.payouts import PayoutRecord, new_payout_writes

    ports.partners.add(Partner.register(id=PAYER, name="Éditeur Payeur", roles=[PartnerRole.PUBLISHER], created_at=now))
    due = now - timedelta(days=1)
    payouts = [
        Payout(
            id=f"bench-run-{n:04d}",
            kind=PayoutKind.COMMISSION,
            status=PayoutStatus.SCHEDULED,
            amount=Money.of(Decimal("90.00") + Decimal(n % 100) / 100),
            beneficiary_id=f"bench-affiliate-{n % BENEFICIARIES:03d}",
            payer_id=PAYER,
            created_at=due - timedelta(seconds=PAYOUTS - n),
            due_by=due,
            program_id="bench",
        )
        for n in range(PAYOUTS)
    ]
    payouts += [
        Payout(
            id=f"bench-run-fee-{n:02d}",
            kind=PayoutKind.ENTRY_FEE,
            status=PayoutStatus.SCHEDULED,
            amount=Money.of("150.00"),
            beneficiary_id=PAYER,
            payer_id=f"bench-affiliate-{n:03d}",
            created_at=due - timedelta(days=1),
            due_by=due,
            program_id="bench",
        )
        for n in range(OWING_BACK)
    ]

    def write(some: Sequence[Payout]) -> None:
        with TransactWrite(connection=connection(PayoutRecord)) as tx:
            for payout in some:
                new_payout_writes(tx, payout)

    in_parallel(write, [payouts[n : n + 10] for n in range(0, len(payouts), 10)])


def measure(ports: Any, counter: Any) -> dict[str, Any]:
    """Seed, run once, check what the run did; the figures of the run alone."""
    from channelfin.domain.access import Principal
    from channelfin.domain.payouts import PayoutStatus
    from channelfin.services.ledger import trial_balance
    from channelfin.services.payment_run_reads import paid_in_run
    from channelfin.services.payment_runs import run_payments_inline

    now = datetime.now(UTC)
    seed_due_payouts(ports, now)
    say("payment run: payouts seeded (with their ledger entries); the run")
    treasury = Principal.from_groups("bench-treasury", ["leaser-admin"])
    start = time.perf_counter()
    with counter.delta() as calls:
        run, _ = run_payments_inline(ports, treasury, payer_id=PAYER, up_to=now)
    elapsed = time.perf_counter() - start

    paid = paid_in_run(ports, run)
    assert len(paid) == PAYOUTS and all(p.status is PayoutStatus.PAID for p in paid), run
    fees = ports.payouts.get_many(f"bench-run-fee-{n:02d}" for n in range(OWING_BACK))
    assert all(fee.status is PayoutStatus.PAID for fee in fees.values()), "every entry fee is set off"
    assert trial_balance(ports, treasury, at=None).balanced
    return {
        "payment_run_1000_s": round(elapsed, 3),
        "ddb_calls_per_paid_payout": round(sum(calls.values()) / len(paid), 2),
        "ddb_calls_payment_run_by_operation": dict(calls),
    }
