"""Zones and their departments: the structure every member of a zone may read."""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import DepartmentFilters, DepartmentOut, ZoneOut
from redchain.orgs.selectors import department_list, zone_list

router = Router()


@router.get("/zones", response={200: list[ZoneOut], **AUTH_ERRORS}, tags=["zones"])
@paginate(LimitOffset)
def zones(request: HttpRequest):
    """Zones the caller belongs to."""
    return zone_list(user=caller(request)).order_by("name", "id")


@router.get("/zones/{id}", response={200: ZoneOut, **DETAIL_ERRORS}, tags=["zones"])
def zone_detail(request: HttpRequest, id: int):
    return or_404(lambda: zone_list(user=caller(request)).get(pk=id))


def _departments(request: HttpRequest, *, zone: int | None = None, q: str = ""):
    qs = department_list(user=caller(request), zone_id=zone)
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    # The id breaks ties between equal pinyin keys so pages never overlap.
    return qs.order_by("sort_name", "id")


@router.get("/departments", response={200: list[DepartmentOut], **AUTH_ERRORS}, tags=["departments"])
@paginate(LimitOffset)
def departments(request: HttpRequest, filters: Query[DepartmentFilters]):
    """Departments (职能部门) of the caller's zones, by pinyin of the name."""
    return _departments(request, zone=filters.zone, q=filters.q)


@router.get("/departments/{id}", response={200: DepartmentOut, **DETAIL_ERRORS}, tags=["departments"])
def department_detail(request: HttpRequest, id: int):
    return or_404(lambda: _departments(request).get(pk=id))
