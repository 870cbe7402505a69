"""三率 computed straight from the raw tables: the reference the dashboards' rollup cells must equal.

The pages and the API read :mod:`redchain.demands.stats`, which sums rollup cells. This module computes the same
rows with grouped queries over demands, work orders and ratings — what the definitions in ``stats`` say,
with no shortcut — so tests can check the cells against it and ``bench/dashboard.py`` can time the naive path.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from redchain.demands.models import Assignment, Demand, Rating
from redchain.demands.rollups import dimension_expression, latest_lead
from redchain.demands.stats import (
    GROUPS,
    SATISFIED_LEVELS,
    SHANGHAI,
    RateRow,
    StatsError,
    add_months,
    empty_rows,
    may_view,
    parse_period,
    rate_weights,
    restricted_departments,
    row_for,
)


def rates(*, user, zone_id: int, period: str, group_by: str) -> list[RateRow]:
    """The same rows as :func:`redchain.demands.stats.rates`, from the raw tables."""
    if group_by not in GROUPS:
        raise StatsError(f"unknown grouping {group_by}")
    start, end = parse_period(period)
    if group_by == "month":
        start = add_months(start, -11)
    if not may_view(user, zone_id):
        return []
    departments = restricted_departments(user, zone_id)
    visible = Demand.objects.visible_to(user).filter(zone_id=zone_id).values("pk")
    rows = empty_rows(group_by=group_by, zone_id=zone_id, start=start, departments=departments)
    _count_responses(rows, group_by, visible, departments, start, end)
    _count_closures(rows, group_by, visible, departments, start, end)
    _count_ratings(rows, group_by, visible, departments, start, end)
    weights = rate_weights()
    return [row.finish(weights) for row in rows.values()]


def _key(group_by: str, *, demand: str, month_of: str, lead_department=None):
    """The grouping expression, for a query whose demand is reached through ``demand`` ("" or "demand__")."""
    if group_by == "zone":
        return None
    if group_by == "department":
        return lead_department
    if group_by == "month":
        return TruncMonth(month_of, tzinfo=SHANGHAI)
    return dimension_expression(group_by, demand)


def _count_responses(rows, group_by, visible, departments, start, end) -> None:
    orders = (
        Assignment.objects.filter(demand_id__in=visible, contact_due__gte=start, contact_due__lt=end)
        .exclude(status=Assignment.Status.CANCELLED, contacted_at__isnull=True)
        .filter(Q(contacted_at__isnull=False) | Q(contact_due__lte=timezone.now()))
    )
    if departments is not None:
        orders = orders.filter(department_id__in=departments)
    key = _key(group_by, demand="demand__", month_of="contact_due", lead_department=F("department_id"))
    on_time = Q(contacted_at__isnull=False, contacted_at__lte=F("contact_due"))
    counted = _grouped(
        orders, key, due=Count("id", distinct=True), on_time=Count("id", distinct=True, filter=on_time)
    )
    for item in counted:
        row = row_for(rows, group_by, _plain(item["group"]))
        if row is not None:
            row.contact_due += item["due"]
            row.contacted_on_time += item["on_time"]


def _count_closures(rows, group_by, visible, departments, start, end) -> None:
    lead = latest_lead()
    closed = Demand.objects.filter(
        pk__in=visible, status=Demand.Status.CLOSED, closed_at__gte=start, closed_at__lt=end
    ).annotate(
        lead_department=Subquery(lead.values("department_id")[:1]),
        lead_replied_at=Subquery(lead.values("replied_at")[:1]),
        lead_close_due=Subquery(lead.values("close_due")[:1]),
    )
    if departments is not None:
        closed = closed.filter(lead_department__in=departments)
    key = _key(group_by, demand="", month_of="closed_at", lead_department=F("lead_department"))
    on_time = Q(lead_replied_at__isnull=False, lead_replied_at__lte=F("lead_close_due"))
    counted = _grouped(
        closed,
        key,
        closed=Count("id", distinct=True),
        solved=Count("id", distinct=True, filter=Q(is_solved=True)),
        on_time=Count("id", distinct=True, filter=on_time),
    )
    for item in counted:
        row = row_for(rows, group_by, _plain(item["group"]))
        if row is not None:
            row.closed += item["closed"]
            row.solved += item["solved"]
            row.closed_on_time += item["on_time"]


def _count_ratings(rows, group_by, visible, departments, start, end) -> None:
    ratings = Rating.objects.filter(
        demand_id__in=visible, created_at__gte=start, created_at__lt=end
    ).annotate(lead_department=Subquery(latest_lead("demand_id").values("department_id")[:1]))
    if departments is not None:
        ratings = ratings.filter(lead_department__in=departments)
    key = _key(group_by, demand="demand__", month_of="created_at", lead_department=F("lead_department"))
    counted = _grouped(
        ratings,
        key,
        rated=Count("id", distinct=True),
        satisfied=Count("id", distinct=True, filter=Q(level__in=SATISFIED_LEVELS)),
    )
    for item in counted:
        row = row_for(rows, group_by, _plain(item["group"]))
        if row is not None:
            row.rated += item["rated"]
            row.satisfied += item["satisfied"]


def _grouped(qs: QuerySet, key, **aggregates) -> list[dict]:
    """One dict per group; the whole zone is one plain aggregate (PostgreSQL refuses a constant GROUP BY)."""
    if key is None:
        return [{"group": None, **qs.aggregate(**aggregates)}]
    return list(qs.values(group=key).annotate(**aggregates))


def _plain(group):
    """A truncated month as ``YYYY-MM``; any other group as it came."""
    if isinstance(group, dt.datetime):
        return f"{group.astimezone(SHANGHAI):%Y-%m}"
    return group
