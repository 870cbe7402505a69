"""Party-member task forces (党员攻关小组) and the suggestions funnel (合理化建议) over the API.

Lists and details read through ``taskforces.selectors`` (scope follows the party organisation); each workflow
step is its own ``POST`` calling one service. Outside the caller's scope is a 404, and so is a step on a visible
object the caller may not change (an instructor, another department); a step the state does not allow is a 409;
a refused value is a 422.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from redchain.accounts.models import User
from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import InvalidOut
from redchain.api.schemas_taskforces import (
    AdoptIn,
    DisbandIn,
    FinishIn,
    FunnelFilters,
    FunnelOut,
    ImplementIn,
    MemberIn,
    RejectIn,
    SuggestionFilters,
    SuggestionIn,
    SuggestionOut,
    TaskForceDetailOut,
    TaskForceFilters,
    TaskForceIn,
    TaskForceOut,
)
from redchain.orgs.models import Enterprise, PartyMember, PartyOrg
from redchain.taskforces import selectors, services
from redchain.taskforces.models import Suggestion, TaskForce

router = Router(tags=["task forces"])

STEP_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 409: ErrorOut, 422: InvalidOut}
CREATE_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 422: InvalidOut}


# --- lookups of ids sent in a body: only among what the caller may see, else a 422 ------------------


T = TypeVar("T", PartyOrg, TaskForce, PartyMember, Enterprise)

ORG_UNKNOWN = "您可见的党组织中没有此项 / No such party organisation in your scope"
TASK_FORCE_UNKNOWN = "您可见的攻关小组中没有此项 / No such task force in your scope"
MEMBER_UNKNOWN = "您可见的党员中没有此人 / No such party member in your scope"
ENTERPRISE_UNKNOWN = "您可见的企业中没有此项 / No such enterprise in your scope"


def _visible(model: type[T], user: User, pk: int, field: str, message: str) -> T:
    obj = model.objects.visible_to(user).filter(pk=pk).first()  # type: ignore[attr-defined]
    if obj is None:
        raise ValidationError({field: message})
    return obj


def _optional(model: type[T], user: User, pk: int | None, field: str, message: str) -> T | None:
    return None if pk is None else _visible(model, user, pk, field, message)


def _task_force(user: User, pk: int) -> TaskForce:
    return or_404(lambda: selectors.task_force_get(user=user, pk=pk))


def _suggestion(user: User, pk: int) -> Suggestion:
    return or_404(lambda: selectors.suggestion_get(user=user, pk=pk))


# --- task forces ------------------------------------------------------------------------------------


@router.get("/task-forces", response={200: list[TaskForceOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def task_forces(request: HttpRequest, filters: Query[TaskForceFilters]):
    """Task forces the caller may see, by pinyin of the name."""
    return selectors.task_force_list(
        user=caller(request),
        zone_id=filters.zone,
        org_id=filters.org,
        enterprise_id=filters.enterprise,
        kind=filters.kind or "",
        status=filters.status or "",
        q=filters.q,
    )


@router.post("/task-forces", response={201: TaskForceDetailOut, **CREATE_ERRORS})
def task_force_create(request: HttpRequest, payload: TaskForceIn):
    """Form a task force in a party organisation the caller manages: **201** with the new team."""
    user = caller(request)
    task_force = services.task_force_create(
        actor=user,
        org=_visible(PartyOrg, user, payload.org, "org", ORG_UNKNOWN),
        kind=payload.kind,
        name=payload.name,
        project=payload.project,
        goal=payload.goal,
        formed_on=payload.formed_on,
        enterprise=_optional(Enterprise, user, payload.enterprise, "enterprise", ENTERPRISE_UNKNOWN),
    )
    return Status(201, _task_force(user, task_force.pk))


@router.get("/task-forces/{id}", response={200: TaskForceDetailOut, **DETAIL_ERRORS})
def task_force_detail(request: HttpRequest, id: int):
    """One task force with its members."""
    return _task_force(caller(request), id)


@router.post("/task-forces/{id}/members", response={200: TaskForceDetailOut, **STEP_ERRORS})
def task_force_member_add(request: HttpRequest, id: int, payload: MemberIn):
    """Put a party member on the team (from the organisation's subtree, or invited from another)."""
    user = caller(request)
    task_force = _task_force(user, id)
    member = _visible(PartyMember, user, payload.member, "member", MEMBER_UNKNOWN)
    services.task_force_add_member(
        actor=user, task_force=task_force, member=member, role=payload.role, joined_on=payload.joined_on
    )
    return _task_force(user, id)


@router.post("/task-forces/{id}/finish", response={200: TaskForceDetailOut, **STEP_ERRORS})
def task_force_finish(request: HttpRequest, id: int, payload: FinishIn):
    """Close the task force as done, with its result and benefit (万元)."""
    user = caller(request)
    services.task_force_finish(
        actor=user,
        task_force=_task_force(user, id),
        finished_on=payload.finished_on,
        result=payload.result,
        benefit_wan=payload.benefit_wan,
    )
    return _task_force(user, id)


@router.post("/task-forces/{id}/disband", response={200: TaskForceDetailOut, **STEP_ERRORS})
def task_force_disband(request: HttpRequest, id: int, payload: DisbandIn):
    """Dissolve the task force without a result (the project was stopped, merged or moved), with the reason."""
    user = caller(request)
    services.task_force_disband(
        actor=user, task_force=_task_force(user, id), finished_on=payload.finished_on, reason=payload.reason
    )
    return _task_force(user, id)


# --- suggestions ------------------------------------------------------------------------------------


@router.get("/suggestions/funnel", response={200: FunnelOut, **AUTH_ERRORS})
def suggestion_funnel(request: HttpRequest, filters: Query[FunnelFilters]):
    """Collected → adopted → implemented → benefit, in total and per organisation, enterprise or task force,
    ranked by implemented, then adopted, then benefit."""
    suggestions = selectors.suggestion_list(user=caller(request), zone_id=filters.zone, year=filters.year)
    return {
        "by": filters.by,
        "total": selectors.funnel_total(suggestions),
        "rows": selectors.funnel_rows(suggestions, by=filters.by),
    }


@router.get("/suggestions", response={200: list[SuggestionOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def suggestions(request: HttpRequest, filters: Query[SuggestionFilters]):
    """Suggestions the caller may see, newest first."""
    return selectors.suggestion_list(
        user=caller(request),
        zone_id=filters.zone,
        status=filters.status or "",
        org_id=filters.org,
        enterprise_id=filters.enterprise,
        task_force_id=filters.task_force,
        year=filters.year,
        q=filters.q,
    )


@router.post("/suggestions", response={201: SuggestionOut, **CREATE_ERRORS})
def suggestion_create(request: HttpRequest, payload: SuggestionIn):
    """Collect a suggestion for a party organisation or a task force: **201** with it."""
    user = caller(request)
    suggestion = services.suggestion_submit(
        actor=user,
        org=_optional(PartyOrg, user, payload.org, "org", ORG_UNKNOWN),
        task_force=_optional(TaskForce, user, payload.task_force, "task_force", TASK_FORCE_UNKNOWN),
        submitter=_optional(PartyMember, user, payload.submitter, "submitter", MEMBER_UNKNOWN),
        submitter_name=payload.submitter_name,
        title=payload.title,
        content=payload.content,
        submitted_on=payload.submitted_on,
    )
    return Status(201, _suggestion(user, suggestion.pk))


@router.get("/suggestions/{id}", response={200: SuggestionOut, **DETAIL_ERRORS})
def suggestion_detail(request: HttpRequest, id: int):
    return _suggestion(caller(request), id)


@router.post("/suggestions/{id}/adopt", response={200: SuggestionOut, **STEP_ERRORS})
def suggestion_adopt(request: HttpRequest, id: int, payload: AdoptIn):
    user = caller(request)
    services.suggestion_adopt(actor=user, suggestion=_suggestion(user, id), adopted_on=payload.adopted_on)
    return _suggestion(user, id)


@router.post("/suggestions/{id}/implement", response={200: SuggestionOut, **STEP_ERRORS})
def suggestion_implement(request: HttpRequest, id: int, payload: ImplementIn):
    user = caller(request)
    services.suggestion_implement(
        actor=user,
        suggestion=_suggestion(user, id),
        implemented_on=payload.implemented_on,
        benefit_wan=payload.benefit_wan,
        other_benefit=payload.other_benefit,
    )
    return _suggestion(user, id)


@router.post("/suggestions/{id}/reject", response={200: SuggestionOut, **STEP_ERRORS})
def suggestion_reject(request: HttpRequest, id: int, payload: RejectIn):
    """Turn the suggestion down, when collected or adopted, with a reason."""
    user = caller(request)
    services.suggestion_reject(
        actor=user, suggestion=_suggestion(user, id), reason=payload.reason, rejected_on=payload.rejected_on
    )
    return _suggestion(user, id)
