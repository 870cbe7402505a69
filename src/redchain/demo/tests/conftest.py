"""The demo zone, loaded once per test module inside a transaction that is rolled back afterwards.

Loading takes a few seconds, so the tests of one module share a load. Each test still runs in its own
savepoint (the ``db`` fixture nests inside the module's transaction), and nothing outlives the module.
"""

import pytest
from django.db import transaction

from redchain.demo.generator import Summary, load_demo


@pytest.fixture(scope="module")
def demo(request, django_db_setup, django_db_blocker) -> Summary:
    """A module sets ``DEMO_DEMANDS`` to play demands through the loop; the others load the zone without them."""
    count = getattr(request.module, "DEMO_DEMANDS", 0)
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo(demand_count=count)
        yield summary
        transaction.set_rollback(True)
