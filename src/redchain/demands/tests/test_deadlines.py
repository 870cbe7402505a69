"""Deadlines in working time: the statutory calendar with 调休, zone overrides, policies, pauses, extensions.

The expected values are worked out by hand in each test. A working day counts as a whole calendar day in
Asia/Shanghai, so "5 working days" from Friday 10:00 is 5 × 24 hours of time that falls on working days.
"""

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.utils import timezone

from redchain.demands import services as s
from redchain.demands.calendar import WorkCalendar, statutory_workday
from redchain.demands.deadlines import DEFAULT_LIMITS, Limits, limits_for
from redchain.demands.models import Assignment, CalendarOverride, Category, DeadlinePolicy, Demand
from redchain.demands.tests.clock import at

pytestmark = pytest.mark.django_db


def dispatched(
    world, clock, when: str, *, category=None, disposition="immediate", **demand_fields
) -> Assignment:
    """A demand from firm X, accepted and dispatched to department A1 at ``when``."""
    clock.set(when)
    demand = s.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="厂房消防验收",
        body="新厂房等待消防验收，影响投产。",
        enterprise=world.firm_x,
        category=category,
        **demand_fields,
    )
    s.demand_accept(actor=world.alice, demand=demand)
    s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition=disposition)
    return Assignment.objects.get(demand=demand, status__in=["pending", "in_progress"])


def category(world, code: str) -> Category:
    return Category.objects.create(zone=world.zone, name=code, code=code)


# ---------------------------------------------------------------------------------------------- statutory calendar


def test_closure_deadline_crosses_national_day_and_counts_the_make_up_sunday(world, clock):
    order = dispatched(world, clock, "2025-09-26 10:00")  # Friday
    # Fri 26 10:00→24:00 = 14 h; Sat 27 off; Sun 28 is a 调休 working day (24 h, 38 h); Mon 29 (62 h);
    # Tue 30 (86 h); 1–8 October off; Thu 9 (110 h); Fri 10 needs the last 10 h → Friday 10 October 10:00.
    assert order.close_due == at("2025-10-10 10:00")
    # Interim reply, 3 working days = 72 h: 14 (Fri) + 24 (Sun 28) + 24 (Mon 29) + 10 → Tuesday 30 Sep 10:00.
    assert order.interim_due == at("2025-09-30 10:00")
    assert order.contact_due == at("2025-09-26 11:00")


def test_seven_day_policy_counts_the_make_up_saturday_after_national_day(world, clock):
    DeadlinePolicy.objects.create(zone=world.zone, close_days=7)
    order = dispatched(world, clock, "2025-09-26 10:00")
    # Five days end on Fri 10 Oct 10:00; then 14 h (Fri 10) + 24 h (Sat 11, a 调休 working day) = 38 h;
    # Sun 12 off; the last 10 h fall on Monday 13 October → 10:00.
    assert order.close_due == at("2025-10-13 10:00")


def test_contact_deadline_of_a_saturday_evening_demand_lands_on_the_next_working_day(world, clock):
    order = dispatched(world, clock, "2025-11-15 20:00")  # Saturday
    # Nobody answers on a Saturday night: the hour starts when the office opens on Monday.
    assert order.contact_due == at("2025-11-17 09:30")
    assert timezone.localtime(order.contact_due).date() == dt.date(2025, 11, 17)  # Monday
    assert statutory_workday(dt.date(2025, 11, 17))


def test_interim_reply_is_due_in_three_working_days_skipping_the_weekend(world, clock):
    order = dispatched(world, clock, "2025-11-06 09:00")  # Thursday
    # Thu 15 h + Fri 24 h + Mon 24 h + 9 h on Tuesday.
    assert order.interim_due == at("2025-11-11 09:00")


def test_emergency_closes_in_wall_clock_hours_even_on_a_weekend(world, clock):
    order = dispatched(world, clock, "2025-11-07 23:00", is_emergency=True)  # Friday night
    assert order.close_due == at("2025-11-08 01:00")  # Saturday, two hours later
    assert order.interim_due == order.close_due  # never after the closure deadline


