"""Keeping the dashboards' rollup cells (:class:`~redchain.demands.models.RateCell`) equal to the raw tables.

Two independent computations of the same counts:

* :func:`contributions` — what a set of demands adds to the cells, computed in Python from their rows. Every
  step of the loop runs inside :func:`tracking` (``demands.services`` wraps each step in it): the first time a
  step locks a demand, :func:`watch` records the demand's contributions *before* the change; when the
  outermost step ends, the contributions *after* are computed and the difference is added to the cells in
  the step's own transaction. A step that fails rolls its cell changes back with everything else.
* :func:`rebuild` — the cells of a zone recomputed from scratch by grouped queries over the raw tables
  (``redchain rollups rebuild``), used after a bulk load and when the grouping of old demands changes
  (an enterprise joins an alliance or moves to another chain: ``orgs.hooks.enterprise_regrouped``).

Tests check that the two agree, and that the dashboards read from the cells equal the reference
computation over the raw tables in ``demands.stats_raw``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth

from redchain.demands.models import COUNTERS, Assignment, Demand, RateCell, Rating

SHANGHAI = ZoneInfo("Asia/Shanghai")
DIMENSIONS = tuple(RateCell.Dimension.values)
SATISFIED = ("satisfied", "basically_satisfied")
POSITION = {name: index for index, name in enumerate(COUNTERS)}

# (zone id, dimension, key, first day of the month, department id or 0)
CellKey = tuple[int, str, str, dt.date, int]
Cells = dict[CellKey, list[int]]


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of the moment's calendar month in Asia/Shanghai."""
    return moment.astimezone(SHANGHAI).date().replace(day=1)


def key_of(value) -> str:
    return "" if value is None else str(value)


# --- Contributions computed in Python ------------------------------------------------------------------------


def contributions(demand_ids: Iterable[int]) -> Cells:
    """What the given demands add to the cells, read from their rows in four queries."""
    ids = list(demand_ids)
    if not ids:
        return {}
    demands = list(
        Demand.objects.filter(pk__in=ids).values(
            "id",
            "zone_id",
            "status",
            "channel",
            "category_id",
            "category__parent_id",
            "enterprise_id",
            "enterprise__chain_id",
            "created_at",
            "closed_at",
            "is_solved",
        )
    )
    orders = defaultdict(list)
    for order in Assignment.objects.filter(demand_id__in=ids).order_by("id").values(
        "id", "demand_id", "department_id", "role", "status", "started_at", "contacted_at", "contact_due",
        "replied_at", "close_due",
    ):  # fmt: skip
        orders[order["demand_id"]].append(order)
    ratings = defaultdict(list)
    for rating in Rating.objects.filter(demand_id__in=ids).values("demand_id", "level", "created_at"):
        ratings[rating["demand_id"]].append(rating)
    alliances = _alliances_of({d["enterprise_id"] for d in demands if d["enterprise_id"]})
    cells: Cells = {}
    for demand in demands:
        alliance_ids = alliances.get(demand["enterprise_id"], ())
        add_demand(cells, demand, orders[demand["id"]], ratings[demand["id"]], alliance_ids)
    return cells


def add_demand(
    cells: Cells,
    demand: Mapping[str, Any],
    orders: Sequence[Mapping[str, Any]],
    ratings: Sequence[Mapping[str, Any]],
    alliance_ids: Iterable[int],
) -> None:
    """Add one demand's contributions to ``cells``, from its rows as mappings (keys as in
    :func:`contributions`); the bulk loader calls it with the rows it is about to write."""
    keys = _dimension_keys(demand, alliance_ids)
    for month, department, counts in _facts(demand, orders, ratings):
        for dimension, key in keys:
            row = cells.setdefault((demand["zone_id"], dimension, key, month, department), _zeros())
            for name, count in counts.items():
                row[POSITION[name]] += count


def _alliances_of(enterprise_ids: set[int]) -> dict[int, set[int]]:
    from redchain.orgs.models import AllianceMember

    found: dict[int, set[int]] = defaultdict(set)
    members = AllianceMember.objects.filter(enterprise_id__in=enterprise_ids).values_list(
        "enterprise_id", "alliance_id"
    )
    for enterprise_id, alliance_id in members:
        found[enterprise_id].add(alliance_id)
    return found


