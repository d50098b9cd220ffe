"""Fixtures shared by the layers: DynamoDB Local started once per test session (in memory)."""

from __future__ import annotations

import pytest

from channelfin.local.dynamodb_local import DynamoDBLocal, aws_env, free_port


@pytest.fixture(scope="session")
def dynamodb_local():
    engine = DynamoDBLocal(in_memory=True, port=free_port())
    engine.start()
    yield engine
    engine.stop()


@pytest.fixture
def aws_local_env(dynamodb_local, monkeypatch):
    for name, value in aws_env(dynamodb_local.endpoint_url).items():
        monkeypatch.setenv(name, value)
