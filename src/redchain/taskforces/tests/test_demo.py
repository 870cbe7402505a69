"""The demo's task forces and suggestions: built through the services, deterministic, shaped like the report,
and visible to every demo account. The base zone is loaded once for the module (other apps' demo work is left
out, so this test depends only on this app), then this app's ``build`` runs on it."""

from unittest import mock

import pytest
from django.db import transaction

from redchain.accounts.models import User
from redchain.audit.models import AuditEntry
from redchain.demo import data, work_taskforces
from redchain.demo.fakes import Fakes
from redchain.demo.generator import load_demo
from redchain.demo.logins import USERNAMES
from redchain.orgs.models import PartyOrg, Zone
from redchain.taskforces import selectors
from redchain.taskforces.models import Suggestion, TaskForce, TaskForceMember

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with mock.patch("redchain.demo.generator._party_work"):
            load_demo(demand_count=0)
        zone = Zone.objects.get(code=data.ZONE["code"])
        line = work_taskforces.build(zone=zone, fakes=Fakes(data.SEED).stage(work_taskforces.__name__))
        yield {"zone": zone, "line": line}
        transaction.set_rollback(True)


def test_build_reports_what_it_made(demo):
    assert demo["line"].startswith(f"{TaskForce.objects.count()} task forces")


def test_teams_have_three_to_eight_members_and_one_leader(demo):
    teams = TaskForce.objects.filter(zone=demo["zone"])
    assert 28 <= teams.count() <= 36
    assert teams.filter(enterprise__isnull=True).count() >= 2  # department service teams
    for team in teams.prefetch_related("members"):
        roles = [row.role for row in team.members.all()]
        assert 3 <= len(roles) <= 8 and roles.count("leader") == 1
    assert teams.filter(status="done").exists() and teams.filter(status="disbanded").count() == 1


def test_zone_funnel_runs_about_a_quarter_adopted_and_an_eighth_implemented(demo):
    total = selectors.funnel_total(Suggestion.objects.filter(zone=demo["zone"]))
    assert 550 <= total.collected <= 650
    assert 20 <= total.adoption_rate <= 30
    assert 9 <= total.implementation_rate <= 15
    assert total.benefit_wan > 0
    dates = Suggestion.objects.filter(zone=demo["zone"]).values_list("submitted_on", "implemented_on")
    assert all(work_taskforces.START <= s <= data.AS_OF and (i is None or i <= data.AS_OF) for s, i in dates)


def test_flagship_firm_resembles_the_report(demo):
    firm = User.objects.get(username="firm1").memberships.get().enterprise
    row = selectors.funnel_total(Suggestion.objects.filter(enterprise=firm))
    assert (row.collected, row.adopted, row.implemented) == (108, 25, 12)


def test_every_demo_account_with_a_party_organisation_in_view_sees_some_of_it(demo):
    # Scope follows party organisations; an account whose firm has none of its own can see no task force by
    # design, so the demo gives both firm contacts a firm with its own organisation.
    with_orgs = [u for u in USERNAMES if PartyOrg.objects.visible_to(User.objects.get(username=u)).exists()]
    assert set(USERNAMES) <= set(with_orgs)
    for username in with_orgs:
        user = User.objects.get(username=username)
        assert TaskForce.objects.visible_to(user).exists(), username
        assert Suggestion.objects.visible_to(user).exists(), username


def test_everything_has_its_audit_row(demo):
    assert AuditEntry.objects.filter(action="suggestion.submit").count() == Suggestion.objects.count()
    assert (
        AuditEntry.objects.filter(action="task_force.member_add").count() == TaskForceMember.objects.count()
    )


def test_build_is_deterministic(demo):
    names = list(TaskForce.objects.order_by("id").values_list("name", "formed_on"))
    titles = list(Suggestion.objects.order_by("id").values_list("title", "status")[:50])
    with transaction.atomic():
        Suggestion.objects.all().delete()
        TaskForceMember.objects.all().delete()
        TaskForce.objects.all().delete()
        work_taskforces.build(zone=demo["zone"], fakes=Fakes(data.SEED).stage(work_taskforces.__name__))
        assert list(TaskForce.objects.order_by("id").values_list("name", "formed_on")) == names
        assert list(Suggestion.objects.order_by("id").values_list("title", "status")[:50]) == titles
        transaction.set_rollback(True)
