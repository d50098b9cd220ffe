"""The `ports("fake", "dynamodb")` mark: one test module run on the fakes and on DynamoDB Local."""

from __future__ import annotations

import sys
from typing import Any

import pytest

PORTS = {
    "fake": pytest.param("fake", id="fake"),
    # The same test on DynamoDB Local is an integration test: `-m "not integration"` leaves it out.
    "dynamodb": pytest.param("dynamodb", id="dynamodb", marks=pytest.mark.integration),
}


def _marks(holder: Any) -> list[pytest.Mark]:
    found = getattr(holder, "pytestmark", [])
    return list(found) if isinstance(found, list | tuple) else [found]


def runs_on_dynamodb_in_place(test: Any) -> bool:
    """True for a test (function or class) whose module or itself is marked `ports(..., "dynamodb", ...)`.

    Such a test already runs on DynamoDB Local where it is defined, as test_x[dynamodb].
    """
    module = sys.modules.get(getattr(test, "__module__", "") or "")
    marks = _marks(test) + (_marks(module) if module is not None else [])
    return any(getattr(m, "name", None) == "ports" and "dynamodb" in m.args for m in marks)
