"""The deadline sweep: due-soon and overdue warnings raised exactly once, also with two sweepers at once."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections

from redchain.audit.models import AuditEntry
from redchain.demands import services as s
from redchain.demands.management.commands import sweep as sweep_command
from redchain.demands.models import Assignment, DemandEvent, Notification, Supervision
from redchain.demands.sweep import run_sweep
from redchain.demands.tests.clock import at

pytestmark = pytest.mark.django_db
Level = Supervision.Level


@pytest.fixture
def frozen(clock):
    """``frozen("2025-11-03 09:00")`` sets the services' clock."""
    return clock.set


def dispatched(world, frozen, when="2025-11-03 09:00", **fields) -> Assignment:
    """Dispatched Monday 09:00 to A1: closure due Monday 10 November 09:00 (5 working days)."""
    frozen(when)
    demand = s.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="用地指标",
        body="扩建项目缺用地指标。",
        enterprise=world.firm_x,
        **fields,
    )
    s.demand_accept(actor=world.alice, demand=demand)
    s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")
    return Assignment.objects.get(demand=demand, status="pending")


def sweep_events(order: Assignment) -> list[str]:
    return list(
        DemandEvent.objects.filter(demand=order.demand, kind__in=["warned", "overdue", "supervised"])
        .order_by("id")
        .values_list("kind", flat=True)
    )


def sweep_orders(order: Assignment) -> list[tuple[str, int]]:
    return list(Supervision.objects.filter(assignment=order).values_list("source", "level"))


# ---------------------------------------------------------------------------------------------- due soon


def test_due_soon_counts_working_hours_not_wall_clock_hours(world, frozen):
    order = dispatched(world, frozen)
    # Thursday 10:00: 14 h Thu + 24 h Fri + 9 h Mon = 47 working hours left → not yet.
    assert run_sweep(now=at("2025-11-06 10:00")).warned == []
    # Friday 10:00: 14 h Fri + 9 h Mon = 23 working hours (71 wall-clock hours) → warned.
    result = run_sweep(now=at("2025-11-07 10:00"))
    assert result.warned == [order.pk]
    assert sweep_events(order) == ["warned"]
    assert sweep_orders(order) == [("due_soon", Level.YELLOW)]
    order.refresh_from_db()
    assert order.warned_at == at("2025-11-07 10:00") and order.overdue_at is None


def test_sweeping_twice_warns_once(world, frozen):
    order = dispatched(world, frozen)
    run_sweep(now=at("2025-11-07 10:00"))
    again = run_sweep(now=at("2025-11-07 10:05"))
    assert again.warned == [] and again.skipped == []
    assert sweep_events(order) == ["warned"]
    assert Supervision.objects.filter(assignment=order).count() == 1


def test_the_warning_writes_an_audit_row_and_tells_the_handlers(
    world, frozen, django_capture_on_commit_callbacks
):
    order = dispatched(world, frozen)
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(now=at("2025-11-07 10:00"))
    assert AuditEntry.objects.filter(action="demand.warned", object_id=str(order.demand_id)).count() == 1
    told = set(Notification.objects.filter(event__kind="warned").values_list("user__username", flat=True))
    assert told == {"hannah"}


# ---------------------------------------------------------------------------------------------- overdue


def test_overdue_is_raised_once_orange_and_tells_the_zone(world, frozen, django_capture_on_commit_callbacks):
    order = dispatched(world, frozen)
    run_sweep(now=at("2025-11-07 10:00"))
    with django_capture_on_commit_callbacks(execute=True):
        result = run_sweep(now=at("2025-11-10 09:30"))
    assert result.overdue == [order.pk] and result.warned == []
    assert run_sweep(now=at("2025-11-10 10:00")).overdue == []
    assert sweep_events(order) == ["warned", "overdue"]
    assert sorted(sweep_orders(order)) == [("due_soon", Level.YELLOW), ("overdue", Level.ORANGE)]
    told = set(Notification.objects.filter(event__kind="overdue").values_list("user__username", flat=True))
    assert told == {"hannah", "alice"}


def test_an_order_found_already_overdue_is_not_also_warned(world, frozen):
    order = dispatched(world, frozen)
    result = run_sweep(now=at("2025-11-10 12:00"))
    assert result.overdue == [order.pk] and result.warned == []
    assert sweep_events(order) == ["overdue"]


def test_overdue_by_more_than_the_full_period_is_raised_to_red_once(world, frozen):
    order = dispatched(world, frozen)
    run_sweep(now=at("2025-11-10 10:00"))
    # 5 working days after the deadline is Monday 17 November 09:00.
    assert run_sweep(now=at("2025-11-17 08:00")).red == []
    assert run_sweep(now=at("2025-11-17 10:00")).red == [order.pk]
    assert run_sweep(now=at("2025-11-18 10:00")).red == []
    assert sweep_orders(order) == [("overdue", Level.RED)]
    assert sweep_events(order) == ["overdue", "supervised"]


def test_an_order_first_seen_far_past_its_deadline_is_red_at_once(world, frozen):
    order = dispatched(world, frozen)
    run_sweep(now=at("2025-11-20 10:00"))
    assert sweep_orders(order) == [("overdue", Level.RED)]
    assert sweep_events(order) == ["overdue"]


