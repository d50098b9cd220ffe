"""Integration layer: the real repositories on DynamoDB Local, a clean set of pooled tables per test."""

import pytest

from tests.world import build_world


@pytest.fixture
def ports(dynamodb_ports):
    # The workflow engine is a fake here; tests/workflow runs the real state machine.
    return dynamodb_ports


@pytest.fixture
def world(ports):
    return build_world(ports)
