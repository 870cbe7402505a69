import pytest

from redchain.pairings.tests.factories import pairing_set


@pytest.fixture
def pairings(world):
    return pairing_set(world)
