"""Party life over the API: activities with their roll calls, the missed-cadence list, brands and ratings.

Everything follows the party organisations the caller may see; recording follows the same rule as the pages
(zone admins, and department or enterprise staff for the organisations they own).
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from redchain.accounts.models import User
from redchain.accounts.scope import scope_for
from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import MAX_LIMIT, LimitOffset
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import InvalidOut
from redchain.api.schemas_partylife import (
    ActivityDetailOut,
    ActivityFilters,
    ActivityIn,
    ActivityOut,
    BrandFilters,
    BrandOut,
    ComplianceFilters,
    ComplianceOut,
    RatingFilters,
    RatingOut,
)
from redchain.orgs.models import PartyOrg
from redchain.partylife import compliance, selectors, services

router = Router(tags=["party life"])

WRITE_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 409: ErrorOut, 422: InvalidOut}


@router.get("/party-activities", response={200: list[ActivityOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def party_activities(request: HttpRequest, filters: Query[ActivityFilters]):
    """Activities (三会一课, 主题党日 …) of the organisations the caller sees, newest first."""
    return selectors.activity_list(
        user=caller(request),
        zone_id=filters.zone,
        org_id=filters.org,
        kind=filters.kind or "",
        month=compliance.parse_month(filters.month),
        q=filters.q,
    )


@router.get("/party-activities/{id}", response={200: ActivityDetailOut, **DETAIL_ERRORS})
def party_activity_detail(request: HttpRequest, id: int):
    """One activity with its roll call."""
    return or_404(lambda: selectors.activity_get(user=caller(request), pk=id))


@router.post("/party-activities", response={201: ActivityDetailOut, **WRITE_ERRORS})
def party_activity_record(request: HttpRequest, payload: ActivityIn):
    """Record an activity with its roll call: **201** with the activity as stored."""
    user = caller(request)
    org = or_404(lambda: PartyOrg.objects.visible_to(user).get(pk=payload.org_id))
    attendance = {row.member_id: str(row.status) for row in payload.attendance}
    if len(attendance) != len(payload.attendance):
        raise ValidationError({"attendance": "每名党员只能出现一次 / Each member may appear only once"})
    activity = services.activity_record(
        actor=user,
        org=org,
        kind=str(payload.kind),
        title=payload.title,
        held_on=payload.held_on,
        place=payload.place,
        topic=payload.topic,
        host=payload.host,
        content=payload.content,
        attendance=attendance,
    )
    return Status(201, selectors.activity_get(user=user, pk=activity.pk))


def _zone_id(user: User, zone: int | None) -> int | None:
    """The zone named, else the caller's only zone; None for a caller who is a member of no zone."""
    zone_ids = scope_for(user).zone_ids
    if zone is not None:
        if zone not in zone_ids:
            raise ValidationError({"zone": "您不属于该园区 / You are not a member of that zone"})
        return zone
    if not zone_ids:
        return None
    if len(zone_ids) != 1:
        raise ValidationError(
            {"zone": "您属于多个园区，请指定 zone / You belong to several zones; pass zone"}
        )
    return next(iter(zone_ids))


@router.get("/compliance", response={200: ComplianceOut, **AUTH_ERRORS, 422: InvalidOut})
def compliance_list(request: HttpRequest, filters: Query[ComplianceFilters], page: Query[LimitOffset.Input]):
    """The missed-cadence list: each (organisation, rule) pair the organisation did not keep in the window
    of the rule ending with ``month``, with the last time it was held; paginated like every collection."""
    user = caller(request)
    zone_id = _zone_id(user, filters.zone)
    if zone_id is None:  # no membership: nothing to see, as in every other collection
        month = compliance.parse_month(filters.month) or compliance.add_months(
            timezone.localdate().replace(day=1), -1
        )
        return {"month": f"{month:%Y-%m}", "checked": 0, "count": 0, "counts_by_kind": {}, "items": []}
    month = compliance.parse_month(filters.month) or selectors.default_month(user=user, zone_id=zone_id)
    report = selectors.compliance_report(user=user, zone_id=zone_id, month=month, kind=filters.kind or "")
    limit = min(page.limit, MAX_LIMIT)
    return {
        "month": f"{month:%Y-%m}",
        "checked": report.checked_total,
        "count": len(report.misses),
        "counts_by_kind": {kind: n for kind, n in report.missed.items() if n},
        "items": [_miss(miss) for miss in report.misses[page.offset : page.offset + limit]],
    }


def _miss(miss: compliance.Miss) -> dict:
    return {
        "org": {"id": miss.org.pk, "name": miss.org.name},
        "org_kind": miss.org.kind,
        "kind": miss.rule.kind,
        "every_months": miss.rule.every_months,
        "window_start": miss.window_start,
        "window_end": miss.window_end,
        "held": miss.held,
        "last_held_on": miss.last_held_on,
    }


@router.get("/branch-brands", response={200: list[BrandOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def branch_brands(request: HttpRequest, filters: Query[BrandFilters]):
    """Branch brands (一支部一品牌) of the organisations the caller sees, by pinyin of the name."""
    qs = selectors.brand_list(
        user=caller(request), zone_id=filters.zone, status=filters.status or "", q=filters.q
    )
    return qs.filter(org_id=filters.org) if filters.org else qs


@router.get("/branch-ratings", response={200: list[RatingOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def branch_ratings(request: HttpRequest, filters: Query[RatingFilters]):
    """Yearly star ratings of the branches the caller sees, latest year and highest score first."""
    qs = selectors.rating_list(
        user=caller(request), zone_id=filters.zone, year=filters.year, level=filters.level
    )
    return qs.filter(org_id=filters.org) if filters.org else qs
