"""Needs, resources and matches of the alliances (需求清单 / 资源清单, 资源共享制), their co-building projects
(项目清单) and alliance feedback into the demand loop (反馈沟通制).

Reads go through ``exchange.selectors`` (outside the caller's scope: 404), writes through
``exchange.services``: a wrong state is a 409, a step this caller may not take a 404, a bad value a 422.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from redchain.accounts.models import User
from redchain.accounts.scope import scope_for
from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import InvalidOut
from redchain.api.schemas_exchange import (
    CloseMatchIn,
    FeedbackIn,
    FeedbackOut,
    ListingFilters,
    ListingIn,
    ListingOut,
    MatchFilters,
    MatchOut,
    ProjectFilters,
    ProjectIn,
    ProjectOut,
    ReasonIn,
    WithdrawIn,
)
from redchain.core.errors import Forbidden
from redchain.exchange import selectors, services
from redchain.orgs.models import Alliance, AllianceMember, Department, Enterprise

router = Router(tags=["exchange"])

STEP_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 409: ErrorOut, 422: InvalidOut}
CREATE_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 422: InvalidOut}


def _filters(filters: ListingFilters) -> dict:
    return {
        "zone_id": filters.zone,
        "alliance_id": filters.alliance,
        "chain_id": filters.chain,
        "kind": filters.kind or "",
        "status": filters.status or "",
        "enterprise_id": filters.enterprise,
        "q": filters.q,
    }


def _alliance(user: User, pk: int | None) -> Alliance | None:
    if pk is None:
        return None
    alliance = Alliance.objects.visible_to(user).filter(pk=pk).first()
    if alliance is None:
        raise ValidationError({"alliance": "没有此联盟 / No such alliance"})
    return alliance


def _owner(user: User, payload: ListingIn, alliance: Alliance | None) -> dict:
    """The owner named in the payload; an enterprise contact or a department's staff default to their own."""
    scope = scope_for(user)
    if payload.enterprise is not None:
        firm = Enterprise.objects.visible_to(user).filter(pk=payload.enterprise).first()
        if firm is None:
            raise ValidationError(
                {"enterprise": "您可见的企业中没有此企业 / No such enterprise in your scope"}
            )
        return {"enterprise": firm}
    if payload.department is not None:
        department = Department.objects.visible_to(user).filter(pk=payload.department).first()
        if department is None:
            raise ValidationError({"department": "没有此部门 / No such department"})
        return {"department": department}
    if payload.institution:
        return {"institution": payload.institution}
    if len(scope.enterprise_ids) == 1:
        return {"enterprise": Enterprise.objects.get(pk=next(iter(scope.enterprise_ids)))}
    if len(scope.department_ids) == 1:
        return {"department": Department.objects.get(pk=next(iter(scope.department_ids)))}
    raise ValidationError(
        {"enterprise": "请指定发布单位 / Name the owner (enterprise, department or institution)"}
    )


def _post(request: HttpRequest, payload: ListingIn, post):
    user = caller(request)
    if scope_for(user).is_empty:
        raise Forbidden("您无权发布", "You may not post")
    alliance = _alliance(user, payload.alliance)
    owner = _owner(user, payload, alliance)
    unit = owner.get("enterprise") or owner.get("department")
    if alliance is not None:
        zone = alliance.zone
    elif unit is not None:
        zone = unit.zone
    else:
        # An outside institution belongs to no zone of its own: the alliance says where it posts.
        raise ValidationError(
            {"alliance": "外部机构发布须指定联盟 / An institution posts within an alliance"}
        )
    listing = post(
        actor=user,
        zone=zone,
        alliance=alliance,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        valid_until=payload.valid_until,
        amount_wan=payload.amount_wan,
        quantity=payload.quantity,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        **owner,
    )
    return Status(201, listing)


# --- needs ------------------------------------------------------------------------------------------


