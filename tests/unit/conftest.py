"""Unit layer: the in-memory fakes; the API modules marked `ports("fake", "dynamodb")` run on both."""

import pytest

from tests.fakes import fake_ports
from tests.parametrised_ports import PORTS
from tests.world import build_world


def pytest_generate_tests(metafunc):
    """A test in a module marked `ports(kind, ...)` runs once on each kind of `ports`, ids [fake] / [dynamodb]."""
    marker = metafunc.definition.get_closest_marker("ports")
    if marker is not None and "ports" in metafunc.fixturenames:
        metafunc.parametrize("ports", [PORTS[kind] for kind in marker.args], indirect=True)


@pytest.fixture
def ports(request):
    if getattr(request, "param", "fake") == "fake":
        return fake_ports()
    return request.getfixturevalue("dynamodb_ports")


@pytest.fixture
def world(ports):
    return build_world(ports)
