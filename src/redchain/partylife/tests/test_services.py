"""Writes of party life: validation, audit rows, state rules and who may write what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from redchain.audit.models import AuditEntry
from redchain.core.errors import ActionRefused, Forbidden
from redchain.partylife import services
from redchain.partylife.models import ActivityKind, Attendance, BranchBrand, CadenceRule, PartyActivity
from redchain.partylife.tests import factories

pytestmark = pytest.mark.django_db
PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


def test_recording_an_activity_stores_its_roll_call_and_an_audit_row(world):
    activity = services.activity_record(
        actor=world.fiona,
        org=world.branch_x,
        kind=ActivityKind.THEME_DAY,
        title="6月主题党日",
        held_on=date(2025, 6, 12),
        attendance={world.member_x.pk: ABSENT},
    )

    assert activity.zone_id == world.zone.pk
    assert list(activity.attendance.values_list("member_id", "status")) == [(world.member_x.pk, ABSENT)]
    entry = AuditEntry.objects.get(action="party_activity.record", object_id=str(activity.pk))
    assert entry.actor == world.fiona
    assert entry.zone_id == world.zone.pk
    assert entry.changes["attendance"]["absent"] == 1


def test_an_activity_cannot_be_held_in_the_future(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        factories.activity(world.branch_x, held_on=tomorrow)
    assert "held_on" in error.value.message_dict
    assert not PartyActivity.objects.exists()


def test_only_members_of_the_organisation_can_be_on_its_roll_call(world):
    with pytest.raises(ValidationError):
        factories.activity(world.branch_x, attendance={world.member_y.pk: PRESENT})
    assert not PartyActivity.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="party_activity").exists()


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValidationError):
        factories.activity(world.branch_x, kind="picnic")


def test_update_replaces_the_roll_call_and_records_the_change(world):
    activity = factories.activity(world.branch_x, attendance={world.member_x.pk: PRESENT})

    services.activity_update(
        actor=world.alice,
        activity=activity,
        title="改期后的主题党日",
        attendance={world.member_x.pk: EXCUSED},
    )

    activity.refresh_from_db()
    assert activity.title == "改期后的主题党日"
    assert activity.attendance.get().status == EXCUSED
    entry = AuditEntry.objects.get(action="party_activity.update")
    assert entry.changes["title"] == ["6月主题党日", "改期后的主题党日"]


@pytest.mark.parametrize(
    ("persona", "org", "allowed"),
    [
        ("alice", "branch_x", True),
        ("hannah", "branch_a1", True),  # her department owns it
        ("hannah", "branch_x", False),
        ("harry", "branch_a1", False),  # another department
        ("ivan", "branch_x", False),  # instructors read only
        ("leo", "branch_x", False),  # leaders read only
        ("fiona", "branch_x", True),
        ("frank", "branch_x", False),
        ("zara", "branch_x", False),  # admin of the other zone
    ],
)
def test_who_may_record_activities(world, persona, org, allowed):
    record = lambda: services.activity_record(  # noqa: E731
        actor=world.persona(persona),
        org=getattr(world, org),
        kind="theme_day",
        title="t",
        held_on=date(2025, 6, 1),
    )
    if allowed:
        record()
        assert PartyActivity.objects.count() == 1
    else:
        with pytest.raises(Forbidden):
            record()
        assert not PartyActivity.objects.exists()


def test_a_reader_cannot_change_an_activity(world):
    activity = factories.activity(world.branch_x)
    with pytest.raises(Forbidden):
        services.activity_update(actor=world.frank, activity=activity, title="改")
    activity.refresh_from_db()
    assert activity.title == "6月主题党日"


def test_import_writes_many_activities_with_one_audit_row(world):
    drafts = [
        services.ActivityDraft(
            kind="theme_day",
            title=f"{m}月主题党日",
            held_on=date(2025, m, 10),
            attendance={world.member_x.pk: PRESENT},
        )
        for m in range(1, 7)
    ]
    assert services.activity_import(actor=None, org=world.branch_x, drafts=drafts) == 6
    assert Attendance.objects.filter(activity__org=world.branch_x).count() == 6
    assert AuditEntry.objects.filter(action="party_activity.import").count() == 1


def test_import_refuses_the_whole_batch_when_one_draft_is_bad(world):
    drafts = [
        services.ActivityDraft(kind="theme_day", title="好", held_on=date(2025, 5, 10)),
        services.ActivityDraft(
            kind="theme_day", title="坏", held_on=date(2025, 5, 10), attendance={world.member_y.pk: PRESENT}
        ),
    ]
    with pytest.raises(ValidationError):
        services.activity_import(actor=None, org=world.branch_x, drafts=drafts)
    assert not PartyActivity.objects.exists()


# --- cadence rules ----------------------------------------------------------------------------------


def test_defaults_create_each_rule_once(world):
    created = services.cadence_defaults_create(actor=world.alice, zone=world.zone)
    assert {rule.kind for rule in created} >= {"theme_day", "general_meeting", "lecture", "appraisal"}
    assert services.cadence_defaults_create(actor=world.alice, zone=world.zone) == []
    theme = CadenceRule.objects.get(zone=world.zone, kind="theme_day")
    assert theme.every_months == 1 and "branch" in theme.org_kinds


def test_only_zone_admins_change_cadence_rules(world):
    with pytest.raises(Forbidden):
        services.cadence_defaults_create(actor=world.hannah, zone=world.zone)
    with pytest.raises(Forbidden):
        services.cadence_defaults_create(actor=world.zara, zone=world.zone)
    assert not CadenceRule.objects.exists()


def test_a_rule_needs_valid_org_kinds_and_frequency(world):
    with pytest.raises(ValidationError):
        services.cadence_rule_save(
            actor=world.alice, zone=world.zone, kind="theme_day", every_months=1, org_kinds=[]
        )
    with pytest.raises(ValidationError):
        services.cadence_rule_save(
            actor=world.alice, zone=world.zone, kind="theme_day", every_months=5, org_kinds=["branch"]
        )
    assert not CadenceRule.objects.exists()


def test_editing_a_rule_is_audited(world):
    rule = factories.monthly_theme_day_rule(world.zone)
    services.cadence_rule_save(
        actor=world.alice, zone=world.zone, kind="theme_day", every_months=2, org_kinds=["branch"]
    )
    rule.refresh_from_db()
    assert rule.every_months == 2
    assert AuditEntry.objects.get(action="cadence_rule.update").changes["every_months"] == [1, 2]


# --- brands -----------------------------------------------------------------------------------------


def test_a_branch_has_at_most_one_active_brand(world):
    first = factories.brand(world.branch_x)
    with pytest.raises(ActionRefused):
        factories.brand(world.branch_x, name="第二个品牌")
    services.brand_retire(actor=world.fiona, brand=first)
    second = factories.brand(world.branch_x, name="第二个品牌")
    assert second.status == BranchBrand.Status.CULTIVATING


def test_only_zone_admins_name_a_brand_and_only_once(world):
    brand = factories.brand(world.branch_x)
    with pytest.raises(Forbidden):
        services.brand_name(actor=world.fiona, brand=brand, named_on=date(2024, 6, 1))
    services.brand_name(actor=world.alice, brand=brand, named_on=date(2024, 6, 1))
    brand.refresh_from_db()
    assert brand.status == BranchBrand.Status.NAMED and brand.named_on == date(2024, 6, 1)
    with pytest.raises(ActionRefused):
        services.brand_name(actor=world.alice, brand=brand, named_on=date(2024, 7, 1))


def test_a_brand_is_not_named_before_it_was_established(world):
    brand = factories.brand(world.branch_x, established_year=2023)
    with pytest.raises(ValidationError):
        services.brand_name(actor=world.alice, brand=brand, named_on=date(2022, 6, 1))
    brand.refresh_from_db()
    assert brand.status == BranchBrand.Status.CULTIVATING


def test_brands_are_for_branches(world):
    with pytest.raises(ValidationError):
        factories.brand(world.committee)


def test_an_enterprise_contact_cannot_brand_another_firms_branch(world):
    with pytest.raises(Forbidden):
        services.brand_create(actor=world.frank, org=world.branch_x, name="冒名", established_year=2022)
    assert not BranchBrand.objects.exists()


# --- ratings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"), [("95", 5), ("90", 5), ("89.9", 4), ("70", 3), ("61", 2), ("12", 1)]
)
def test_the_level_follows_the_score(world, score, level):
    assert factories.rating(world.branch_x, score=score).level == level


def test_one_rating_per_branch_per_year(world):
    factories.rating(world.branch_x)
    with pytest.raises(ValidationError):
        factories.rating(world.branch_x, score="70")


def test_only_zone_admins_rate(world):
    with pytest.raises(Forbidden):
        services.rating_create(
            actor=world.fiona, org=world.branch_x, year=2024, score=Decimal(99), rated_on=date(2025, 1, 5)
        )


def test_a_rating_is_dated_within_or_after_its_year(world):
    with pytest.raises(ValidationError):
        factories.rating(world.branch_x, year=2025, rated_on=date(2024, 12, 30))


def test_changing_the_score_changes_the_level_and_is_audited(world):
    rating = factories.rating(world.branch_x, score="92")
    services.rating_update(actor=world.alice, rating=rating, score=Decimal("75"))
    rating.refresh_from_db()
    assert rating.level == 3
    assert AuditEntry.objects.get(action="branch_rating.update").changes["level"] == [5, 3]
