"""The bulk loader (``redchain demo --scale N``): its rows are the rows the services would have written.

Runs on SQLite and on PostgreSQL (the suite runs on both); the COPY path, the deferred indexes and the
reserved id ranges are PostgreSQL's, the rest is shared.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from redchain.accounts.models import Membership, Role
from redchain.audit.models import AuditEntry
from redchain.demands import deadlines, rollups, search, selectors, stats, stats_raw
from redchain.demands import services as s
from redchain.demands.calendar import WorkCalendar
from redchain.demands.deadlines import Limits
from redchain.demands.models import (
    TRACKING_ALPHABET,
    Assignment,
    CalendarOverride,
    Demand,
    DemandEvent,
    DemandSearch,
    Rating,
    Supervision,
)
from redchain.demo import scale
from redchain.demo.scale import writer
from redchain.demo.scale.clock import DeadlineClock
from redchain.demo.scale.stories import COLUMNS
from redchain.orgs.models import Department, Zone

SHANGHAI = ZoneInfo("Asia/Shanghai")
ANCHOR = dt.datetime(2025, 12, 3, 18, 0, tzinfo=SHANGHAI)
PERIODS = ("2024-12", "2025-06", "2025-11", "2025-12")


@pytest.fixture
def loaded(world):
    # Three batches, so the id ranges of consecutive batches meet.
    return scale.load_scale(zone=world.zone, n=360, seed=3, anchor=ANCHOR, batch=150)


def test_the_column_lists_are_the_tables_columns():
    for name, columns in COLUMNS.items():
        model = writer.MODELS[name]
        assert set(columns) == {f.column for f in model._meta.concrete_fields}, name


def test_the_deadline_shortcut_equals_the_exact_computation():
    calendar = WorkCalendar({dt.date(2025, 11, 7): False, dt.date(2025, 11, 8): True})
    clock = DeadlineClock(calendar)
    rng = random.Random(11)
    limits = [Limits(), Limits(Decimal("0.5"), 2, 3, Decimal(4)), Limits(Decimal(6), 5, 10, Decimal(1))]
    for _ in range(3000):
        start = dt.datetime(2025, 10, 20, tzinfo=SHANGHAI) + dt.timedelta(minutes=rng.randrange(60 * 24 * 40))
        chosen, emergency = rng.choice(limits), rng.random() < 0.2
        exact = deadlines.compute(started_at=start, limits=chosen, calendar=calendar, emergency=emergency)
        assert clock.due(start, chosen, emergency) == exact, (start, chosen, emergency)
    assert clock.exact_calls < 3000  # the shortcut was taken


def test_the_loader_writes_every_table_as_the_services_do(world, loaded):
    demands = Demand.objects.filter(zone=world.zone)
    assert demands.count() == loaded.demand == 360
    assert Assignment.objects.filter(demand__zone=world.zone).count() == loaded.assignment
    assert DemandEvent.objects.filter(demand__zone=world.zone).count() == loaded.event
    assert Rating.objects.filter(demand__zone=world.zone).count() == loaded.rating
    assert Supervision.objects.filter(demand__zone=world.zone).count() == loaded.supervision
    audit = AuditEntry.objects.filter(zone=world.zone, object_type="demands.demand")
    assert audit.count() == loaded.audit == loaded.event  # one audit row per step
    assert DemandSearch.objects.filter(demand__zone=world.zone).count() == loaded.search == 360
    for row in DemandSearch.objects.filter(demand__zone=world.zone).select_related("demand")[:50]:
        assert row.terms == search.terms_of(row.demand.title, row.demand.body)
    statuses = set(demands.values_list("status", flat=True))
    assert {"closed", "rejected"} <= statuses and statuses & {"submitted", "accepted", "handling", "replied"}
    for demand in demands.prefetch_related("events", "assignments", "ratings"):
        kinds = [e.kind for e in demand.events.all()]
        # Each step once, but for one contact per work order and a second reply after a redo.
        assert kinds[0] == "submitted" and {k for k in kinds if kinds.count(k) > 1} <= {
            "contacted",
            "replied",
        }
        assert [e.to_status for e in demand.events.all() if e.kind != "supervised"][-1] == demand.status
        if demand.status == "closed":
            assert demand.closed_at and demand.is_solved is not None
            lead = demand.lead_assignment
            assert lead.status == "replied" and lead.replied_at and lead.contacted_at
        if demand.status in ("handling", "replied", "closed"):
            assert demand.dispatched_at and demand.assignments.exists()


def test_every_loaded_deadline_is_what_the_services_compute(world, loaded):
    calendar = WorkCalendar.for_zone(world.zone.pk)
    for order in Assignment.objects.filter(demand__zone=world.zone).select_related("demand"):
        limits = deadlines.limits_for(
            zone_id=world.zone.pk, category_id=order.demand.category_id, disposition=order.demand.disposition
        )
        due = deadlines.compute(
            started_at=order.started_at, limits=limits, calendar=calendar, emergency=order.demand.is_emergency
        )
        assert (order.contact_due, order.interim_due, order.close_due) == (
            due.contact_due,
            due.interim_due,
            due.close_due,
        )


def test_the_rollup_cells_equal_the_raw_tables_and_the_dashboards_their_reference(world, loaded):
    assert rollups.differences(zone_id=world.zone.pk) == []
    for user in (world.alice, world.hannah):
        for period in PERIODS:
            for group_by in stats.GROUPS:
                kept = stats.rates(user=user, zone_id=world.zone.pk, period=period, group_by=group_by)
                raw = stats_raw.rates(user=user, zone_id=world.zone.pk, period=period, group_by=group_by)
                assert [r.as_dict() for r in kept] == [r.as_dict() for r in raw], (user, period, group_by)
    _labels, rows = stats.trend(user=world.alice, zone_id=world.zone.pk, period="2025-11", group_by="zone")
    assert sum(month.closed for month in rows[0].extra["months"]) > 100


def test_loaded_demands_go_on_through_the_services(world, loaded, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: ANCHOR + dt.timedelta(hours=1))
    waiting = Demand.objects.filter(zone=world.zone, status="replied").first()
    s.demand_rate(actor=world.alice, demand=waiting, level="satisfied")
    handling = Demand.objects.filter(zone=world.zone, status="handling", assignments__status="in_progress")
    demand = handling.first()
    lead = demand.lead_assignment
    handler = world.hannah if lead.department_id == world.dept_a1.pk else world.harry
    s.demand_reply(actor=handler, demand=demand, text="已办结。")
    assert rollups.differences(zone_id=world.zone.pk) == []
    # New rows take ids after the loaded ones: the counters were given back, not left behind.
    fresh = s.demand_submit(actor=world.alice, zone=world.zone, title="新诉求", body="加载之后提交。")
    assert fresh.pk > Demand.objects.exclude(pk=fresh.pk).order_by("-pk").first().pk


def test_tracking_codes_are_random_distinct_and_readable(world, loaded):
    codes = list(Demand.objects.filter(zone=world.zone).values_list("tracking_code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 12 and set(code) <= set(TRACKING_ALPHABET) for code in codes)
    assert len({code[:3] for code in codes}) > len(codes) // 2  # not a counter in disguise


def test_no_row_points_at_a_missing_row(world, loaded):
    assert not DemandEvent.objects.filter(demand__zone=world.zone, demand__isnull=True).exists()
    event_ids = set(
        DemandEvent.objects.filter(demand__zone=world.zone).values_list("assignment_id", flat=True)
    )
    orders = set(Assignment.objects.filter(demand__zone=world.zone).values_list("id", flat=True))
    assert event_ids - {None} <= orders
    demand_ids = {str(pk) for pk in Demand.objects.filter(zone=world.zone).values_list("id", flat=True)}
    audited = set(
        AuditEntry.objects.filter(zone=world.zone, object_type="demands.demand").values_list(
            "object_id", flat=True
        )
    )
    assert audited == demand_ids
    actors = set(DemandEvent.objects.filter(demand__zone=world.zone).values_list("actor_id", flat=True))
    members = set(Membership.objects.filter(zone=world.zone).values_list("user_id", flat=True))
    assert actors - {None} <= members


def test_a_second_load_adds_to_the_first(world, loaded):
    before = Demand.objects.filter(zone=world.zone).count()
    more = scale.load_scale(zone=world.zone, n=40, seed=4, anchor=ANCHOR)
    assert Demand.objects.filter(zone=world.zone).count() == before + more.demand
    assert rollups.differences(zone_id=world.zone.pk) == []


def test_the_same_seed_draws_the_same_stories():
    job = _job()
    first, second = job.draw(1, 30), job.draw(1, 30)
    code = COLUMNS["demand"].index("tracking_code")
    strip = [row[:code] + row[code + 1 :] for row in first.rows["demand"]]
    assert strip == [row[:code] + row[code + 1 :] for row in second.rows["demand"]]
    assert first.rows["event"] == second.rows["event"]
    assert first.cells == second.cells


def _job():
    from redchain.demo.scale.stories import Cast, Firm, Leaf

    cast = Cast(
        zone_id=1,
        firms=[Firm(1, "甲公司", 1, (1,), 5, "张三", 3), Firm(2, "乙公司", None, (), None, "", 1)],
        leaves=[
            Leaf(
                10, None, "tax-policy", (("标题{n}", "{firm}内容{road}{month}", (1, 9)),), 7, "企业服务局", 1
            )
        ],
        department_names={7: "企业服务局", 8: "市场监督管理局"},
        admin_id=2,
        handlers={7: 3},
        limits={(10, d): Limits() for d in ("immediate", "coordinated", "guided", "reported", "supervised")},
        roads=("长江路",),
        channel_labels={
            c: c for c in ("portal", "hotline", "visit", "leader_line", "alliance", "12345", "api")
        },
        disposition_labels={d: d for d in ("immediate", "coordinated", "guided", "reported", "supervised")},
        supervision_label="监督办",
    )
    return scale._Job(
        cast=cast,
        calendar=WorkCalendar({}),
        start=ANCHOR - dt.timedelta(days=730),
        end=ANCHOR,
        seed=5,
        batch=30,
        bases={name: 1 for name in writer.SEQUENCED},
    )


def test_a_zone_without_departments_is_refused_before_anything_is_written(world):
    empty = Zone.objects.create(name="空园区", code="empty")
    with pytest.raises(scale.ZoneNotReady, match="departments and enterprises"):
        scale.load_scale(zone=empty, n=10, anchor=ANCHOR)
    assert not Demand.objects.filter(zone=empty).exists()


def test_a_holiday_moves_the_loaded_deadlines(world):
    CalendarOverride.objects.create(zone=world.zone, day=dt.date(2025, 11, 7), is_workday=False)
    scale.load_scale(zone=world.zone, n=120, seed=8, anchor=ANCHOR)
    calendar = WorkCalendar.for_zone(world.zone.pk)
    orders = Assignment.objects.filter(
        demand__zone=world.zone, started_at__date__range=("2025-11-03", "2025-11-06")
    )
    assert orders.exists()
    for order in orders.select_related("demand"):
        limits = deadlines.limits_for(
            zone_id=world.zone.pk, category_id=order.demand.category_id, disposition=order.demand.disposition
        )
        due = deadlines.compute(
            started_at=order.started_at, limits=limits, calendar=calendar, emergency=order.demand.is_emergency
        )
        assert order.close_due == due.close_due


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are deferred on PostgreSQL only")
def test_deferred_indexes_come_back(world, monkeypatch):
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                # Names and columns: PostgreSQL may print a rebuilt partial index's condition differently.
                "SELECT indexname, regexp_replace(indexdef, ' WHERE .*', '') FROM pg_indexes "
                "WHERE tablename = ANY(%s) ORDER BY indexname",
                [[writer.table(name) for name in writer.ORDER]],
            )
            return cursor.fetchall()

    before = indexes()
    with connection.cursor() as cursor:
        # The test's own transaction holds deferred foreign-key checks, which CREATE INDEX refuses to wait on;
        # a real load runs outside any transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    monkeypatch.setattr(scale, "DEFER_INDEXES_FROM", 1)
    scale.load_scale(zone=world.zone, n=50, anchor=ANCHOR)
    assert indexes() == before


def test_the_demo_command_tops_the_zone_up_to_the_scale(world, monkeypatch, capsys):
    monkeypatch.setattr(
        "redchain.demo.management.commands.demo.load_demo",
        lambda **kw: _summary(world.zone),
    )
    monkeypatch.setattr(scale, "default_anchor", lambda: ANCHOR)
    call_command("demo", "--no-serve", "--scale", "30")
    assert Demand.objects.filter(zone=world.zone).count() == 30
    call_command("demo", "--no-serve", "--scale", "30")
    assert Demand.objects.filter(zone=world.zone).count() == 30
    assert "30 demands already" in capsys.readouterr().out


def _summary(zone):
    from redchain.demo.generator import Summary

    return Summary(
        created=False,
        zone_name=zone.name,
        zone_code=zone.code,
        enterprises=3,
        above_scale=1,
        chains=2,
        alliances=2,
        alliance_members=4,
        departments=Department.objects.filter(zone=zone).count(),
        party_orgs=0,
        party_members=0,
        users=0,
        seconds=0.0,
    )


def test_the_handlers_of_the_zone_act_in_the_stories(world, loaded):
    handler_ids = set(
        Membership.objects.filter(zone=world.zone, role=Role.HANDLER).values_list("user_id", flat=True)
    )
    replied_by = set(
        DemandEvent.objects.filter(demand__zone=world.zone, kind="replied").values_list("actor_id", flat=True)
    )
    assert replied_by and replied_by <= handler_ids | {None}


def test_loaded_demands_are_found_by_search(world, loaded):
    demand = Demand.objects.filter(zone=world.zone).order_by("pk")[7]
    word = next(run for run in search.RUNS.findall(demand.title) if len(run) >= 4 and not run.isascii())
    found = selectors.demand_list(user=world.alice, zone_id=world.zone.pk, q=word[:4])
    assert demand in found
    assert all(word[:4] in d.title + d.body for d in found)
