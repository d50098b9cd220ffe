"""Integration layer: the real repositories on DynamoDB Local, fresh tables per test."""

from dataclasses import replace

import pytest

from tests.fakes import (
    FakeEngine,
    FakeSignatureProvider,
    InlinePaymentRuns,
    RecordedMetrics,
    ScriptedNotifier,
    ScriptedPayments,
)
from tests.stack import fresh_ports
from tests.world import build_world


@pytest.fixture
def ports(aws_local_env, dynamodb_local):
    # The workflow engine is a fake here; tests/workflow runs the real state machine.
    with fresh_ports(dynamodb_local.endpoint_url) as real:
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


@pytest.fixture
def world(ports):
    return build_world(ports)