def test_years_beyond_the_package_fall_back_to_monday_to_friday(caplog):
    statutory_workday.cache_clear()
    with caplog.at_level(logging.WARNING, logger="redchain.demands.calendar"):
        assert statutory_workday(dt.date(2030, 1, 4))  # Friday
        assert not statutory_workday(dt.date(2030, 1, 5))  # Saturday
    assert "2030" in caplog.text
    calendar = WorkCalendar()
    assert calendar.add_working_days(at("2030-01-04 10:00"), 1) == at("2030-01-07 10:00")
    assert calendar.add_working_days(at("2030-01-04 10:00"), 5) == at("2030-01-11 10:00")


# ---------------------------------------------------------------------------------------------- zone overrides


def test_a_local_holiday_moves_the_closure_deadline_by_a_day(world, clock):
    plain = dispatched(world, clock, "2025-11-03 09:00")
    assert plain.close_due == at("2025-11-10 09:00")  # Monday + 5 working days → next Monday
    CalendarOverride.objects.create(zone=world.zone, day=dt.date(2025, 11, 5), is_workday=False, note="区庆")
    s.recompute_deadlines(plain)
    assert plain.close_due == at("2025-11-11 09:00")


def test_a_zone_working_saturday_brings_the_deadline_forward(world, clock):
    CalendarOverride.objects.create(zone=world.zone, day=dt.date(2025, 11, 8), is_workday=True)
    order = dispatched(world, clock, "2025-11-03 09:00")
    assert order.close_due == at("2025-11-08 09:00")


def test_another_zones_override_does_not_apply(world, clock):
    CalendarOverride.objects.create(zone=world.other_zone, day=dt.date(2025, 11, 5), is_workday=False)
    order = dispatched(world, clock, "2025-11-03 09:00")
    assert order.close_due == at("2025-11-10 09:00")


# ---------------------------------------------------------------------------------------------- policies


def test_limits_for_prefers_category_and_disposition_then_category_then_disposition_then_zone(world):
    tax, land = category(world, "tax"), category(world, "land")
    zone_default = DeadlinePolicy.objects.create(zone=world.zone, close_days=10)
    DeadlinePolicy.objects.create(zone=world.zone, disposition="immediate", close_days=4)
    DeadlinePolicy.objects.create(zone=world.zone, category=tax, close_days=6)
    DeadlinePolicy.objects.create(
        zone=world.zone, category=tax, disposition="immediate", close_days=2, contact_hours=Decimal("0.5")
    )
    DeadlinePolicy.objects.create(zone=world.other_zone, category=None, disposition="guided", close_days=1)

    def close_days(cat, disposition):
        return limits_for(
            zone_id=world.zone.pk, category_id=cat and cat.pk, disposition=disposition
        ).close_days

    assert limits_for(zone_id=world.zone.pk, category_id=tax.pk, disposition="immediate") == Limits(
        Decimal("0.5"), 3, 2, Decimal(2)
    )
    assert close_days(tax, "guided") == 6  # category beats disposition-only and zone
    assert close_days(land, "immediate") == 4  # disposition beats zone
    assert close_days(land, "guided") == 10  # the zone's own default; zone B's "guided" is not ours
    assert close_days(None, "immediate") == 4
    zone_default.delete()
    assert limits_for(zone_id=world.zone.pk, category_id=land.pk, disposition="guided") == DEFAULT_LIMITS


def test_a_policy_for_the_category_and_disposition_sets_the_dispatched_deadlines(world, clock):
    tax = category(world, "tax")
    DeadlinePolicy.objects.create(
        zone=world.zone, category=tax, disposition="guided", contact_hours=2, interim_days=1, close_days=2
    )
    order = dispatched(world, clock, "2025-11-03 09:00", category=tax, disposition="guided")
    assert (order.contact_due, order.interim_due, order.close_due) == (
        at("2025-11-03 11:00"),
        at("2025-11-04 09:00"),
        at("2025-11-05 09:00"),
    )


