"""行走的办公室: on-site visits to enterprises and the problems found on them, over the API.

A visit or finding outside the caller's scope is a 404 before any other answer; a caller who sees a visit but
may not change it also gets a 404 on the writing endpoints (nothing is confirmed); a step the finding's state
does not allow is a 409; a refused value is a 422 with ``{"detail", "errors": {field: [...]}}``.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from redchain.accounts.models import User
from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import InvalidOut
from redchain.api.schemas_visits import (
    FindingDemandOut,
    FindingIn,
    FindingOut,
    ReferIn,
    ResolveIn,
    VisitDetailOut,
    VisitFilters,
    VisitIn,
    VisitOut,
)
from redchain.orgs.models import Department, Enterprise
from redchain.visits import selectors, services
from redchain.visits.models import Visit, VisitFinding

router = Router(tags=["visits"])

WRITE_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 422: InvalidOut}
STEP_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 409: ErrorOut, 422: InvalidOut}


def _visit(user: User, pk: int) -> Visit:
    """The visit with its findings and the demands the caller may see, or 404."""
    visit = or_404(lambda: selectors.visit_get(user=user, pk=pk))
    selectors.attach_demands(user=user, findings=visit.findings.all())
    return visit


def _finding(user: User, pk: int) -> VisitFinding:
    finding = or_404(lambda: selectors.finding_get(user=user, pk=pk))
    selectors.attach_demands(user=user, findings=[finding])
    return finding


def _month(value: str | None) -> dt.date | None:
    return dt.date(int(value[:4]), int(value[5:7]), 1) if value else None


@router.get("/visits", response={200: list[VisitOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def visits(request: HttpRequest, filters: Query[VisitFilters]):
    """Visits the caller may see, newest first, with their finding counts."""
    return selectors.visit_list(
        user=caller(request),
        zone_id=filters.zone,
        department_id=filters.department,
        enterprise_id=filters.enterprise,
        visitor_id=filters.visitor,
        month=_month(filters.month),
        open_findings=filters.open_findings,
        purpose=filters.purpose or "",
    )


@router.get("/visits/{id}", response={200: VisitDetailOut, **DETAIL_ERRORS})
def visit_detail(request: HttpRequest, id: int):
    """One visit with its findings and, where the caller may see them, the demands they became."""
    return _visit(caller(request), id)


def _enterprise(user: User, pk: int) -> Enterprise:
    enterprise = Enterprise.objects.visible_to(user).filter(pk=pk).first()
    if enterprise is None:
        raise ValidationError({"enterprise": "您可见的企业中没有此企业 / No such enterprise in your scope"})
    return enterprise


def _department(zone_id: int, pk: int | None) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(zone_id=zone_id, pk=pk).first()
    if department is None:
        raise ValidationError({"department": "该园区没有此部门 / No such department in this zone"})
    return department


@router.post("/visits", response={201: VisitDetailOut, **WRITE_ERRORS}, summary="Log a visit")
def visit_create(request: HttpRequest, payload: VisitIn):
    """Log a visit, with its findings if given, in one transaction: **201** with the visit."""
    user = caller(request)
    enterprise = _enterprise(user, payload.enterprise)
    fields = payload.dict(exclude={"enterprise", "department", "findings"})
    with transaction.atomic():
        visit = services.visit_create(
            actor=user,
            enterprise=enterprise,
            department=_department(enterprise.zone_id, payload.department),
            **fields,
        )
        for finding in payload.findings:
            services.finding_create(actor=user, visit=visit, **finding.dict())
    return Status(201, _visit(user, visit.pk))


@router.post("/visits/{id}/findings", response={201: FindingOut, **WRITE_ERRORS}, summary="Add a finding")
def visit_finding_create(request: HttpRequest, id: int, payload: FindingIn):
    """Record a problem found on the visit (the visitor, the department's managers, zone admins)."""
    user = caller(request)
    finding = services.finding_create(actor=user, visit=_visit(user, id), **payload.dict())
    return Status(201, _finding(user, finding.pk))


@router.post(
    "/visit-findings/{id}/demand",
    response={201: FindingDemandOut, 200: FindingDemandOut, **STEP_ERRORS},
    summary="Turn a finding into a demand",
)
def visit_finding_demand(request: HttpRequest, id: int, payload: ReferIn | None = None):
    """转为诉求: **201** with the new demand's id and tracking code; a repeat answers **200** with the same
    demand and creates nothing. A finding resolved on the spot is a 409."""
    user = caller(request)
    demand, created = services.finding_refer(
        actor=user,
        finding=_finding(user, id),
        contact_name=payload.contact_name if payload else "",
        contact_phone=payload.contact_phone if payload else "",
    )
    body = {
        "finding_id": id,
        "demand_id": demand.pk,
        "tracking_code": demand.tracking_code,
        "created": created,
    }
    return Status(201 if created else 200, body)


@router.post(
    "/visit-findings/{id}/resolve", response={200: FindingOut, **STEP_ERRORS}, summary="Resolve on the spot"
)
def visit_finding_resolve(request: HttpRequest, id: int, payload: ResolveIn):
    """当场解决 with a note; a finding already turned into a demand or resolved is a 409."""
    user = caller(request)
    services.finding_resolve(actor=user, finding=_finding(user, id), note=payload.note)
    return _finding(user, id)
