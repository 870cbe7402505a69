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
the department of its lead work order), ``category`` (the top-level category; a sub-category counts for its
parent), ``alliance`` (every alliance the demand's enterprise is a member of, so one demand may count for
two alliances), ``month`` (twelve rows: the period and the eleven months before it).

Scope: computed over ``Demand.objects.visible_to(user)``. Zone admins and leaders see the whole zone;
department staff see only their own departments' work (their work orders, and the demands their department
leads). Each call runs a constant number of aggregate queries (three counts and one for the labels),
whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redchain.accounts.scope import scope_for
from redchain.demands.models import Assignment, Category, Demand, Rating

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
GROUPS = ("zone", "department", "category", "alliance", "month")
GROUP_LABELS = {
    "zone": gettext_lazy("Zone"),
    "department": gettext_lazy("Department"),
    "category": gettext_lazy("Category"),
    "alliance": gettext_lazy("Alliance"),
    "month": gettext_lazy("Month"),
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
    return start, _add_months(start, 1)


def current_period() -> str:
    return f"{timezone.now().astimezone(SHANGHAI):%Y-%m}"


def recent_periods(count: int = 12, *, until: str | None = None) -> list[str]:
    """The last ``count`` months up to ``until`` (default: this month), newest first, for a month picker."""
    start, _end = parse_period(until or current_period())
    return [f"{_add_months(start, -offset):%Y-%m}" for offset in range(count)]


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
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


# --- The computation -------------------------------------------------------------------------------------


def rates(*, user, zone_id: int, period: str, group_by: str) -> list[RateRow]:
    """The 三率 rows of one zone for one month, grouped; see the module docstring for the definitions."""
    if group_by not in GROUPS:
        raise StatsError(_("Unknown grouping: %(group)s.") % {"group": group_by})
    start, end = parse_period(period)
    if group_by == "month":
        start = _add_months(start, -11)
    if not may_view(user, zone_id):
        return []
    departments = restricted_departments(user, zone_id)
    visible = Demand.objects.visible_to(user).filter(zone_id=zone_id).values("pk")
    rows = _empty_rows(group_by=group_by, zone_id=zone_id, start=start, departments=departments)
    _count_responses(rows, group_by, visible, departments, start, end)
    _count_closures(rows, group_by, visible, departments, start, end)
    _count_ratings(rows, group_by, visible, departments, start, end)
    weights = rate_weights()
    return [row.finish(weights) for row in rows.values()]


def ranking(*, user, zone_id: int, period: str) -> list[RateRow]:
    """Departments by score, best first; departments without any figure last, by name."""
    rows = rates(user=user, zone_id=zone_id, period=period, group_by="department")
    return sorted(rows, key=lambda row: (row.score is None, -(row.score or 0)))


def _lead(outer: str = "pk") -> QuerySet[Assignment]:
    return Assignment.objects.filter(demand_id=OuterRef(outer), role=Assignment.Role.LEAD).order_by("-id")


def _key(group_by: str, *, demand: str, month_of: str, lead_department=None):
    """The grouping expression, for a query whose demand is reached through ``demand`` ("" or "demand__")."""
    if group_by == "zone":
        return None
    if group_by == "department":
        return lead_department
    if group_by == "category":
        return Coalesce(f"{demand}category__parent_id", f"{demand}category_id")
    if group_by == "alliance":
        return F(f"{demand}enterprise__alliance_memberships__alliance_id")
    return TruncMonth(month_of, tzinfo=SHANGHAI)


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
        row = _row(rows, group_by, item["group"])
        if row is not None:
            row.contact_due += item["due"]
            row.contacted_on_time += item["on_time"]


def _count_closures(rows, group_by, visible, departments, start, end) -> None:
    lead = _lead()
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
        row = _row(rows, group_by, item["group"])
        if row is not None:
            row.closed += item["closed"]
            row.solved += item["solved"]
            row.closed_on_time += item["on_time"]


def _count_ratings(rows, group_by, visible, departments, start, end) -> None:
    ratings = Rating.objects.filter(
        demand_id__in=visible, created_at__gte=start, created_at__lt=end
    ).annotate(lead_department=Subquery(_lead("demand_id").values("department_id")[:1]))
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
        row = _row(rows, group_by, item["group"])
        if row is not None:
            row.rated += item["rated"]
            row.satisfied += item["satisfied"]


def _grouped(qs: QuerySet, key, **aggregates) -> list[dict]:
    """One dict per group; the whole zone is one plain aggregate (PostgreSQL refuses a constant GROUP BY)."""
    if key is None:
        return [{"group": None, **qs.aggregate(**aggregates)}]
    return list(qs.values(group=key).annotate(**aggregates))


def _row(rows: dict, group_by: str, group) -> RateRow | None:
    """The row a grouped count belongs to; a group the user may not see (another department) is dropped."""
    if group_by == "month":
        group = f"{group.astimezone(SHANGHAI) if isinstance(group, dt.datetime) else group:%Y-%m}"
    elif group_by == "zone":
        group = next(iter(rows))
    if group not in rows and group is None and group_by in ("category", "alliance"):
        label = _("Uncategorised") if group_by == "category" else _("Not in an alliance")
        rows[None] = RateRow(key=None, label=label)
    return rows.get(group)


def _empty_rows(*, group_by: str, zone_id: int, start: dt.datetime, departments) -> dict:
    """Every row the table shows, zero-filled, in display order (one query for the labels)."""
    from redchain.orgs.models import Alliance, Department, Zone

    if group_by == "zone":
        zone = Zone.objects.filter(pk=zone_id).values_list("pk", "name").first()
        return {zone[0]: RateRow(key=zone[0], label=zone[1])} if zone else {}
    if group_by == "month":
        months = [f"{_add_months(start, offset):%Y-%m}" for offset in range(12)]
        return {month: RateRow(key=month, label=month) for month in months}
    found: QuerySet
    if group_by == "department":
        found = Department.objects.filter(zone_id=zone_id).order_by("sort_name", "id")
        if departments is not None:
            found = found.filter(pk__in=departments)
    elif group_by == "category":
        found = Category.objects.filter(zone_id=zone_id, parent__isnull=True).order_by("position", "id")
    else:
        found = Alliance.objects.filter(zone_id=zone_id).order_by("chain__position", "id")
    return {pk: RateRow(key=pk, label=name) for pk, name in found.values_list("pk", "name")}