@router.get("/needs", response={200: list[ListingOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def needs(request: HttpRequest, filters: Query[ListingFilters]):
    """The needs lists (需求清单) the caller may see, newest first."""
    return selectors.need_list(user=caller(request), **_filters(filters))


@router.post("/needs", response={201: ListingOut, **CREATE_ERRORS})
def need_create(request: HttpRequest, payload: ListingIn):
    """Post a need in an alliance, or a firm's need to its whole chain."""
    return _post(request, payload, services.need_post)


@router.get("/needs/{id}", response={200: ListingOut, **DETAIL_ERRORS})
def need_detail(request: HttpRequest, id: int):
    return or_404(lambda: selectors.need_get(user=caller(request), pk=id))


@router.post("/needs/{id}/propose", response={200: list[MatchOut], **STEP_ERRORS})
def need_propose(request: HttpRequest, id: int):
    """Run the matcher for an open need; answers with the proposals it recorded (maybe none)."""
    user = caller(request)
    need = or_404(lambda: selectors.need_get(user=user, pk=id))
    proposals = services.need_propose(actor=user, need=need)
    return list(selectors.match_list(user=user).filter(pk__in=[m.pk for m in proposals]).order_by("-score"))


@router.post("/needs/{id}/withdraw", response={200: ListingOut, **STEP_ERRORS})
def need_withdraw(request: HttpRequest, id: int, payload: WithdrawIn):
    """Take an open need back (its owner, the alliance's instructor or the zone admin); open proposals for it
    are declined with the reason."""
    return _withdraw(request, id, payload, selectors.need_get)


def _withdraw(request: HttpRequest, id: int, payload: WithdrawIn, get):
    user = caller(request)
    listing = or_404(lambda: get(user=user, pk=id))
    services.listing_withdraw(actor=user, listing=listing, reason=payload.reason)
    return get(user=user, pk=id)


# --- resources --------------------------------------------------------------------------------------


@router.get("/resources", response={200: list[ListingOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def resources(request: HttpRequest, filters: Query[ListingFilters]):
    """The resources lists (资源清单) the caller may see, newest first."""
    return selectors.resource_list(user=caller(request), **_filters(filters))


@router.post("/resources", response={201: ListingOut, **CREATE_ERRORS})
def resource_create(request: HttpRequest, payload: ListingIn):
    return _post(request, payload, services.resource_post)


@router.get("/resources/{id}", response={200: ListingOut, **DETAIL_ERRORS})
def resource_detail(request: HttpRequest, id: int):
    return or_404(lambda: selectors.resource_get(user=caller(request), pk=id))


@router.post("/resources/{id}/withdraw", response={200: ListingOut, **STEP_ERRORS})
def resource_withdraw(request: HttpRequest, id: int, payload: WithdrawIn):
    """Take an open resource back; open proposals of it are declined with the reason."""
    return _withdraw(request, id, payload, selectors.resource_get)


# --- matches ----------------------------------------------------------------------------------------


@router.get("/matches", response={200: list[MatchOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def matches(request: HttpRequest, filters: Query[MatchFilters]):
    """Matches the caller may see: a firm only those it is a side of."""
    return selectors.match_list(
        user=caller(request),
        zone_id=filters.zone,
        alliance_id=filters.alliance,
        status=filters.status or "",
        need_id=filters.need,
        resource_id=filters.resource,
        enterprise_id=filters.enterprise,
    )


@router.get("/matches/{id}", response={200: MatchOut, **DETAIL_ERRORS})
def match_detail(request: HttpRequest, id: int):
    return or_404(lambda: selectors.match_get(user=caller(request), pk=id))


def _match_step(request: HttpRequest, id: int, action):
    user = caller(request)
    match = or_404(lambda: selectors.match_get(user=user, pk=id))
    action(user, match)
    return selectors.match_get(user=user, pk=id)


@router.post("/matches/{id}/accept", response={200: MatchOut, **STEP_ERRORS})
def match_accept(request: HttpRequest, id: int):
    """Accept for the side(s) the caller answers for; both sides make it ``accepted``."""
    return _match_step(request, id, lambda user, m: services.match_accept(actor=user, match=m))


@router.post("/matches/{id}/decline", response={200: MatchOut, **STEP_ERRORS})
def match_decline(request: HttpRequest, id: int, payload: ReasonIn):
    return _match_step(
        request, id, lambda user, m: services.match_decline(actor=user, match=m, reason=payload.reason)
    )


@router.post("/matches/{id}/close", response={200: MatchOut, **STEP_ERRORS})
def match_close(request: HttpRequest, id: int, payload: CloseMatchIn):
    """Close an accepted match with its result and figures (万元)."""

    def act(user, match):
        services.match_close(
            actor=user,
            match=match,
            result=payload.result,
            saved_wan=payload.saved_wan,
            deal_value_wan=payload.deal_value_wan,
            on=payload.closed_on,
        )

    return _match_step(request, id, act)


# --- projects ---------------------------------------------------------------------------------------


@router.get("/alliance-projects", response={200: list[ProjectOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def alliance_projects(request: HttpRequest, filters: Query[ProjectFilters]):
    """Co-building projects (项目清单) of the alliances the caller reads."""
    return selectors.project_list(
        user=caller(request), zone_id=filters.zone, alliance_id=filters.alliance, status=filters.status or ""
    )


@router.post("/alliance-projects", response={201: ProjectOut, **CREATE_ERRORS})
def alliance_project_create(request: HttpRequest, payload: ProjectIn):
    """Add a project to an alliance's list (its instructor or the zone admin)."""
    user = caller(request)
    alliance = or_404(lambda: Alliance.objects.visible_to(user).get(pk=payload.alliance))
    units = list(AllianceMember.objects.filter(alliance=alliance, pk__in=payload.units))
    if len(units) != len(set(payload.units)):
        raise ValidationError(
            {"units": "参与单位须是该联盟的成员单位 / Units must be members of the alliance"}
        )
    project = services.project_create(
        actor=user,
        alliance=alliance,
        title=payload.title,
        units=units,
        description=payload.description,
        status=payload.status,
        investment_wan=payload.investment_wan,
        started_on=payload.started_on,
        finished_on=payload.finished_on,
        outcome=payload.outcome,
    )
    return Status(201, selectors.project_get(user=user, pk=project.pk))


# --- feedback ---------------------------------------------------------------------------------------


@router.post("/alliance-feedback", response={201: FeedbackOut, **CREATE_ERRORS})
def alliance_feedback(request: HttpRequest, payload: FeedbackIn):
    """A member's feedback in an alliance (反馈沟通制): creates an alliance demand; answers its id and tracking code."""
    user = caller(request)
    alliance = or_404(lambda: Alliance.objects.visible_to(user).get(pk=payload.alliance))
    enterprise = None
    if payload.enterprise is not None:
        enterprise = Enterprise.objects.visible_to(user).filter(pk=payload.enterprise).first()
        if enterprise is None:
            raise ValidationError(
                {"enterprise": "您可见的企业中没有此企业 / No such enterprise in your scope"}
            )
    else:
        firms = scope_for(user).enterprise_ids
        if len(firms) == 1:
            enterprise = Enterprise.objects.get(pk=next(iter(firms)))
    demand = services.feedback_submit(
        actor=user,
        alliance=alliance,
        enterprise=enterprise,
        title=payload.title,
        body=payload.body,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
    )
    return Status(201, demand)
