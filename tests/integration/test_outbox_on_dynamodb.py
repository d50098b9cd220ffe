"""The outbox on DynamoDB Local: events written in the fact's transaction, or not at all."""

import pytest

from tests.unit.test_outbox import *  # noqa: F403 — the same tests, with this layer's `ports` fixture

pytestmark = pytest.mark.integration
