"""The delivery lanes' unit tests on DynamoDB Local: the real outbox and delivery store, called from several threads.

The sender stays the unit layer's timed fake and the clock the tests' own. The test of a slow
contract holding back only itself is left to the unit layer: its margin (a slow POST against
a dozen fast events) is the fakes', not DynamoDB Local's on a busy machine.
"""

from dataclasses import replace

import pytest

from tests.factories import Clock
from tests.unit.test_webhook_lanes import *  # noqa: F403 — the same tests, with this layer's `ports` fixture
from tests.webhook_fakes import FakeResolver, FakeWebhookSender

pytestmark = pytest.mark.integration

del test_a_slow_contract_holds_back_only_its_own_events  # noqa: F821 — imported above


@pytest.fixture
def ports(ports):
    scripted = replace(ports, webhook_sender=FakeWebhookSender(), resolver=FakeResolver(), clock=Clock())
    ports.payment_workflows.ports = scripted  # the inline payment runner works on these ports
    return scripted
