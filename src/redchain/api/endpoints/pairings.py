"""Pairings (结对共建 / 双联双助) over the API: the list with its counts, one pairing with its promises and
projects, and one ``POST`` per workflow step, each calling one service.

The object is looked up through the caller's scope first, so anything outside it is a 404 before any other
answer; a step the caller may not take is a 404 too, a step the state does not allow a 409, a bad value a 422.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import InvalidOut
from redchain.api.schemas_pairings import (
    DeliverIn,
    EndIn,
    PairingDetailOut,
    PairingFilters,
    PairingIn,
    PairingOut,
    ProjectIn,
    ProjectOut,
    ProjectStatusIn,
    PromiseIn,
    PromiseOut,
)
from redchain.core.errors import Forbidden
from redchain.orgs.models import Enterprise, PartyOrg
from redchain.pairings import selectors, services
from redchain.pairings.models import Pairing

router = Router(tags=["pairings"])

STEP_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 409: ErrorOut, 422: InvalidOut}
CREATE_ERRORS: dict[int, type] = {**AUTH_ERRORS, 404: ErrorOut, 422: InvalidOut}


def _visible(request: HttpRequest, pk: int) -> Pairing:
    return or_404(lambda: selectors.pairing_get(user=caller(request), pk=pk))


@router.get("/pairings", response={200: list[PairingOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def pairings(request: HttpRequest, filters: Query[PairingFilters]):
    """Pairings the caller may see with their counts, in pinyin order of their names."""
    return selectors.pairing_list(
        user=caller(request),
        zone_id=filters.zone,
        department_id=filters.department,
        partner_kind=filters.partner_kind or "",
        status=filters.status or "",
        mechanism=filters.mechanism or "",
        q=filters.q,
    )


@router.get("/pairings/{id}", response={200: PairingDetailOut, **DETAIL_ERRORS})
def pairing_detail(request: HttpRequest, id: int):
    """One pairing with its promised resources and its joint projects."""
    return _visible(request, id)


def _agency_org(user, pk: int) -> PartyOrg:
    """A department-owned org the caller may pair; any other id is refused like one outside scope."""
    org = PartyOrg.objects.visible_to(user).filter(pk=pk, owner_kind=PartyOrg.OwnerKind.DEPARTMENT).first()
    if org is None or not selectors.agency_orgs(user=user, zone_id=org.zone_id).filter(pk=pk).exists():
        raise Forbidden("您不能为该党组织建立结对", "You may not create pairings for this party organisation")
    return org


def _in_zone(model, pk: int | None, zone_id: int, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, zone_id=zone_id).first()
    if found is None:
        raise ValidationError({field: "该园区没有此对象 / No such object in this zone"})
    return found


@router.post("/pairings", response={201: PairingDetailOut, **CREATE_ERRORS})
def pairing_create(request: HttpRequest, payload: PairingIn):
    """Pair an agency's party organisation (zone admins and leaders; department staff for their own orgs)."""
    user = caller(request)
    org = _agency_org(user, payload.agency_org)
    pairing = services.pairing_create(
        actor=user,
        zone=org.zone,
        agency_org=org,
        partner_kind=payload.partner_kind,
        partner_enterprise=_in_zone(
            Enterprise, payload.partner_enterprise, org.zone_id, "partner_enterprise"
        ),
        partner_party_org=_in_zone(PartyOrg, payload.partner_party_org, org.zone_id, "partner_party_org"),
        partner_name=payload.partner_name,
        mechanism=payload.mechanism,
        name=payload.name,
        goals=payload.goals,
        started_on=payload.started_on,
    )
    return Status(201, _visible(request, pairing.pk))


@router.post("/pairings/{id}/end", response={200: PairingDetailOut, **STEP_ERRORS})
def pairing_end(request: HttpRequest, id: int, payload: EndIn):
    """End an active pairing with the day it ended and a closing summary."""
    pairing = _visible(request, id)
    services.pairing_end(actor=caller(request), pairing=pairing, ended_on=payload.ended_on, note=payload.note)
    return _visible(request, id)


@router.post("/pairings/{id}/promises", response={201: PromiseOut, **STEP_ERRORS})
def pairing_promise_create(request: HttpRequest, id: int, payload: PromiseIn):
    """Record a resource promised to the partner (政策 / 资金 / 技术人才 / 物资 / 其他)."""
    pairing = _visible(request, id)
    promise = services.promise_add(actor=caller(request), pairing=pairing, **payload.dict())
    return Status(201, promise)


@router.post("/pairing-promises/{id}/deliver", response={200: PromiseOut, **STEP_ERRORS})
def pairing_promise_deliver(request: HttpRequest, id: int, payload: DeliverIn):
    """Record a delivery; funds are delivered in full once the whole amount has arrived."""
    user = caller(request)
    promise = or_404(lambda: selectors.promise_get(user=user, pk=id))
    return services.promise_deliver(actor=user, promise=promise, **payload.dict())


@router.post("/pairings/{id}/projects", response={201: ProjectOut, **STEP_ERRORS})
def pairing_project_create(request: HttpRequest, id: int, payload: ProjectIn):
    """Plan a joint project (共建项目) under the pairing."""
    pairing = _visible(request, id)
    project = services.project_add(actor=caller(request), pairing=pairing, **payload.dict())
    return Status(201, project)


@router.post("/pairing-projects/{id}/status", response={200: ProjectOut, **STEP_ERRORS})
def pairing_project_status(request: HttpRequest, id: int, payload: ProjectStatusIn):
    """Move a project: planned → in_progress → done, or in_progress ⇄ stalled."""
    user = caller(request)
    project = or_404(lambda: selectors.project_get(user=user, pk=id))
    return services.project_set_status(actor=user, project=project, **payload.dict())
