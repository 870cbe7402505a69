"""三率 statistics (response, resolution, satisfaction and on-time closure rates) of the caller's zone.

The definitions are in :mod:`redchain.demands.stats`; rates are fractions 0–1, or null when their
denominator is empty.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.http import HttpRequest
from ninja import Router, Schema, Status

from redchain.accounts.scope import scope_for
from redchain.api.endpoints._common import AUTH_ERRORS, caller
from redchain.api.schemas import ErrorOut
from redchain.demands import stats

router = Router(tags=["stats"])

BAD_PERIOD = "统计期须为 YYYY-MM 格式的月份 / The period must be a month written as YYYY-MM"
BAD_GROUP = "分组须为 zone、department、category、alliance 或 month / Unknown group_by"
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


class RatesOut(Schema):
    period: str
    group_by: str
    zone: int
    items: list[RateItemOut]


@router.get("/stats/rates", response={200: RatesOut, 403: ErrorOut, 422: ErrorOut, **AUTH_ERRORS})
def stats_rates(
    request: HttpRequest, period: str = "", group_by: str = "department", zone: int | None = None
):
    """三率 of one month (default: this month) grouped by zone, department, category, alliance or month.

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
    rows = stats.rates(user=user, zone_id=zone_id, period=period, group_by=group_by)
    return {"period": period, "group_by": group_by, "zone": zone_id, "items": [row.as_dict() for row in rows]}


def _first_zone(user) -> int | None:
    scope = scope_for(user)
    readable = sorted(scope.full_zone_ids | scope.staff_zone_ids)
    return readable[0] if readable else None