def _dimension_keys(demand: Mapping[str, Any], alliances: Iterable[int]) -> list[tuple[str, str]]:
    """Every (dimension, key) a demand counts under; one alliance key per alliance of its enterprise."""
    category = demand["category__parent_id"] or demand["category_id"]
    alliance_keys = [("alliance", str(a)) for a in sorted(alliances)] or [("alliance", "")]
    return [
        ("all", ""),
        ("category", key_of(category)),
        ("channel", demand["channel"]),
        *alliance_keys,
        ("chain", key_of(demand["enterprise__chain_id"])),
    ]


def _facts(
    demand: Mapping[str, Any], orders: Sequence[Mapping[str, Any]], ratings: Sequence[Mapping[str, Any]]
) -> Iterator[tuple[dt.date, int, dict]]:
    """(month, department, counts) of each countable moment of one demand; see ``RateCell`` for the months."""
    yield month_of(demand["created_at"]), 0, {"submitted": 1}
    for order in orders:
        yield month_of(order["started_at"]), order["department_id"], {"dispatched": 1}
        due = order["contact_due"]
        if due is None:
            continue
        if order["contacted_at"] is not None:
            on_time = int(order["contacted_at"] <= due)
            yield month_of(due), order["department_id"], {"contacted": 1, "contacted_on_time": on_time}
        elif order["status"] != Assignment.Status.CANCELLED:
            yield month_of(due), order["department_id"], {"waiting": 1}
    leads = [order for order in orders if order["role"] == Assignment.Role.LEAD]
    lead = leads[-1] if leads else None  # the latest lead work order, as the 三率 definitions say
    department = lead["department_id"] if lead else 0
    if demand["status"] == Demand.Status.CLOSED and demand["closed_at"] is not None:
        on_time = bool(
            lead and lead["replied_at"] and lead["close_due"] and lead["replied_at"] <= lead["close_due"]
        )
        counts = {"closed": 1, "solved": int(demand["is_solved"] is True), "closed_on_time": int(on_time)}
        yield month_of(demand["closed_at"]), department, counts
    for rating in ratings:
        counts = {"rated": 1, "satisfied": int(rating["level"] in SATISFIED)}
        yield month_of(rating["created_at"]), department, counts


def _zeros() -> list[int]:
    return [0] * len(COUNTERS)


# --- Applying changes in the step's transaction -----------------------------------------------------------------

_frame: contextvars.ContextVar[dict[int, Cells] | None] = contextvars.ContextVar("rollup_frame", default=None)
_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("rollup_suspended", default=False)


@contextmanager
def tracking() -> Iterator[None]:
    """Collect the demands a step touches and apply their change to the cells when the outermost step ends.

    Must run inside the step's transaction. Nested steps (a service calling another) share the outer frame.
    """
    if _frame.get() is not None or _suspended.get():
        yield
        return
    token = _frame.set({})
    try:
        yield
        frame = _frame.get() or {}
        if frame:
            after = contributions(frame)
            before: Cells = {}
            for cells in frame.values():
                _add(before, cells, sign=1)
            apply(_difference(after, before))
    finally:
        _frame.reset(token)


@contextmanager
def suspended(*, zone_id: int) -> Iterator[None]:
    """Play many steps without per-step cell updates, then rebuild the zone's cells once (the demo loader).

    Faster for thousands of steps in a row; the rebuild runs even when the block fails part-way, so the cells
    match whatever was committed.
    """
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)
        rebuild(zone_id=zone_id)


def watch(demand_id: int, *, new: bool = False) -> None:
    """Remember a demand's contributions before the current step changes it (a new demand has none yet)."""
    frame = _frame.get()
    if frame is None or demand_id in frame:
        return
    frame[demand_id] = {} if new else contributions([demand_id])


def _add(total: Cells, cells: Cells, *, sign: int) -> None:
    for key, counts in cells.items():
        row = total.setdefault(key, _zeros())
        for index, count in enumerate(counts):
            row[index] += sign * count


def _difference(after: Cells, before: Cells) -> Cells:
    delta: Cells = {}
    _add(delta, after, sign=1)
    _add(delta, before, sign=-1)
    return {key: counts for key, counts in delta.items() if any(counts)}


