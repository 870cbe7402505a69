import pytest

from redchain.visits.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world) -> Scene:
    return build_scene(world)
