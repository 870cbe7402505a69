"""The services: each write checks permission and state, validates, and leaves an audit row, or changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from redchain.audit.models import AuditEntry
from redchain.core.errors import ActionRefused, Forbidden
from redchain.mechanisms import services as s
from redchain.mechanisms.models import ActionItem, Attendance, Commitment, Meeting, today
from redchain.mechanisms.services import Presence
from redchain.mechanisms.tests import factories as fx

pytestmark = pytest.mark.django_db


def audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_schedule_year_plans_six_bimonthly_meetings_in_the_second_month_of_each_slot(world):
    meetings = s.meetings_schedule_year(actor=world.ivan, alliance=world.alliance1, year=2030)

    assert [m.planned_on for m in meetings] == [dt.date(2030, month, 15) for month in (2, 4, 6, 8, 10, 12)]
    assert [m.slot for m in meetings] == [1, 2, 3, 4, 5, 6]
    assert all(m.status == "planned" and m.zone_id == world.zone.pk for m in meetings)
    assert audits("meeting.plan") == 6


def test_schedule_year_fills_only_free_slots_and_refuses_a_full_year(world):
    fx.planned(world.alliance1, on=dt.date(2030, 3, 3))

    added = s.meetings_schedule_year(actor=world.alice, alliance=world.alliance1, year=2030)

    assert sorted(m.slot for m in added) == [1, 3, 4, 5, 6]
    with pytest.raises(ActionRefused):
        s.meetings_schedule_year(actor=world.alice, alliance=world.alliance1, year=2030)


def test_second_bimonthly_meeting_in_a_slot_is_refused(world):
    fx.planned(world.alliance1, on=dt.date(2030, 1, 10))
    with pytest.raises(ValidationError) as error:
        fx.planned(world.alliance1, on=dt.date(2030, 2, 20))
    assert "planned_on" in error.value.message_dict


def test_readers_cannot_plan_meetings(world):
    for persona in (world.hannah, world.fiona, world.harry, world.zara):
        with pytest.raises(Forbidden):
            s.meeting_plan(actor=persona, alliance=world.alliance1, kind="bimonthly", planned_on=fx.PAST)
    assert not Meeting.objects.exists()


def test_instructor_cannot_keep_another_alliances_records(world):
    with pytest.raises(Forbidden):
        s.meetings_schedule_year(actor=world.ivan, alliance=world.alliance2, year=2030)


def test_record_held_stores_attendance_and_audit(world):
    meeting = fx.planned(world.alliance1)
    x, dept = (
        fx.unit(world.alliance1, enterprise=world.firm_x),
        fx.unit(world.alliance1, department=world.dept_a1),
    )

    s.meeting_record_held(
        actor=world.ivan,
        meeting=meeting,
        held_on=fx.PAST,
        minutes="研究联盟年度重点工作",
        attendance=[Presence(x, True, "张总"), Presence(dept, False, "不应保存")],
    )

    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on) == ("held", fx.PAST)
    rows = {a.member_id: (a.present, a.representative) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {x.pk: (True, "张总"), dept.pk: (False, "")}
    entry = AuditEntry.objects.get(action="meeting.held")
    assert entry.zone_id == world.zone.pk and entry.changes["present"] == [None, 1]


def test_record_held_refuses_future_day_empty_minutes_nobody_present_and_foreign_units(world):
    meeting = fx.planned(world.alliance1)
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    z = fx.unit(world.alliance2, enterprise=world.firm_z)
    cases = [
        {"held_on": today() + dt.timedelta(days=1), "minutes": "纪要", "attendance": [Presence(x, True)]},
        {"held_on": fx.PAST, "minutes": "  ", "attendance": [Presence(x, True)]},
        {"held_on": fx.PAST, "minutes": "纪要", "attendance": [Presence(x, False)]},
        {"held_on": fx.PAST, "minutes": "纪要", "attendance": [Presence(z, True)]},
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            s.meeting_record_held(actor=world.ivan, meeting=meeting, **case)
    meeting.refresh_from_db()
    assert meeting.status == "planned" and not Attendance.objects.exists() and audits("meeting.held") == 0


def test_held_meeting_cannot_be_held_again_or_missed(world):
    meeting = fx.held(world.alliance1)
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    with pytest.raises(ActionRefused):
        s.meeting_record_held(
            actor=world.alice,
            meeting=meeting,
            held_on=fx.PAST,
            minutes="再次",
            attendance=[Presence(x, True)],
        )
    with pytest.raises(ActionRefused):
        s.meeting_mark_missed(actor=world.alice, meeting=meeting, reason="重复")


def test_only_an_overdue_meeting_can_be_marked_missed_and_it_needs_a_reason(world):
    future = fx.planned(world.alliance1, on=today() + dt.timedelta(days=20))
    with pytest.raises(ActionRefused):
        s.meeting_mark_missed(actor=world.ivan, meeting=future, reason="时间冲突")
    overdue = fx.planned(world.alliance1)
    assert overdue.is_overdue
    with pytest.raises(ValidationError):
        s.meeting_mark_missed(actor=world.ivan, meeting=overdue, reason=" ")

    s.meeting_mark_missed(actor=world.ivan, meeting=overdue, reason="防汛任务冲突，未能召开")

    overdue.refresh_from_db()
    assert overdue.status == "missed" and not overdue.is_overdue and audits("meeting.missed") == 1


def test_action_items_need_a_held_meeting_a_member_owner_and_a_later_due_date(world):
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    with pytest.raises(ActionRefused):
        s.action_item_add(
            actor=world.ivan,
            meeting=fx.planned(world.alliance1, on=dt.date(fx.LAST_YEAR, 6, 1)),
            decision="d",
            owner=x,
            due_on=fx.PAST,
        )
    meeting = fx.held(world.alliance1)
    with pytest.raises(ValidationError):
        s.action_item_add(actor=world.ivan, meeting=meeting, decision="d", owner=x, due_on=fx.PAST)
    with pytest.raises(ValidationError):
        s.action_item_add(
            actor=world.ivan,
            meeting=meeting,
            decision="d",
            owner=fx.unit(world.alliance2, enterprise=world.firm_z),
            due_on=fx.PAST + dt.timedelta(days=5),
        )
    assert not ActionItem.objects.exists()


def test_open_item_past_due_is_overdue_until_done(world):
    item = fx.item(fx.held(world.alliance1), fx.unit(world.alliance1, enterprise=world.firm_x))
    assert item.is_overdue

    s.action_item_complete(
        actor=world.ivan, item=item, done_on=fx.PAST + dt.timedelta(days=3), result="已完成对接"
    )

    item.refresh_from_db()
    assert (item.status, item.is_overdue) == ("done", False)
    with pytest.raises(ActionRefused):
        s.action_item_complete(actor=world.ivan, item=item, done_on=fx.PAST, result="again")


def test_enterprise_contact_completes_only_own_enterprises_items(world):
    meeting = fx.held(world.alliance1)
    own = fx.item(meeting, fx.unit(world.alliance1, enterprise=world.firm_x))
    department_item = fx.item(meeting, fx.unit(world.alliance1, department=world.dept_a1))

    s.action_item_complete(
        actor=world.fiona, item=own, done_on=fx.PAST + dt.timedelta(days=1), result="已落实"
    )
    with pytest.raises(Forbidden):
        s.action_item_complete(actor=world.fiona, item=department_item, done_on=fx.PAST, result="x")
    with pytest.raises(Forbidden):
        s.action_item_complete(actor=world.hannah, item=department_item, done_on=fx.PAST, result="x")
    department_item.refresh_from_db()
    assert department_item.status == "open"


def test_done_on_cannot_precede_the_meeting_or_lie_in_the_future(world):
    item = fx.item(fx.held(world.alliance1), fx.unit(world.alliance1, enterprise=world.firm_x))
    for day in (fx.PAST - dt.timedelta(days=1), today() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            s.action_item_complete(actor=world.alice, item=item, done_on=day, result="x")


def test_pact_term_must_end_after_signing_and_signing_not_in_future(world):
    with pytest.raises(ValidationError):
        s.pact_create(
            actor=world.ivan,
            alliance=world.alliance1,
            title="公约",
            signed_on=fx.PAST,
            valid_until=fx.PAST,
            text="t",
        )
    with pytest.raises(ValidationError):
        s.pact_create(
            actor=world.ivan,
            alliance=world.alliance1,
            title="公约",
            signed_on=today() + dt.timedelta(days=2),
            valid_until=today() + dt.timedelta(days=400),
            text="t",
        )


def test_enterprise_contact_records_own_commitment_fulfilment_once(world):
    pact = fx.pact(world.alliance1)
    own = fx.commitment(pact, fx.unit(world.alliance1, party_org=world.branch_x))
    other = fx.commitment(pact, fx.unit(world.alliance1, department=world.dept_a1))

    s.commitment_fulfil(
        actor=world.fiona, commitment=own, fulfilled=True, assessed_on=fx.PAST, evidence="活动照片及签到表"
    )

    own.refresh_from_db()
    assert (own.status, own.assessed_on) == ("fulfilled", fx.PAST)
    with pytest.raises(ActionRefused):
        s.commitment_fulfil(
            actor=world.fiona, commitment=own, fulfilled=False, assessed_on=fx.PAST, evidence="x"
        )
    for persona in (world.fiona, world.frank, world.hannah):
        with pytest.raises(Forbidden):
            s.commitment_fulfil(
                actor=persona, commitment=other, fulfilled=True, assessed_on=fx.PAST, evidence="x"
            )
    assert Commitment.objects.get(pk=other.pk).status == "pending"
    assert audits("commitment.assess") == 1


def test_commitment_due_date_after_signing_and_unit_of_the_alliance(world):
    pact = fx.pact(world.alliance1)
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    with pytest.raises(ValidationError):
        s.commitment_add(actor=world.ivan, pact=pact, member=x, content="c", due_on=fx.PAST)
    with pytest.raises(ValidationError):
        s.commitment_add(
            actor=world.ivan,
            pact=pact,
            member=fx.unit(world.alliance2, enterprise=world.firm_z),
            content="c",
            due_on=fx.PAST + dt.timedelta(days=9),
        )


def test_activity_validates_date_participants_and_place(world):
    other_place = fx.place(world.zone, alliance=world.alliance2, name="别的联盟阵地")
    base = {"alliance": world.alliance1, "action": "exchange", "title": "观摩", "summary": "s"}
    with pytest.raises(ValidationError):
        s.activity_record(
            actor=world.ivan, held_on=today() + dt.timedelta(days=1), participant_count=3, **base
        )
    with pytest.raises(ValidationError):
        s.activity_record(actor=world.ivan, held_on=fx.PAST, participant_count=0, **base)
    with pytest.raises(ValidationError):
        s.activity_record(actor=world.ivan, held_on=fx.PAST, participant_count=3, place=other_place, **base)
    activity = s.activity_record(actor=world.ivan, held_on=fx.PAST, participant_count=3, **base)
    assert activity.zone_id == world.zone.pk and audits("activity.record") == 1


def test_zone_wide_places_are_for_zone_admins_alliance_places_for_instructors_too(world):
    fx.place(world.zone, name="开发区党群服务中心")
    s.place_create(
        actor=world.ivan,
        zone=world.zone,
        alliance=world.alliance1,
        name="联盟示范点",
        kind="demonstration_site",
    )
    with pytest.raises(Forbidden):
        s.place_create(actor=world.ivan, zone=world.zone, name="全区阵地", kind="activity_venue")
    with pytest.raises(Forbidden):
        s.place_create(actor=world.zara, zone=world.zone, name="越界阵地", kind="activity_venue")
    with pytest.raises(ValidationError):
        s.place_create(actor=world.alice, zone=world.zone, name="开发区党群服务中心", kind="activity_venue")
