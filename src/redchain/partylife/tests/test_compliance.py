"""The missed-cadence list: rolling windows, one grouped query, scope, and the default month."""

from datetime import date

import pytest

from redchain.partylife import compliance, selectors, services
from redchain.partylife.tests import factories

pytestmark = pytest.mark.django_db
JUNE = date(2025, 6, 1)


def test_windows_end_with_the_month_under_review():
    assert compliance.window(JUNE, 1) == (date(2025, 6, 1), date(2025, 6, 30))
    assert compliance.window(JUNE, 3) == (date(2025, 4, 1), date(2025, 6, 30))
    assert compliance.window(date(2025, 2, 1), 12) == (date(2024, 3, 1), date(2025, 2, 28))


@pytest.mark.parametrize(
    ("text", "month"), [("2025-06", JUNE), ("2025-13", None), ("june", None), ("", None)]
)
def test_parse_month(text, month):
    assert compliance.parse_month(text) == month


def test_a_branch_that_missed_its_monthly_theme_day_is_listed_with_its_last_one(world):
    factories.monthly_theme_day_rule(world.zone)
    factories.activity(world.branch_x, held_on=date(2025, 6, 20))
    factories.activity(world.branch_y, held_on=date(2025, 4, 9))

    report = selectors.compliance_report(user=world.alice, zone_id=world.zone.pk, month=JUNE)

    missed = {(miss.org.name, miss.rule.kind): miss for miss in report.misses}
    assert set(missed) == {("云帆电池党支部", "theme_day"), ("企业服务局党支部", "theme_day")}
    assert missed[("云帆电池党支部", "theme_day")].last_held_on == date(2025, 4, 9)
    assert missed[("企业服务局党支部", "theme_day")].last_held_on is None
    assert report.checked["theme_day"] == 3 and report.missed["theme_day"] == 2


def test_activities_after_the_month_do_not_count(world):
    factories.monthly_theme_day_rule(world.zone)
    factories.activity(world.branch_x, held_on=date(2025, 7, 2))
    report = selectors.compliance_report(user=world.alice, zone_id=world.zone.pk, month=JUNE)
    assert "星辰汽车党支部" in {miss.org.name for miss in report.misses}


def test_a_quarterly_rule_accepts_any_month_of_the_window(world):
    services.cadence_rule_save(
        actor=None, zone=world.zone, kind="general_meeting", every_months=3, org_kinds=["branch"]
    )
    factories.activity(world.branch_x, kind="general_meeting", held_on=date(2025, 4, 3))
    factories.activity(world.branch_y, kind="general_meeting", held_on=date(2025, 3, 28))
    report = selectors.compliance_report(user=world.alice, zone_id=world.zone.pk, month=JUNE)
    assert {miss.org.name for miss in report.misses} == {"云帆电池党支部", "企业服务局党支部"}


def test_rules_apply_only_to_their_kinds_of_organisation(world):
    services.cadence_rule_save(
        actor=None, zone=world.zone, kind="group_meeting", every_months=1, org_kinds=["group"]
    )
    report = selectors.compliance_report(user=world.alice, zone_id=world.zone.pk, month=JUNE)
    assert report.misses == [] and report.checked_total == 0


def test_the_list_follows_the_users_scope(world):
    factories.monthly_theme_day_rule(world.zone)
    fiona = selectors.compliance_report(user=world.fiona, zone_id=world.zone.pk, month=JUNE)
    assert {miss.org.name for miss in fiona.misses} == {"星辰汽车党支部"}
    zara = selectors.compliance_report(user=world.zara, zone_id=world.zone.pk, month=JUNE)
    assert zara.misses == [] and zara.checked_total == 0


def test_the_review_costs_the_same_queries_for_any_number_of_orgs(world, django_assert_max_num_queries):
    factories.monthly_theme_day_rule(world.zone)
    for org in (world.branch_x, world.branch_y, world.branch_a1):
        factories.activity(org, held_on=date(2025, 5, 5))
    with django_assert_max_num_queries(4):
        report = selectors.compliance_report(user=world.alice, zone_id=world.zone.pk, month=JUNE)
    assert len(report.misses) == 3


def test_the_default_month_is_the_latest_complete_month_with_activity(world):
    factories.activity(world.branch_x, held_on=date(2025, 6, 20))
    factories.activity(world.branch_y, held_on=date(2025, 3, 2))
    assert selectors.default_month(user=world.alice, zone_id=world.zone.pk) == JUNE
    # Frank sees only his branch, whose latest activity was in March.
    assert selectors.default_month(user=world.frank, zone_id=world.zone.pk) == date(2025, 3, 1)
