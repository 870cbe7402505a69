"""The demo's visits: deterministic, consistent with the demand demo, and visible to each demo account.

The zone is loaded once for the module (with a few demands) inside a transaction that is rolled back; the
other mechanisms' demo modules are left out, so this test depends only on what visits need.
"""

import datetime as dt
import sys
from contextlib import ExitStack
from unittest import mock

import pytest
from django.db import transaction

from redchain.accounts.models import Membership, User
from redchain.demands.models import Channel, Demand
from redchain.demo import data, work_visits
from redchain.demo.fakes import Fakes
from redchain.demo.generator import load_demo
from redchain.orgs.models import Zone
from redchain.visits import selectors
from redchain.visits.models import Visit, VisitFinding

pytestmark = pytest.mark.django_db
DEMANDS = 60  # enough for a few on-site visit demands to link
OTHER_MODULES = ("work_mechanisms", "work_exchange", "work_pairings", "work_taskforces", "work_partylife")


@pytest.fixture(scope="module")
def zone(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with ExitStack() as stack:
            for name in OTHER_MODULES:
                stack.enter_context(mock.patch(f"redchain.demo.{name}.build", return_value=""))
            # Too few closed demands to train the routers on; routing is not what these tests are about.
            stack.enter_context(mock.patch("redchain.demo.generator._train_routers"))
            summary = load_demo(demand_count=DEMANDS, stdout=sys.stdout)
        yield Zone.objects.get(code=summary.zone_code)
        transaction.set_rollback(True)


def user(username):
    return User.objects.get(username=username)


def test_visits_lie_in_the_year_before_the_anchor(zone):
    visits = Visit.objects.filter(zone=zone)
    assert visits.count() >= 300
    assert max(visits.values_list("visited_on", flat=True)) <= data.AS_OF
    assert min(visits.values_list("visited_on", flat=True)) >= work_visits.START - dt.timedelta(days=2)


def test_about_forty_percent_have_findings_and_some_were_resolved_on_the_spot(zone):
    visits = Visit.objects.filter(zone=zone)
    with_findings = visits.filter(findings__isnull=False).distinct().count()
    assert 0.3 <= with_findings / visits.count() <= 0.55
    findings = VisitFinding.objects.filter(zone=zone)
    assert findings.filter(status="resolved").exists()
    assert findings.filter(status="open").exists()


def test_every_visit_demand_is_linked_to_a_finding_on_the_day_it_was_submitted(zone):
    demands = Demand.objects.filter(zone=zone, channel=Channel.VISIT, enterprise__isnull=False)
    assert demands.exists()
    for demand in demands.select_related("visit_finding__visit"):
        visit = demand.visit_finding.visit
        assert visit.enterprise_id == demand.enterprise_id
        assert visit.visited_on == demand.created_at.astimezone(work_visits.SHANGHAI).date()


@pytest.mark.parametrize(
    "username", ["zone-admin", "leader", "handler1", "handler2", "instructor1", "firm1", "firm2"]
)
def test_each_demo_account_sees_some_visits(zone, username):
    assert selectors.visit_list(user=user(username), zone_id=zone.pk).exists()


def test_firm1_sees_only_its_own_enterprise(zone):
    firm = Membership.objects.get(user__username="firm1").enterprise
    visits = selectors.visit_list(user=user("firm1"), zone_id=zone.pk)
    assert set(visits.values_list("enterprise_id", flat=True)) == {firm.pk}


def test_a_second_build_writes_nothing(zone):
    before = Visit.objects.count()
    assert work_visits.build(zone=zone, fakes=Fakes(data.SEED).stage("again")) == ""
    assert Visit.objects.count() == before
