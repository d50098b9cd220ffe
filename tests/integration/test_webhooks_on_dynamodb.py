"""The webhook API tests of the unit layer on DynamoDB Local: the real outbox, endpoint and delivery store.

The HTTP sender and the resolver stay scripted here (tests/e2e sends over HTTP), and the
clock is the tests' own, so the retries of three days come due in a few passes.
"""

from dataclasses import replace

import pytest

from tests.factories import Clock
from tests.unit.test_webhooks_api import *  # noqa: F403 — the same tests, with this layer's `ports` fixture
from tests.webhook_fakes import FakeResolver, FakeWebhookSender

pytestmark = pytest.mark.integration


@pytest.fixture
def ports(ports):
    scripted = replace(ports, webhook_sender=FakeWebhookSender(), resolver=FakeResolver(), clock=Clock())
    ports.payment_workflows.ports = scripted  # the inline payment runner works on these ports
    return scripted
