"""Fixtures shared by the layers: DynamoDB Local started once per test session (in memory), its tables pooled.

How a new test uses them (the `ports` mark, the table pool, the shared `channelfin dev`,
`wait_until`), and which older ways still work: tests/README.md.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.local.dynamodb_local import DynamoDBLocal, aws_env, free_port
from tests import lanes
from tests.factories import principal
from tests.fakes import (
    FakeEngine,
    FakeSignatureProvider,
    InlinePaymentRuns,
    RecordedMetrics,
    ScriptedNotifier,
    ScriptedPayments,
)
from tests.graphql_client import execute
from tests.incentive_flow import Channel, Who
from tests.stack import TablePool, pooled_ports


def pytest_collection_modifyitems(items):
    lanes.order(items)  # the in-process layers first, then the e2e modules (tests/lanes.py)


def pytest_xdist_make_scheduler(config, log):
    """scripts/test's `-n 2`: whole e2e modules and the in-process layers as one unit (tests/lanes.py)."""
    return lanes.scheduler(config, log)


@pytest.fixture(scope="session")
def dynamodb_local():
    engine = DynamoDBLocal(in_memory=True, port=free_port())
    engine.start()
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def s3_local():
    """S3 for the documents' PDFs: moto's server, as `channelfin dev` runs it."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_local_env(dynamodb_local, s3_local, table_pool, monkeypatch):
    # table_pool: running, it serves `tests.stack.fresh_ports` too (the way older tests get tables).
    for name, value in aws_env(dynamodb_local.endpoint_url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_local)


@pytest.fixture(scope="session")
def table_pool(dynamodb_local):
    """Sets of tables made once on DynamoDB Local, each test given a clean one (tests/stack.py)."""
    pool = TablePool(dynamodb_local.endpoint_url)
    pool.start()
    yield pool
    pool.stop()
    if pool.stats["dirty"]:
        warnings.warn(f"table sets left with unnoted items, made anew: {pool.stats}", stacklevel=1)


@pytest.fixture
def dynamodb_ports(aws_local_env, table_pool):
    """The real repositories on DynamoDB Local; the workflow engine and the outside world are fakes.

    tests/workflow runs the real state machine, on ports of its own.
    """
    with pooled_ports(table_pool) as real:
        runner = InlinePaymentRuns()  # tests/workflow runs the payments state machine itself
        ports = replace(
            real,
            workflows=FakeEngine(),
            escrow_workflows=FakeEngine(),
            payment_workflows=runner,
            payments=ScriptedPayments(),
            metrics=RecordedMetrics(),
            notifier=ScriptedNotifier(),
            signatures=FakeSignatureProvider(),
        )
        runner.ports = ports
        yield ports


class LedgerWrites:
    """Every journal entry the suite writes to DynamoDB (in this process), checked as it is written."""

    def __init__(self) -> None:
        self.entries = 0
        self.debits = 0
        self.credits = 0
        self.unbalanced: list[str] = []

    def see(self, operation_name: str, api_params: dict[str, Any]) -> None:
        if operation_name == "TransactWriteItems":
            items = [i["Put"]["Item"] for i in api_params.get("TransactItems", []) if "Put" in i]
        elif operation_name == "PutItem":
            items = [api_params.get("Item", {})]
        else:
            return
        for item in items:
            if not str(item.get("pk", {}).get("S", "")).startswith("ENTRY#"):
                continue
            lines = [line["M"] for line in item.get("lines", {}).get("L", [])]
            debit = sum(int(line["debit"]["N"]) for line in lines)
            credit = sum(int(line["credit"]["N"]) for line in lines)
            self.entries += 1
            self.debits += debit
            self.credits += credit
            if debit != credit:
                self.unbalanced.append(f"{item['pk']['S']} {item['sk']['S']}: {debit} != {credit}")


@pytest.fixture(scope="session", autouse=True)
def no_scan_ever():
    """Every list is a Query on a key or index (DESIGN 3): a Scan anywhere in the suite fails it.

    The same hook watches every ledger entry written to DynamoDB: at the end of the session each
    must have balanced and the whole ledger must balance (debits = credits), or the suite fails.
    """
    from botocore.client import BaseClient

    original = BaseClient._make_api_call
    scans: list[str] = []
    ledger = LedgerWrites()

    def guarded(self, operation_name, api_params):
        if operation_name == "Scan":
            scans.append(str(api_params.get("TableName")))
            raise AssertionError(f"Scan on {api_params.get('TableName')}: lists must be Queries")
        answer = original(self, operation_name, api_params)
        ledger.see(operation_name, api_params)  # written: it counts
        return answer

    BaseClient._make_api_call = guarded
    yield scans
    BaseClient._make_api_call = original
    assert scans == [], f"Scan requests were made: {scans}"
    assert ledger.unbalanced == [], f"unbalanced ledger entries were written: {ledger.unbalanced[:10]}"
    assert ledger.debits == ledger.credits, f"the ledger does not balance: {ledger.debits} != {ledger.credits}"


@pytest.fixture
def channel(ports) -> Channel:
    """The reseller-support world, driven in-process on whichever `ports` the layer provides."""

    def send(who: Who, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        partner_id = from_global_id(who.partner)[1] if who.partner else None
        result = execute(ports, principal(who.role, partner_id=partner_id, sub=who.sub), query, **variables)
        return {"data": result.data, "errors": result.errors}

    return Channel(send).setup()
