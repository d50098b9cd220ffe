import pytest

from tests.fakes import fake_ports
from tests.world import build_world


@pytest.fixture
def ports():
    return fake_ports()


@pytest.fixture
def world(ports):
    return build_world(ports)
