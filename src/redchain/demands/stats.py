"""三率: how well the zone handles demands, per calendar month and per department, category, alliance or month.

Definitions (the period is one calendar month in Asia/Shanghai, written ``YYYY-MM``; "in the period" means
the named moment falls on or after the first day's midnight and before the next month's):

* **Response rate** (响应率) = work orders first contacted by their contact deadline ÷ work orders whose
  contact deadline fell in the period. The denominator counts a work order by its *contact deadline*, not by
  its dispatch time, so an order dispatched at 17:30 on the last day of a month counts in the month its
  deadline falls in. Left out of the denominator: orders whose deadline has not passed yet and that have not
  been contacted (nothing is known about them), and orders cancelled without ever being contacted (a
  re-dispatch or merge cancelled them, not the department). Co-handling orders count like lead orders.
* **Resolution rate** (解决率) = demands closed as solved ÷ demands closed in the period. Closed is not
  solved: a demand the zone closes unsolved (no answer at follow-up, arbitration) counts in the denominator
  only. Rejected and merged demands are not closed and do not count.
* **Satisfaction rate** (满意率) = ratings of 满意 or 基本满意 ÷ ratings given in the period. Every rating
  counts, so a demand rated 不满意, redone and then rated 满意 contributes two ratings.
* **On-time closure rate** (按时办结率) = demands closed in the period whose lead work order replied by its
  closure deadline ÷ demands closed in the period. The lead work order is the demand's latest lead order;
  its closure deadline already includes paused time and any approved extension.
* **Score** (综合得分, 0–100) = Σ weightᵢ × rateᵢ ÷ Σ weightᵢ × 100 over the rates that are defined. Weights
  come from the setting ``REDCHAIN_RATE_WEIGHTS`` (default response 30, resolution 35, satisfaction 35; the
  key ``on_time`` may add the on-time closure rate). A rate whose denominator is empty is ``None``, and its
  weight is shared among the other rates in proportion to theirs, which is the same as leaving it out of
  both sums; with no defined rate the score is ``None``.

Grouping: ``zone`` (one row), ``department`` (a work order by its department; a demand and its ratings by
the department of its latest lead work order), ``category`` (the top-level category; a sub-category counts for
its parent), ``alliance`` (every alliance the demand's enterprise is a member of, so one demand may count for
two alliances), ``chain`` (the industry chain of the demand's enterprise), ``channel`` (how the demand came
in), ``month`` (twelve rows: the period and the eleven months before it).

Volume (channel mix, the category × month heat map): demands submitted in the month for whole-zone readers;
for department staff, their work orders dispatched in the month (the demands they received).

Scope: Zone admins and leaders see the whole zone; department staff see only their own departments' work
(their work orders, and the demands their department leads); nobody else sees statistics.

How: the rows are sums over rollup cells (``demands.rollups``; a cell per zone, dimension value, month and
department), so each call reads a few hundred rows in one grouped query, plus one query for the labels and,
for a period that has not ended, one indexed query for the work orders whose contact deadline is still
ahead. ``demands.stats_raw`` computes the same rows from the raw tables; tests hold the two equal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redchain.accounts.scope import scope_for
from redchain.demands import rollups
from redchain.demands.models import COUNTERS, Category, Channel, Demand, RateCell

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
GROUPS = ("zone", "department", "category", "alliance", "chain", "channel", "month")
GROUP_LABELS = {
    "zone": gettext_lazy("Zone"),
    "department": gettext_lazy("Department"),
    "category": gettext_lazy("Category"),
    "alliance": gettext_lazy("Alliance"),
    "chain": gettext_lazy("Industry chain"),
    "channel": gettext_lazy("Channel"),
    "month": gettext_lazy("Month"),
}
# The rollup dimension each grouping sums; department and month group the whole-zone cells.
DIMENSION_OF = {
    "zone": "all",
    "department": "all",
    "month": "all",
    "category": "category",
    "alliance": "alliance",
    "chain": "chain",
    "channel": "channel",
}
# A demand outside every group of these groupings gets a row of its own.
NONE_LABELS = {
    "category": gettext_lazy("Uncategorised"),
    "alliance": gettext_lazy("Not in an alliance"),
    "chain": gettext_lazy("Not on an industry chain"),
}
DEFAULT_WEIGHTS = {"response": 30, "resolution": 35, "satisfaction": 35}
SATISFIED_LEVELS = (Demand.Satisfaction.SATISFIED, Demand.Satisfaction.BASICALLY_SATISFIED)


class StatsError(ValueError):
    """A period or grouping that cannot be computed (the API answers 422)."""


@dataclass
class RateRow:
    """One row of the 三率 table: the counts behind each rate, the rates (fractions 0–1 or None) and the score."""

    key: str | int | None
    label: str
    contact_due: int = 0  # response-rate denominator
    contacted_on_time: int = 0
    closed: int = 0  # resolution and on-time denominators
    solved: int = 0
    closed_on_time: int = 0
    rated: int = 0  # satisfaction denominator
    satisfied: int = 0  # 满意 + 基本满意
    response_rate: float | None = None
    resolution_rate: float | None = None
    satisfaction_rate: float | None = None
    on_time_rate: float | None = None
    score: float | None = None
    extra: dict = field(default_factory=dict)

    def finish(self, weights: dict[str, float]) -> RateRow:
        self.response_rate = ratio(self.contacted_on_time, self.contact_due)
        self.resolution_rate = ratio(self.solved, self.closed)
        self.satisfaction_rate = ratio(self.satisfied, self.rated)
        self.on_time_rate = ratio(self.closed_on_time, self.closed)
        self.score = weighted_score(
            {
                "response": self.response_rate,
                "resolution": self.resolution_rate,
                "satisfaction": self.satisfaction_rate,
                "on_time": self.on_time_rate,
            },
            weights,
        )
        return self

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "response_rate": self.response_rate,
            "resolution_rate": self.resolution_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "on_time_rate": self.on_time_rate,
            "score": self.score,
            "contact_due": self.contact_due,
            "contacted_on_time": self.contacted_on_time,
            "closed": self.closed,
            "solved": self.solved,
            "closed_on_time": self.closed_on_time,
            "rated": self.rated,
            "satisfied": self.satisfied,
        }


# --- Small pure helpers ----------------------------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def rate_weights() -> dict[str, float]:
    weights = getattr(settings, "REDCHAIN_RATE_WEIGHTS", None) or DEFAULT_WEIGHTS
    return {name: float(weight) for name, weight in weights.items() if float(weight) > 0}


def weighted_score(rates: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """0–100; the weight of an undefined rate is redistributed by leaving it out of both sums."""
    used = {name: weight for name, weight in weights.items() if rates.get(name) is not None}
    total = sum(used.values())
    if not total:
        return None
    weighted = sum(weight * (rates[name] or 0.0) for name, weight in used.items())
    return round(100 * weighted / total, 1)


def parse_period(period: str) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` → [start, end) as aware datetimes at Shanghai midnight; raises :class:`StatsError`."""
    match = PERIOD_PATTERN.match(period or "")
    if not match:
        raise StatsError(_("The period must be a month written as YYYY-MM."))
    year, month = int(match.group(1)), int(match.group(2))
    start = dt.datetime(year, month, 1, tzinfo=SHANGHAI)
    return start, add_months(start, 1)


