"""三率 statistics (response, resolution, satisfaction and on-time closure rates) of the caller's zone.

The definitions are in :mod:`redchain.demands.stats`; rates are fractions 0–1, or null when their
denominator is empty.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from redchain.accounts.scope import scope_for
from redchain.api.endpoints._common import AUTH_ERRORS, caller
from redchain.api.schemas import ErrorOut
from redchain.demands import stats

router = Router(tags=["stats"])

BAD_PERIOD = "统计期须为 YYYY-MM 格式的月份 / The period must be a month written as YYYY-MM"
BAD_GROUP = "分组须为 zone、department、category、alliance、chain、channel 或 month / Unknown group_by"
BAD_VOLUME = "分组须为 channel 或 category / by must be channel or category"
BAD_URGENCY = "清单须为 overdue 或 due_soon / urgency must be overdue or due_soon"
BAD_ZONE = "无权查看该园区的统计 / You may not see statistics of that zone"
FORBIDDEN = "无权查看统计 / You may not see statistics"


class RateItemOut(Schema):
    key: int | str | None
    label: str
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    on_time_rate: float | None
    score: float | None
    contact_due: int
    contacted_on_time: int
    closed: int
    solved: int
    closed_on_time: int
    rated: int
    satisfied: int


class ChangeOut(Schema):
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None


class RateChangeItemOut(RateItemOut):
    mom: ChangeOut | None = None
    yoy: ChangeOut | None = None


class RatesOut(Schema):
    period: str
    group_by: str
    zone: int
    items: list[RateChangeItemOut]


@router.get("/stats/rates", response={200: RatesOut, 403: ErrorOut, 422: ErrorOut, **AUTH_ERRORS})
def stats_rates(
    request: HttpRequest, period: str = "", group_by: str = "department", zone: int | None = None
):
    """三率 of one month (default: this month) grouped by zone, department, category, alliance, chain, channel
    or month; each item carries month-on-month and year-on-year change (``mom``, ``yoy``: percentage points
    for the rates, points for the score; null where undefined), except when grouped by month.

    Zone admins and leaders get every row of their zone; department staff only their departments' work;
    other callers get 403. ``zone`` picks one of the caller's zones (default: the first).
    """
    user = caller(request)
    period = period or stats.current_period()
    if group_by not in stats.GROUPS:
        return Status(422, {"detail": BAD_GROUP})
    try:
        stats.parse_period(period)
    except stats.StatsError:
        return Status(422, {"detail": BAD_PERIOD})
    zone_id = zone if zone is not None else _first_zone(user)
    if zone_id is None or not stats.may_view(user, zone_id):
        return Status(403, {"detail": FORBIDDEN if zone is None else BAD_ZONE})
    rows = stats.rates_with_change(user=user, zone_id=zone_id, period=period, group_by=group_by)
    items = [{**row.as_dict(), "mom": row.extra.get("mom"), "yoy": row.extra.get("yoy")} for row in rows]
    return {"period": period, "group_by": group_by, "zone": zone_id, "items": items}


def _checked(user, period: str, zone: int | None):
    """(period, zone id) or an error Status, as every stats endpoint checks them."""
    period = period or stats.current_period()
    try:
        stats.parse_period(period)
    except stats.StatsError:
        return None, Status(422, {"detail": BAD_PERIOD})
    zone_id = zone if zone is not None else _first_zone(user)
    if zone_id is None or not stats.may_view(user, zone_id):
        return None, Status(403, {"detail": FORBIDDEN if zone is None else BAD_ZONE})
    return (period, zone_id), None


class TrendItemOut(Schema):
    key: int | str | None
    label: str
    months: list[RateItemOut]


class TrendOut(Schema):
    period: str
    group_by: str
    zone: int
    months: list[str]
    items: list[TrendItemOut]


@router.get("/stats/trend", response={200: TrendOut, 403: ErrorOut, 422: ErrorOut, **AUTH_ERRORS})
def stats_trend(
    request: HttpRequest, period: str = "", group_by: str = "zone", months: int = 12, zone: int | None = None
):
    """The rates of each group for every month of the ``months`` (1–36) months up to ``period``, in one read."""
    user = caller(request)
    if group_by not in stats.GROUPS or not 1 <= months <= 36:
        return Status(422, {"detail": BAD_GROUP if group_by not in stats.GROUPS else BAD_PERIOD})
    checked, error = _checked(user, period, zone)
    if error:
        return error
    period, zone_id = checked
    labels, rows = stats.trend(user=user, zone_id=zone_id, period=period, group_by=group_by, months=months)
    items = [
        {"key": row.key, "label": row.label, "months": [cell.as_dict() for cell in row.extra["months"]]}
        for row in rows
    ]
    return {"period": period, "group_by": group_by, "zone": zone_id, "months": labels, "items": items}


class VolumeItemOut(Schema):
    key: int | str | None
    label: str
    counts: list[int]
    total: int


class VolumeOut(Schema):
    period: str
    by: str
    measure: str
    zone: int
    months: list[str]
    items: list[VolumeItemOut]


@router.get("/stats/volume", response={200: VolumeOut, 403: ErrorOut, 422: ErrorOut, **AUTH_ERRORS})
def stats_volume(request: HttpRequest, by: str = "channel", period: str = "", zone: int | None = None):
    """How many demands came in per channel or category and month over twelve months: ``measure`` says
    whether they are submitted demands (whole-zone readers) or work orders received (department staff)."""
    user = caller(request)
    if by not in stats.VOLUME_GROUPS:
        return Status(422, {"detail": BAD_VOLUME})
    checked, error = _checked(user, period, zone)
    if error:
        return error
    period, zone_id = checked
    labels, rows = stats.volume(user=user, zone_id=zone_id, period=period, by=by)
    measure = "submitted" if stats.restricted_departments(user, zone_id) is None else "received"
    return {"period": period, "by": by, "measure": measure, "zone": zone_id, "months": labels, "items": rows}


class UrgentOrderOut(Schema):
    id: int
    demand: int
    tracking_code: str
    title: str
    department: int
    department_name: str
    status: str
    close_due: datetime


@router.get(
    "/stats/orders/{urgency}",
    response={200: list[UrgentOrderOut], 403: ErrorOut, 422: ErrorOut, **AUTH_ERRORS},
)
def stats_orders(request: HttpRequest, urgency: str, zone: int | None = None, limit: int = 200):
    """Open work orders past their closure deadline (``overdue``) or due soon (``due_soon``), at most
    ``limit`` (1–1000), for the same readers as the rates."""
    user = caller(request)
    if urgency not in stats.URGENCIES or not 1 <= limit <= 1000:
        return Status(422, {"detail": BAD_URGENCY})
    checked, error = _checked(user, "", zone)
    if error:
        return error
    _period, zone_id = checked
    orders = stats.urgent_orders(user=user, zone_id=zone_id, urgency=urgency, limit=limit)
    return [
        {
            "id": order.pk,
            "demand": order.demand_id,
            "tracking_code": order.demand.tracking_code,
            "title": order.demand.title,
            "department": order.department_id,
            "department_name": order.department.name,
            "status": order.status,
            "close_due": order.close_due,
        }
        for order in orders
    ]


def _first_zone(user) -> int | None:
    scope = scope_for(user)
    readable = sorted(scope.full_zone_ids | scope.staff_zone_ids)
    return readable[0] if readable else None
