"""How DynamoDB Local's JVM is started (channelfin.local.dynamodb_local)."""

from __future__ import annotations

from pathlib import Path

import pytest

from channelfin.local.dynamodb_local import QUICK_START_OPTIONS, DynamoDBLocal


def test_the_client_compiler_alone_unless_the_benchmark_measures_the_steady_state():
    assert set(QUICK_START_OPTIONS) <= set(DynamoDBLocal(in_memory=True).command())
    assert not set(QUICK_START_OPTIONS) & set(DynamoDBLocal(in_memory=True, quick_start=False).command())


@pytest.mark.integration
def test_the_suites_own_dynamodb_local_runs_with_it(dynamodb_local):
    arguments = Path(f"/proc/{dynamodb_local.pid}/cmdline").read_bytes().split(b"\0")
    assert [a.decode() for a in arguments if a.startswith(b"-XX:")] == ["-XX:+UseSerialGC", *QUICK_START_OPTIONS]