def apply(delta: Cells) -> None:
    """Add the counts to the cells, creating missing cells (one upsert statement for the whole change)."""
    if not delta:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rollup cells change only inside the transaction of the change they count")
    table = connection.ops.quote_name(RateCell._meta.db_table)
    columns = ", ".join(COUNTERS)
    increments = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTERS)
    placeholders = ", ".join(["%s"] * (5 + len(COUNTERS)))
    sql = (
        # Every name here is a model constant; the values travel as parameters.
        f"INSERT INTO {table} (zone_id, dimension, key, month, department_id, {columns}) "  # noqa: S608
        f"VALUES ({placeholders}) "
        f"ON CONFLICT (zone_id, dimension, month, key, department_id) DO UPDATE SET {increments}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, *counts) for key, counts in sorted(delta.items())])


# --- Rebuilding from the raw tables -----------------------------------------------------------------------------


def rebuild(*, zone_id: int, dimensions: Iterable[str] = DIMENSIONS) -> int:
    """Recompute the zone's cells of the given dimensions from the raw tables; returns the number of cells."""
    dimensions = tuple(dimensions)
    with transaction.atomic():
        RateCell.objects.filter(zone_id=zone_id, dimension__in=dimensions).delete()
        cells: Cells = {}
        for dimension in dimensions:
            _add(cells, grouped_cells(zone_id=zone_id, dimension=dimension), sign=1)
        RateCell.objects.bulk_create(
            [
                RateCell(
                    zone_id=zone,
                    dimension=dimension,
                    key=key,
                    month=month,
                    department_id=department,
                    **dict(zip(COUNTERS, counts, strict=True)),
                )  # fmt: skip
                for (zone, dimension, key, month, department), counts in cells.items()
                if any(counts)
            ],
            batch_size=2000,
        )
    return len(cells)


def grouped_cells(*, zone_id: int, dimension: str, orders_filter: Q | None = None) -> Cells:
    """One dimension's cells of a zone by grouped queries over the raw tables (five queries)."""
    cells: Cells = {}
    queries = (
        order_counts(zone_id, dimension, orders_filter or Q()),
        _dispatch_counts(zone_id, dimension),
        _closure_counts(zone_id, dimension),
        _rating_counts(zone_id, dimension),
        _submission_counts(zone_id, dimension),
    )
    for rows in queries:
        for row in rows:
            month = row.pop("month")
            key = (zone_id, dimension, key_of(row.pop("group")), month_of(month), row.pop("dept") or 0)
            counts = cells.setdefault(key, _zeros())
            for name, count in row.items():
                counts[POSITION[name]] += count
    return cells


def dimension_expression(dimension: str, demand: str):
    """The key of a dimension for a query that reaches the demand through ``demand`` ("" or "demand__")."""
    if dimension == "all":
        return Value("")
    if dimension == "category":
        return Coalesce(f"{demand}category__parent_id", f"{demand}category_id")
    if dimension == "channel":
        return F(f"{demand}channel")
    if dimension == "alliance":
        return F(f"{demand}enterprise__alliance_memberships__alliance_id")
    return F(f"{demand}enterprise__chain_id")


def latest_lead(outer: str = "pk") -> QuerySet[Assignment]:
    return Assignment.objects.filter(demand_id=OuterRef(outer), role=Assignment.Role.LEAD).order_by("-id")


def _once(**condition) -> Count:
    # Distinct because the alliance dimension joins the enterprise's memberships.
    return Count("id", distinct=True, filter=Q(**condition) if condition else None)


def order_counts(zone_id: int, dimension: str, extra: Q):
    orders = Assignment.objects.filter(extra, demand__zone_id=zone_id, contact_due__isnull=False)
    return orders.values(
        month=TruncMonth("contact_due", tzinfo=SHANGHAI),
        dept=F("department_id"),
        group=dimension_expression(dimension, "demand__"),
    ).annotate(
        contacted=_once(contacted_at__isnull=False),
        contacted_on_time=_once(contacted_at__isnull=False, contacted_at__lte=F("contact_due")),
        waiting=Count(
            "id", distinct=True, filter=Q(contacted_at__isnull=True) & ~Q(status=Assignment.Status.CANCELLED)
        ),
    )


def _dispatch_counts(zone_id: int, dimension: str):
    return (
        Assignment.objects.filter(demand__zone_id=zone_id)
        .values(
            month=TruncMonth("started_at", tzinfo=SHANGHAI),
            dept=F("department_id"),
            group=dimension_expression(dimension, "demand__"),
        )
        .annotate(dispatched=_once())
    )


def _closure_counts(zone_id: int, dimension: str):
    lead = latest_lead()
    closed = Demand.objects.filter(
        zone_id=zone_id, status=Demand.Status.CLOSED, closed_at__isnull=False
    ).annotate(
        lead_department=Subquery(lead.values("department_id")[:1]),
        lead_replied_at=Subquery(lead.values("replied_at")[:1]),
        lead_close_due=Subquery(lead.values("close_due")[:1]),
    )
    return closed.values(
        month=TruncMonth("closed_at", tzinfo=SHANGHAI),
        dept=F("lead_department"),
        group=dimension_expression(dimension, ""),
    ).annotate(
        closed=_once(),
        solved=_once(is_solved=True),
        closed_on_time=_once(lead_replied_at__isnull=False, lead_replied_at__lte=F("lead_close_due")),
    )


def _rating_counts(zone_id: int, dimension: str):
    ratings = Rating.objects.filter(demand__zone_id=zone_id).annotate(
        lead_department=Subquery(latest_lead("demand_id").values("department_id")[:1])
    )
    return ratings.values(
        month=TruncMonth("created_at", tzinfo=SHANGHAI),
        dept=F("lead_department"),
        group=dimension_expression(dimension, "demand__"),
    ).annotate(rated=_once(), satisfied=_once(level__in=SATISFIED))


def _submission_counts(zone_id: int, dimension: str):
    return (
        Demand.objects.filter(zone_id=zone_id)
        .values(
            month=TruncMonth("created_at", tzinfo=SHANGHAI),
            dept=Value(0),
            group=dimension_expression(dimension, ""),
        )
        .annotate(submitted=_once())
    )


def stored_cells(*, zone_id: int) -> Cells:
    """The zone's cells as stored, without all-zero rows (for comparing with :func:`grouped_cells`)."""
    cells: Cells = {}
    for cell in RateCell.objects.filter(zone_id=zone_id).values(
        "dimension", "key", "month", "department_id", *COUNTERS
    ):
        counts = [cell[name] for name in COUNTERS]
        if any(counts):
            cells[(zone_id, cell["dimension"], cell["key"], cell["month"], cell["department_id"])] = counts
    return cells


# --- An enterprise changes chain or alliances ---------------------------------------------------------------------

_regrouping: contextvars.ContextVar[dict[int, Cells] | None] = contextvars.ContextVar(
    "regrouping", default=None
)
REGROUP_BATCH = 1000


def _enterprise_contributions(enterprise_id: int) -> Cells:
    ids = list(Demand.objects.filter(enterprise_id=enterprise_id).values_list("pk", flat=True))
    cells: Cells = {}
    for start in range(0, len(ids), REGROUP_BATCH):
        _add(cells, contributions(ids[start : start + REGROUP_BATCH]), sign=1)
    return cells


def before_regrouping(sender, *, enterprise_id: int, **kwargs) -> None:
    pending = dict(_regrouping.get() or {})
    pending[enterprise_id] = _enterprise_contributions(enterprise_id)
    _regrouping.set(pending)


def after_regrouping(sender, *, enterprise_id: int, **kwargs) -> None:
    pending = dict(_regrouping.get() or {})
    before = pending.pop(enterprise_id, None)
    _regrouping.set(pending)
    if before is not None:
        apply(_difference(_enterprise_contributions(enterprise_id), before))


def register() -> None:
    from redchain.orgs import hooks

    hooks.enterprise_regrouping.connect(before_regrouping, dispatch_uid="rollups-before-regrouping")
    hooks.enterprise_regrouped.connect(after_regrouping, dispatch_uid="rollups-after-regrouping")


def recomputed_cells(*, zone_id: int) -> Cells:
    """Every dimension's cells of the zone recomputed from the raw tables, without all-zero rows."""
    cells: Cells = {}
    for dimension in DIMENSIONS:
        cells.update(
            (key, counts)
            for key, counts in grouped_cells(zone_id=zone_id, dimension=dimension).items()
            if any(counts)
        )
    return cells


def differences(*, zone_id: int) -> list[tuple[CellKey, list[int] | None, list[int] | None]]:
    """Cells whose stored counts differ from the raw tables: (cell, stored, recomputed)."""
    stored, recomputed = stored_cells(zone_id=zone_id), recomputed_cells(zone_id=zone_id)
    return [
        (key, stored.get(key), recomputed.get(key))
        for key in sorted(stored.keys() | recomputed.keys())
        if stored.get(key) != recomputed.get(key)
    ]