def test_category_changed_at_re_dispatch_gives_new_deadlines(world, clock):
    tax, land = category(world, "tax"), category(world, "land")
    DeadlinePolicy.objects.create(zone=world.zone, category=tax, close_days=5)
    DeadlinePolicy.objects.create(zone=world.zone, category=land, close_days=2)
    first = dispatched(world, clock, "2025-11-03 09:00", category=tax)
    assert first.close_due == at("2025-11-10 09:00")
    clock.set("2025-11-04 10:00")
    s.assignment_return(actor=world.hannah, demand=first.demand, reason="属于自然资源部门职责")
    s.demand_dispatch(
        actor=world.alice,
        demand=first.demand,
        department=world.dept_a2,
        disposition="immediate",
        category=land,
    )
    second = Assignment.objects.get(demand=first.demand, status="pending")
    assert second.demand.category == land
    assert second.started_at == at("2025-11-04 10:00")
    assert second.close_due == at("2025-11-06 10:00")  # 2 working days under the land policy
    first.refresh_from_db()
    assert first.status == "returned"


# ---------------------------------------------------------------------------------------------- pause and extension


def test_pausing_moves_the_closure_deadline_by_exactly_the_paused_working_time(world, clock):
    order = dispatched(world, clock, "2025-11-03 09:00")  # Monday
    assert order.close_due == at("2025-11-10 09:00")
    clock.set("2025-11-04 10:00")  # Tuesday
    s.assignment_pause(actor=world.hannah, demand=order.demand, reason="等待企业补交消防图纸")
    clock.set("2025-11-06 10:00")  # Thursday: two working days later
    s.assignment_resume(actor=world.hannah, demand=order.demand)
    order.refresh_from_db()
    assert order.paused_seconds == 2 * 24 * 3600
    assert order.close_due == at("2025-11-12 09:00")  # Monday + 2 working days = Wednesday
    # Contact and interim deadlines do not move with the pause.
    assert order.interim_due == at("2025-11-06 09:00")


def test_a_pause_over_the_weekend_counts_only_working_time(world, clock):
    order = dispatched(world, clock, "2025-11-03 09:00")
    clock.set("2025-11-07 12:00")  # Friday noon
    s.assignment_pause(actor=world.hannah, demand=order.demand, reason="等待材料")
    clock.set("2025-11-10 12:00")  # Monday noon: 12 h on Friday + 12 h on Monday
    s.assignment_resume(actor=world.hannah, demand=order.demand)
    order.refresh_from_db()
    assert order.paused_seconds == 24 * 3600
    assert order.close_due == at("2025-11-11 09:00")


def test_an_approved_extension_sets_the_closure_deadline(world, clock):
    order = dispatched(world, clock, "2025-11-03 09:00")
    until = at("2025-11-20 18:00")
    s.assignment_request_extension(actor=world.hannah, demand=order.demand, until=until, reason="需省厅审批")
    order.refresh_from_db()
    assert order.close_due == at("2025-11-10 09:00")  # a request alone changes nothing
    s.extension_decide(actor=world.alice, demand=order.demand, approve=True)
    order.refresh_from_db()
    assert order.extended_until == until and order.close_due == until


def test_a_refused_extension_keeps_the_deadline(world, clock):
    order = dispatched(world, clock, "2025-11-03 09:00")
    s.assignment_request_extension(
        actor=world.hannah, demand=order.demand, until=at("2025-11-20 18:00"), reason="需省厅审批"
    )
    s.extension_decide(actor=world.alice, demand=order.demand, approve=False, note="请按期办结")
    order.refresh_from_db()
    assert order.close_due == at("2025-11-10 09:00") and order.extended_until is None


def test_a_redo_restarts_the_clock_from_the_rating(world, clock):
    order = dispatched(world, clock, "2025-11-03 09:00")
    s.demand_reply(actor=world.hannah, demand=order.demand, text="已答复")
    clock.set("2025-11-05 15:00")  # Wednesday
    s.demand_rate(actor=world.fiona, demand=order.demand, level="unsatisfied", comment="没有解决")
    order.refresh_from_db()
    assert order.demand.status == Demand.Status.HANDLING
    assert order.close_due == at("2025-11-12 15:00")