def current_period() -> str:
    return f"{timezone.now().astimezone(SHANGHAI):%Y-%m}"


def recent_periods(count: int = 12, *, until: str | None = None) -> list[str]:
    """The last ``count`` months up to ``until`` (default: this month), newest first, for a month picker."""
    start, _end = parse_period(until or current_period())
    return [f"{add_months(start, -offset):%Y-%m}" for offset in range(count)]


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1)


# --- Who sees what ---------------------------------------------------------------------------------------


def may_view(user, zone_id: int) -> bool:
    """Zone admins and leaders (whole zone) and department staff (their departments); nobody else."""
    scope = scope_for(user)
    return scope.reads_whole_zone(zone_id) or zone_id in scope.staff_zone_ids


def restricted_departments(user, zone_id: int) -> frozenset[int] | None:
    """None for a whole-zone reader; otherwise the departments whose work the user may count."""
    scope = scope_for(user)
    return None if scope.reads_whole_zone(zone_id) else scope.department_ids


# --- Rows and labels -------------------------------------------------------------------------------------


def empty_rows(*, group_by: str, zone_id: int, start: dt.datetime, departments) -> dict:
    """Every row the table shows, zero-filled, in display order (one query for the labels)."""
    from redchain.orgs.models import Alliance, Department, IndustryChain, Zone

    if group_by == "zone":
        zone = Zone.objects.filter(pk=zone_id).values_list("pk", "name").first()
        return {zone[0]: RateRow(key=zone[0], label=zone[1])} if zone else {}
    if group_by == "month":
        months = [f"{add_months(start, offset):%Y-%m}" for offset in range(12)]
        return {month: RateRow(key=month, label=month) for month in months}
    if group_by == "channel":
        return {code: RateRow(key=code, label=str(label)) for code, label in Channel.choices}
    found: QuerySet
    if group_by == "department":
        found = Department.objects.filter(zone_id=zone_id).order_by("sort_name", "id")
        if departments is not None:
            found = found.filter(pk__in=departments)
    elif group_by == "category":
        found = Category.objects.filter(zone_id=zone_id, parent__isnull=True).order_by("position", "id")
    elif group_by == "chain":
        found = IndustryChain.objects.filter(zone_id=zone_id).order_by("position", "id")
    else:
        found = Alliance.objects.filter(zone_id=zone_id).order_by("chain__position", "id")
    return {pk: RateRow(key=pk, label=name) for pk, name in found.values_list("pk", "name")}