def test_a_paused_order_is_neither_warned_nor_overdue(world, frozen):
    order = dispatched(world, frozen)
    frozen("2025-11-04 09:00")
    s.assignment_pause(actor=world.hannah, demand=order.demand, reason="等待企业补交材料")
    result = run_sweep(now=at("2025-11-20 10:00"))
    assert result.overdue == [] and result.warned == []
    assert sweep_events(order) == []


def test_replied_returned_and_cancelled_orders_are_left_alone(world, frozen):
    replied = dispatched(world, frozen)
    s.demand_reply(actor=world.hannah, demand=replied.demand, text="已答复")
    returned = dispatched(world, frozen)
    s.assignment_return(actor=world.hannah, demand=returned.demand, reason="不属于本部门职责")
    cancelled = dispatched(world, frozen)
    s.demand_merge(actor=world.alice, demand=cancelled.demand, into=replied.demand)
    result = run_sweep(now=at("2025-11-20 10:00"))
    assert (result.overdue, result.warned) == ([], [])
    assert not Supervision.objects.filter(source__in=["due_soon", "overdue"]).exists()


def test_a_redo_can_be_warned_again_and_reuses_its_supervision_order(world, frozen):
    order = dispatched(world, frozen)
    run_sweep(now=at("2025-11-10 10:00"))
    frozen("2025-11-10 11:00")
    s.demand_reply(actor=world.hannah, demand=order.demand, text="已答复")
    s.demand_rate(actor=world.fiona, demand=order.demand, level="unsatisfied")
    # The redo restarts the clock: closure due Monday 17 November 11:00.
    assert run_sweep(now=at("2025-11-17 12:00")).overdue == [order.pk]
    assert sweep_orders(order) == [("overdue", Level.ORANGE)]
    assert sweep_events(order) == ["overdue", "overdue"]


def test_the_sweep_covers_every_zone_with_its_own_calendar(world, frozen):
    from redchain.demands.models import CalendarOverride

    order = dispatched(world, frozen)
    CalendarOverride.objects.create(zone=world.zone, day=dt.date(2025, 11, 7), is_workday=False)
    # With Friday a local holiday, Thursday 10:00 leaves 14 h (Thu) + 9 h (Mon) = 23 working hours → warned.
    assert run_sweep(now=at("2025-11-06 10:00")).warned == [order.pk]


# ---------------------------------------------------------------------------------------------- two sweepers at once


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_the_same_moment_raise_each_warning_once(world, frozen):
    orders = [dispatched(world, frozen) for _ in range(3)]
    overdue = dispatched(world, frozen, when="2025-10-27 09:00")  # due Monday 3 November
    now = at("2025-11-07 10:00")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweeper():
        try:
            barrier.wait(timeout=10)
            results.append(_sweep_retrying(now))
        except Exception as exc:  # reported below, so a failure in a thread fails the test
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(pk for r in results for pk in r.warned) == sorted(o.pk for o in orders)
    assert [pk for r in results for pk in r.overdue] == [overdue.pk]
    for order in orders:
        assert sweep_events(order) == ["warned"]
        assert sweep_orders(order) == [("due_soon", Level.YELLOW)]
    assert sweep_events(overdue) == ["overdue"] and sweep_orders(overdue) == [("overdue", Level.ORANGE)]
    assert AuditEntry.objects.filter(action__in=["demand.warned", "demand.overdue"]).count() == 4
    connections.close_all()


def _sweep_retrying(now):
    """A sweeper that meets SQLite's lock on the shared in-memory test database tries again, as the loop would."""
    for _ in range(50):
        try:
            return run_sweep(now=now)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            connection.close()
            threading.Event().wait(0.05)
    raise AssertionError("the database stayed locked")


# ---------------------------------------------------------------------------------------------- command and tasks


def test_the_command_sweeps_once_and_says_what_it_did(world, frozen):
    dispatched(world, frozen)
    frozen("2025-11-07 10:00")
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "Sweep: 1 warned as due soon, 0 marked overdue" in out.getvalue()
    assert "Delivery:" in out.getvalue()


def test_the_loop_survives_a_database_error(monkeypatch):
    calls, sleeps = [], []

    def step(sweep: bool) -> None:
        calls.append(sweep)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    sweep_command.run_loop(seconds=120, step=step, passes=4, sleep=sleeps.append)
    # Ticks of 60 s: sweep on the first pass (which fails), then every second tick.
    assert calls == [True, False, True, False]
    assert sleeps == [60, 60, 60]


def test_the_beat_schedule_runs_the_sweep_the_delivery_and_the_nightly_retraining():
    from celery.schedules import crontab

    from redchain.config.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["redchain.demands.sweep"] == 300.0 and schedule["redchain.demands.deliver"] == 60.0
    assert schedule["redchain.routing.retrain"] == crontab(hour=2, minute=30)


def test_the_sweep_task_runs_eagerly(world, frozen):
    from redchain.config.celery import app
    from redchain.demands import tasks

    order = dispatched(world, frozen)
    frozen("2025-11-07 10:00")
    app.conf.task_always_eager = True
    try:
        assert tasks.sweep.delay().get() == {"warned": 1, "overdue": 0, "red": 0}
        assert tasks.deliver_outgoing.delay().get() == {"sent": 0, "failed": 0, "gave_up": 0}
    finally:
        app.conf.task_always_eager = False
    assert sweep_events(order) == ["warned"]
