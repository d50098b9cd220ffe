"""Integration layer: the real repositories on DynamoDB Local, fresh tables per test."""

import uuid

import pytest

from channelfin.bootstrap import Settings, build_ports
from channelfin.store.tables import create_missing_tables, delete_tables
from tests.world import build_world


@pytest.fixture
def ports(aws_local_env, dynamodb_local):
    prefix = f"t{uuid.uuid4().hex[:10]}-"
    settings = Settings.from_env(
        {
            "CHANNELFIN_TABLE_PREFIX": prefix,
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_local.endpoint_url,
            "AWS_REGION": "eu-west-3",
        }
    )
    ports = build_ports(settings)
    create_missing_tables()
    yield ports
    delete_tables()


@pytest.fixture
def world(ports):
    return build_world(ports)