def row_for(rows: dict, group_by: str, group) -> RateRow | None:
    """The row a count belongs to; a group the user may not see (another department) is dropped."""
    if group_by == "zone":
        return next(iter(rows.values()), None)
    if group is None and group_by in NONE_LABELS and None not in rows:
        rows[None] = RateRow(key=None, label=str(NONE_LABELS[group_by]))
    return rows.get(group)


def _group_value(group_by: str, cell: Mapping[str, Any]):
    """The row key of a summed cell: a department id, ``YYYY-MM``, a channel code, an id or None."""
    if group_by == "department":
        return cell["department_id"]
    if group_by == "month":
        return f"{cell['month']:%Y-%m}"
    if group_by == "channel":
        return cell["key"]
    if group_by == "zone":
        return None
    return int(cell["key"]) if cell["key"] else None


def _add_counts(row: RateRow, counts: dict) -> None:
    row.contact_due += counts["contacted"] + counts["waiting"]
    row.contacted_on_time += counts["contacted_on_time"]
    row.closed += counts["closed"]
    row.solved += counts["solved"]
    row.closed_on_time += counts["closed_on_time"]
    row.rated += counts["rated"]
    row.satisfied += counts["satisfied"]


# --- Sums over rollup cells ------------------------------------------------------------------------------


def _fields(group_by: str, per_month: bool) -> list[str]:
    fields = {"department": ["department_id"], "month": ["month"], "zone": []}.get(group_by, ["key"])
    return [*fields, "month"] if per_month and "month" not in fields else fields


def _sums(*, zone_id, group_by, start, end, departments, per_month=False) -> list[dict]:
    """Summed counters of the zone's cells in [start, end), grouped for ``group_by`` (and by month)."""
    dimension = DIMENSION_OF[group_by]
    first, last = start.date(), (end - dt.timedelta(days=1)).date()
    cells = RateCell.objects.filter(zone_id=zone_id, dimension=dimension, month__gte=first, month__lte=last)
    if departments is not None:
        cells = cells.filter(department_id__in=departments)
    fields = _fields(group_by, per_month)
    sums = {name: Sum(name) for name in COUNTERS}
    if fields:
        found = [dict(row) for row in cells.values(*fields).annotate(**sums).order_by()]
    else:
        found = [cells.aggregate(**sums)]
    return [row for row in found if row["contacted"] is not None] + _not_yet_due(
        zone_id=zone_id, dimension=dimension, start=start, end=end, departments=departments
    )


def _not_yet_due(*, zone_id, dimension, start, end, departments) -> list[dict]:
    """Negative ``waiting`` counts for work orders whose contact deadline has not passed: the response rate
    counts an uncontacted order only once its deadline is over. Only a period that has not ended has any."""
    now = timezone.now()
    if end <= now:
        return []
    ahead = Q(contacted_at__isnull=True, contact_due__gt=max(now, start), contact_due__lt=end)
    if departments is not None:
        ahead &= Q(department_id__in=departments)
    found = []
    for row in rollups.order_counts(zone_id, dimension, ahead):
        counts = dict.fromkeys(COUNTERS, 0)
        counts["waiting"] = -row["waiting"]
        found.append(
            {
                **counts,
                "key": rollups.key_of(row["group"]),
                "department_id": row["dept"] or 0,
                "month": rollups.month_of(row["month"]),
            }
        )
    return found


