"""The demo builder on the test world: a year of activities, a June that some branch missed, brands, ratings."""

from datetime import date

import pytest

from redchain.audit.models import AuditEntry
from redchain.demo import work_partylife
from redchain.demo.data import AS_OF
from redchain.demo.fakes import Fakes
from redchain.partylife import selectors
from redchain.partylife.models import BranchBrand, BranchRating, CadenceRule, PartyActivity

pytestmark = pytest.mark.django_db


def test_build_creates_a_year_of_party_life_with_a_missed_june(world):
    line = work_partylife.build(zone=world.zone, fakes=Fakes(7).stage("partylife"))

    activities = PartyActivity.objects.filter(zone=world.zone)
    assert f"{activities.count()} party activities" in line
    assert activities.count() > 3 * 25  # a branch keeps about forty a year; lax ones fewer
    assert activities.filter(held_on__gt=AS_OF).count() == 0
    assert activities.filter(held_on__lt=date(2024, 7, 1)).count() == 0
    assert CadenceRule.objects.filter(zone=world.zone).count() == 7
    # One audit row per organisation's batch, not one per activity.
    assert AuditEntry.objects.filter(action="party_activity.import").count() == 3

    report = selectors.compliance_report(user=world.alice, zone_id=world.zone.pk, month=date(2025, 6, 1))
    assert "theme_day" in {miss.rule.kind for miss in report.misses}
    assert selectors.default_month(user=world.alice, zone_id=world.zone.pk) == date(2025, 6, 1)

    assert BranchRating.objects.filter(zone=world.zone, year=2024).count() == 3
    assert BranchBrand.objects.filter(zone=world.zone).count() == 3
    assert not PartyActivity.objects.filter(zone=world.other_zone).exists()


def test_build_is_deterministic(world):
    work_partylife.build(zone=world.zone, fakes=Fakes(7).stage("partylife"))
    first = list(
        PartyActivity.objects.order_by("org_id", "held_on", "kind").values_list("org_id", "held_on", "title")
    )
    assert first
    # A second world is not available in one test, so replay the draws the builder makes for one organisation.
    fakes = Fakes(7).stage("partylife")
    again = work_partylife._year(world.branch_x, [world.member_x.pk], fakes, lax=False)
    fakes2 = Fakes(7).stage("partylife")
    twice = work_partylife._year(world.branch_x, [world.member_x.pk], fakes2, lax=False)
    assert [(d.held_on, d.title, d.attendance) for d in again] == [
        (d.held_on, d.title, d.attendance) for d in twice
    ]
