"""An end client's exposure on DynamoDB Local: concurrent requests, and files stored before exposures.

Eight financing requests for one end client at once: the limit holds for their total.

Each contract alone is decided at once (33,035.37 financed, below 50,000.00); any two together
reach the limit. A barrier holds every request after it read the end client's exposure, so
all eight decide on the same empty exposure. The exposure is written in the contract's
transaction, conditioned on the version read: one request's write goes through, the others
fail their condition, read again and are referred. Exactly one file is approved automatically.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from channelfin.domain.credit_exposure import CreditExposure, ExposureKey
from channelfin.domain.money import Money
from tests.financing_flow import FinancingFlow

pytestmark = pytest.mark.integration

THREADS = 8


@dataclass
class ExposureReadsHeld:
    """The real contract repository; each thread's first exposure read waits until all threads made theirs."""

    inner: Any
    barrier: threading.Barrier
    held: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def exposure(self, key: ExposureKey) -> CreditExposure:
        found = self.inner.exposure(key)
        with self.lock:
            first = threading.get_ident() not in self.held
            self.held.add(threading.get_ident())
        if first:
            self.barrier.wait()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_eight_concurrent_requests_of_one_end_client_approve_one(ports, world):
    flow = FinancingFlow(world)
    contracts = [flow.new_contract() for _ in range(THREADS)]  # one SIREN, 33,035.37 each
    held = ExposureReadsHeld(ports.contracts, threading.Barrier(THREADS, timeout=20))
    world.ports = replace(ports, contracts=held)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(flow.request, contracts))

    outcomes = sorted(a["decision"]["outcome"] for a in answers)
    assert outcomes == ["APPROVED"] + ["REFERRED"] * (THREADS - 1)
    assert len(held.held) == THREADS  # every request read the exposure, all before any wrote it

    [approved] = [c for c, a in zip(contracts, answers, strict=True) if a["decision"]["outcome"] == "APPROVED"]
    statuses = {c: flow.read(c)["status"] for c in contracts}
    assert statuses[approved] == "APPROVED"
    assert sorted(statuses.values()) == ["APPROVED"] + ["UNDER_REVIEW"] * (THREADS - 1)

    [key] = {ExposureKey(ports.contracts.get(flow.local(c)).financing.leaser_id, "732829320") for c in contracts}
    stored = ports.contracts.exposure(key)
    assert sorted(cid for cid, _ in stored.files) == sorted(flow.local(c) for c in contracts)
    assert stored.outstanding("EUR") == Money.of("33035.37") * THREADS


def test_files_stored_before_exposures_are_counted_once_by_the_migration(ports, world, dynamodb_local):
    import boto3

    from channelfin.services.migrations import count_open_files, migrate
    from channelfin.store.contracts import ExposureRecord

    flow = FinancingFlow(world)
    first = flow.new_contract()
    assert flow.request(first)["decision"]["outcome"] == "APPROVED"
    leaser = ports.contracts.get(flow.local(first)).financing.leaser_id
    table = ExposureRecord.Meta.table_name
    client = boto3.client("dynamodb", endpoint_url=dynamodb_local.endpoint_url)
    key = {"pk": {"S": f"EXPOSURE#{leaser}#732829320"}, "sk": {"S": "EXPOSURE"}}
    client.delete_item(TableName=table, Key=key)  # as stored before exposures existed

    assert count_open_files(ports, dry_run=True) == 1
    assert "Item" not in client.get_item(TableName=table, Key=key)
    told: list[str] = []
    migrate(ports, progress=told.append)
    assert told == ["1 open financed file(s) counted in their end client's exposure"]
    assert count_open_files(ports) == 0  # once
    stored = ports.contracts.exposure(ExposureKey(leaser, "732829320"))
    assert stored.files == ((flow.local(first), Money.of("33035.37")),)
    assert flow.request(flow.new_contract())["decision"]["outcome"] == "REFERRED"