def _net(group_by: str, sums: list[dict], *, per_month: bool = False) -> dict:
    """Counts per row key (and month), leaving out keys with nothing to rate: a demand only submitted or
    dispatched in the period makes no row of its own, as in the raw computation."""
    totals: dict = {}
    for cell in sums:
        group = _group_value(group_by, cell)
        key = (group, cell["month"]) if per_month else group
        counts = totals.setdefault(key, dict.fromkeys(COUNTERS, 0))
        for name in COUNTERS:
            counts[name] += cell[name]
    return {
        key: counts
        for key, counts in totals.items()
        if counts["contacted"] + counts["waiting"] or counts["closed"] or counts["rated"]
    }


def _check(group_by: str) -> None:
    if group_by not in GROUPS:
        raise StatsError(_("Unknown grouping: %(group)s.") % {"group": group_by})


def rates(*, user, zone_id: int, period: str, group_by: str) -> list[RateRow]:
    """The 三率 rows of one zone for one month, grouped; see the module docstring for the definitions."""
    _check(group_by)
    start, end = parse_period(period)
    if group_by == "month":
        start = add_months(start, -11)
    if not may_view(user, zone_id):
        return []
    departments = restricted_departments(user, zone_id)
    rows = empty_rows(group_by=group_by, zone_id=zone_id, start=start, departments=departments)
    sums = _sums(zone_id=zone_id, group_by=group_by, start=start, end=end, departments=departments)
    for group, counts in _net(group_by, sums).items():
        row = row_for(rows, group_by, group)
        if row is not None:
            _add_counts(row, counts)
    weights = rate_weights()
    return [row.finish(weights) for row in rows.values()]


def ranking(*, user, zone_id: int, period: str) -> list[RateRow]:
    """Departments by score, best first; departments without any figure last, by name."""
    rows = rates(user=user, zone_id=zone_id, period=period, group_by="department")
    return sorted(rows, key=lambda row: (row.score is None, -(row.score or 0)))


# --- Trends, change and volume ---------------------------------------------------------------------------


def months_until(period: str, count: int) -> list[str]:
    """``count`` months ending with ``period``, oldest first."""
    start, _end = parse_period(period)
    return [f"{add_months(start, offset - count + 1):%Y-%m}" for offset in range(count)]


def trend(
    *, user, zone_id: int, period: str, group_by: str, months: int = 12
) -> tuple[list[str], list[RateRow]]:
    """The rows of ``group_by`` over the ``months`` months up to ``period`` in one query: each row's
    ``extra["months"]`` holds one finished :class:`RateRow` per month, oldest first."""
    _check(group_by)
    if group_by == "month":
        group_by = "zone"
    labels = months_until(period, months)
    if not may_view(user, zone_id):
        return labels, []
    start, _first_end = parse_period(labels[0])
    _last_start, end = parse_period(labels[-1])
    departments = restricted_departments(user, zone_id)
    rows = empty_rows(group_by=group_by, zone_id=zone_id, start=start, departments=departments)
    per_month: dict = {}
    sums = _sums(
        zone_id=zone_id, group_by=group_by, start=start, end=end, departments=departments, per_month=True
    )
    for (group, month), counts in _net(group_by, sums, per_month=True).items():
        row = row_for(rows, group_by, group)
        if row is not None:
            cell = per_month.setdefault((row.key, f"{month:%Y-%m}"), RateRow(key=row.key, label=row.label))
            _add_counts(cell, counts)
    weights = rate_weights()
    for row in rows.values():
        row.extra["months"] = [
            per_month.get((row.key, month), RateRow(key=row.key, label=row.label)).finish(weights)
            for month in labels
        ]
        for cell in row.extra["months"]:
            _add_counts_from(row, cell)
        row.finish(weights)
    return labels, list(rows.values())


def _add_counts_from(total: RateRow, part: RateRow) -> None:
    for name in (
        "contact_due",
        "contacted_on_time",
        "closed",
        "solved",
        "closed_on_time",
        "rated",
        "satisfied",
    ):
        setattr(total, name, getattr(total, name) + getattr(part, name))


CHANGE_FIELDS = ("response_rate", "resolution_rate", "satisfaction_rate", "score")


