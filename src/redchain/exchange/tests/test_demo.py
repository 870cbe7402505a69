"""The exchange part of the demo zone: counts near the brief, every demo account sees some of it."""

from unittest import mock

import pytest
from django.db import transaction

from redchain.accounts.models import User
from redchain.demo.generator import load_demo
from redchain.exchange import selectors
from redchain.exchange.models import Match, Need, Project, Resource

pytestmark = pytest.mark.django_db


# The other issue-5 modules are left out: this module tests only what work_exchange builds, and is quicker so.
OTHERS = ("work_mechanisms", "work_pairings", "work_visits", "work_taskforces", "work_partylife")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    patches = [mock.patch(f"redchain.demo.{name}.build", return_value="") for name in OTHERS]
    for patch in patches:
        patch.start()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield load_demo(demand_count=0)
            transaction.set_rollback(True)
    finally:
        for patch in patches:
            patch.stop()


def test_demo_creates_the_lists_matches_and_projects(demo):
    assert Need.objects.count() == 120
    assert Resource.objects.count() == 100
    assert 50 <= Match.objects.count() <= 70
    assert Match.objects.filter(status__in=["accepted", "closed"]).count() == 30
    closed = Match.objects.filter(status="closed")
    assert closed.count() == 20
    assert all(m.result and m.closed_on for m in closed)
    assert Project.objects.count() == 25


def test_firm1_has_an_accepted_and_a_closed_match(demo):
    firm1 = User.objects.get(username="firm1")
    statuses = set(selectors.match_list(user=firm1).values_list("status", flat=True))
    assert {"accepted", "closed"} <= statuses


@pytest.mark.parametrize(
    "username", ["zone-admin", "leader", "handler1", "handler2", "instructor1", "firm1", "firm2"]
)
def test_every_demo_account_sees_needs_and_resources(demo, username):
    user = User.objects.get(username=username)
    assert selectors.need_list(user=user).exists()
    assert selectors.resource_list(user=user).exists()
    assert selectors.project_list(user=user).exists()
