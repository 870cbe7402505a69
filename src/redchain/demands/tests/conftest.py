import pytest
from django.utils import timezone

from redchain.demands import services
from redchain.demands.tests.clock import Clock, at


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The services' clock, frozen at Monday 2025-11-03 09:00 until a test sets it."""
    frozen = Clock(at("2025-11-03 09:00"))
    monkeypatch.setattr(timezone, "now", frozen)
    # The services call timezone.now() through the module, so patching the module attribute reaches them.
    assert services.timezone.now is frozen
    return frozen