def rates_with_change(*, user, zone_id: int, period: str, group_by: str) -> list[RateRow]:
    """The period's rows with month-on-month and year-on-year change (``extra["mom"]``, ``extra["yoy"]``:
    differences in percentage points for the rates and in points for the score; None where a side is
    undefined). One cell query over the thirteen months from the same month last year."""
    if group_by == "month":
        return rates(user=user, zone_id=zone_id, period=period, group_by=group_by)
    _labels, rows = trend(user=user, zone_id=zone_id, period=period, group_by=group_by, months=13)
    for row in rows:
        last_year, *_between, previous, current = row.extra.pop("months")
        for name in (
            "contact_due",
            "contacted_on_time",
            "closed",
            "solved",
            "closed_on_time",
            "rated",
            "satisfied",
        ):
            setattr(row, name, getattr(current, name))
        row.finish(rate_weights())
        row.extra["mom"] = _change(current, previous)
        row.extra["yoy"] = _change(current, last_year)
    return rows


def _change(now: RateRow, then: RateRow) -> dict[str, float | None]:
    changes: dict[str, float | None] = {}
    for name in CHANGE_FIELDS:
        new, old = getattr(now, name), getattr(then, name)
        scale = 1 if name == "score" else 100
        changes[name] = None if new is None or old is None else round(scale * (new - old), 1)
    return changes


VOLUME_GROUPS = ("channel", "category")


def volume(*, user, zone_id: int, period: str, by: str, months: int = 12) -> tuple[list[str], list[dict]]:
    """How many demands came in per ``by`` (channel or category) and month: submitted demands for whole-zone
    readers, work orders received for department staff. Rows: ``{"key", "label", "counts": [...], "total"}``."""
    if by not in VOLUME_GROUPS:
        raise StatsError(_("Unknown grouping: %(group)s.") % {"group": by})
    labels = months_until(period, months)
    if not may_view(user, zone_id):
        return labels, []
    start, _end = parse_period(labels[0])
    departments = restricted_departments(user, zone_id)
    measure = "submitted" if departments is None else "dispatched"
    cells = RateCell.objects.filter(
        zone_id=zone_id, dimension=by, month__gte=start.date(), month__lte=parse_period(labels[-1])[0].date()
    )
    if departments is not None:
        cells = cells.filter(department_id__in=departments)
    rows = empty_rows(group_by=by, zone_id=zone_id, start=start, departments=departments)
    counts: dict = {}
    for cell in cells.values("key", "month").annotate(n=Sum(measure)).order_by():
        row = row_for(rows, by, _group_value(by, cell))
        if row is not None and cell["n"]:
            counts[(row.key, f"{cell['month']:%Y-%m}")] = (
                counts.get((row.key, f"{cell['month']:%Y-%m}"), 0) + cell["n"]
            )
    found = []
    for row in rows.values():
        series = [counts.get((row.key, month), 0) for month in labels]
        found.append({"key": row.key, "label": row.label, "counts": series, "total": sum(series)})
    return labels, found


# --- Late and due-soon work orders -------------------------------------------------------------------------

URGENCIES = ("overdue", "due_soon")


def urgent_orders(*, user, zone_id: int, urgency: str, limit: int | None = 200) -> QuerySet:
    """Open work orders past their closure deadline (``overdue``, most late first) or due within the sweep's
    warning window (``due_soon``, soonest first), for the same readers as the rates. Replied orders wait for
    the enterprise, not the department, so they are left out. Reads the partial index on open deadlines."""
    from redchain.demands.models import Assignment
    from redchain.demands.sweep import due_soon_hours

    if urgency not in URGENCIES:
        raise StatsError(_("Unknown list: %(name)s.") % {"name": urgency})
    if not may_view(user, zone_id):
        return Assignment.objects.none()
    now = timezone.now()
    orders = Assignment.objects.filter(
        demand__zone_id=zone_id, status__in=["pending", "in_progress", "paused"], close_due__isnull=False
    )
    departments = restricted_departments(user, zone_id)
    if departments is not None:
        orders = orders.filter(department_id__in=departments)
    if urgency == "overdue":
        orders = orders.filter(close_due__lt=now).order_by("close_due", "id")
    else:
        soon = now + dt.timedelta(hours=due_soon_hours())
        orders = orders.filter(close_due__gte=now, close_due__lt=soon).order_by("close_due", "id")
    orders = orders.select_related("demand", "demand__enterprise", "department")
    return orders[:limit] if limit else orders
