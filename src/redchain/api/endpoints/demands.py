"""The demand closed loop (诉求 → 受理 → 派单 → 办理 → 答复 → 回访 → 办结) over the API.

Each step is its own ``POST`` that calls one service and answers with the demand as the caller now sees it.
The demand is looked up through the caller's scope first, so a demand outside it is a 404 before any other
answer. A step the demand's state does not allow is a 409; a step this caller may not take is a 404 (nothing
is confirmed to outsiders); a refused value is a 422 with ``{"detail", "errors": {field: [...]}}``.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Query, Router, Status
from ninja.pagination import paginate

from redchain.accounts.models import User
from redchain.accounts.scope import scope_for
from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import (
    CategoryIn,
    CloseIn,
    DecideExtensionIn,
    DemandCreatedOut,
    DemandDetailOut,
    DemandFilters,
    DemandIn,
    DemandOut,
    DispatchIn,
    ExtendIn,
    InvalidOut,
    MergeIn,
    RateIn,
    ReasonIn,
    ReplyReviewOut,
    SuperviseIn,
    TextIn,
)
from redchain.demands import permissions as perms
from redchain.demands import services
from redchain.demands.models import Category, Channel, Demand, IdempotencyKey
from redchain.demands.permissions import NotPermitted, TransitionNotAllowed
from redchain.demands.selectors import demand_get, demand_list
from redchain.orgs.models import Department, Enterprise, Zone
from redchain.routing.selectors import review_for_demand

router = Router(tags=["demands"])

STEP_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 409: ErrorOut, 422: InvalidOut}
SUBMIT_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 422: InvalidOut}


# --- lookups ----------------------------------------------------------------------------------------


def _visible(user: User, pk: int) -> Demand:
    """The demand with everything its detail shows, or 404 when it is outside the caller's scope."""
    return or_404(lambda: demand_get(user=user, pk=pk))


def _category(*, zone_id: int, value: int | str | None) -> Category | None:
    """A category of the zone by id or code; an unknown one is a 422."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    lookup = {"pk": int(text)} if text.isdigit() else {"code": text}
    category = Category.objects.filter(zone_id=zone_id, **lookup).first()
    if category is None:
        raise ValidationError({"category": "该园区没有此诉求分类 / No such category in this zone"})
    return category


def _department(*, zone_id: int, pk: int, field: str) -> Department:
    department = Department.objects.filter(zone_id=zone_id, pk=pk).first()
    if department is None:
        raise ValidationError({field: "该园区没有此部门 / No such department in this zone"})
    return department


def _aware(moment):
    """A time sent without an offset is read in the zone's time (Asia/Shanghai), never as UTC."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- submitting -------------------------------------------------------------------------------------


def _enterprise(*, user: User, uscc: str | None) -> Enterprise | None:
    """The enterprise named by USCC among those the caller may see; an enterprise contact defaults to theirs."""
    scope = scope_for(user)
    if uscc:
        enterprise = Enterprise.objects.visible_to(user).filter(uscc=uscc.strip().upper()).first()
        if enterprise is None:
            raise ValidationError(
                {
                    "enterprise_uscc": "您可见的企业中没有此统一社会信用代码 / No enterprise with this USCC in your scope"
                }
            )
        return enterprise
    if not scope.enterprise_ids or scope.full_zone_ids or scope.staff_zone_ids:
        return None
    if len(scope.enterprise_ids) > 1:
        raise ValidationError(
            {
                "enterprise_uscc": "您联系多家企业，请指定统一社会信用代码 / You represent several enterprises; name one"
            }
        )
    return Enterprise.objects.get(pk=next(iter(scope.enterprise_ids)))


def _zone(*, user: User, enterprise: Enterprise | None, zone_id: int | None) -> Zone:
    """The enterprise's zone, else the zone named, else the caller's only zone."""
    scope = scope_for(user)
    if enterprise is not None:
        if zone_id and zone_id != enterprise.zone_id:
            raise ValidationError({"zone": "企业不属于该园区 / The enterprise belongs to another zone"})
        return enterprise.zone
    if zone_id:
        if not (scope.is_superuser or zone_id in scope.zone_ids):
            raise ValidationError({"zone": "您不属于该园区 / You are not a member of that zone"})
        return Zone.objects.get(pk=zone_id)
    if len(scope.zone_ids) != 1:
        raise ValidationError(
            {"zone": "您属于多个园区，请指定 zone / You belong to several zones; pass zone"}
        )
    return Zone.objects.get(pk=next(iter(scope.zone_ids)))


def _submit(*, user: User, payload: DemandIn, idempotency_key: str) -> tuple[Demand, bool]:
    if scope_for(user).is_empty:
        raise NotPermitted("您无权提交诉求", "You may not submit demands")
    enterprise = _enterprise(user=user, uscc=payload.enterprise_uscc)
    zone = _zone(user=user, enterprise=enterprise, zone_id=payload.zone)
    own = enterprise is not None and enterprise.pk in scope_for(user).enterprise_ids
    fields: dict[str, Any] = {
        "zone": zone,
        "title": payload.title,
        "body": payload.body,
        "channel": payload.channel or (Channel.PORTAL if own else Channel.API),
        "enterprise": enterprise,
        "category": _category(zone_id=zone.pk, value=payload.category),
        "contact_name": payload.contact_name or (user.display_name if own else ""),
        "contact_phone": payload.contact_phone or (user.phone if own else ""),
        "is_emergency": payload.is_emergency,
    }
    if not idempotency_key:
        return services.demand_submit(actor=user, **fields), True
    return services.demand_submit_once(actor=user, idempotency_key=idempotency_key, **fields)


def _earlier(*, user: User, key: str) -> Demand | None:
    if not key:
        return None
    row = IdempotencyKey.objects.filter(user=user, key=key).select_related("demand").first()
    return row.demand if row else None


@router.post(
    "/demands",
    response={201: DemandCreatedOut, 200: DemandCreatedOut, **SUBMIT_ERRORS},
    summary="Submit a demand",
)
def demand_create(
    request: HttpRequest,
    payload: DemandIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
):
    """Take in a demand: **201** with its id and tracking code.

    With an ``Idempotency-Key`` header a retry of the same key by the same user creates nothing and answers
    **200** with the first demand, so a client can retry after a lost answer without a duplicate.
    """
    user = caller(request)
    key = idempotency_key.strip()
    try:
        demand, created = _submit(user=user, payload=payload, idempotency_key=key)
    except IntegrityError:
        # Two retries raced: the other request stored the key first, and its demand is the answer.
        earlier = _earlier(user=user, key=key)
        if earlier is None:
            raise
        return Status(200, earlier)
    return Status(201 if created else 200, demand)


# --- reading ----------------------------------------------------------------------------------------


@router.get("/demands", response={200: list[DemandOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def demands(request: HttpRequest, filters: Query[DemandFilters]):
    """Demands the caller may see, newest first."""
    return demand_list(
        user=caller(request),
        zone_id=filters.zone,
        status=filters.status or "",
        department_id=filters.department,
        category_id=filters.category,
        disposition=filters.disposition or "",
        channel=filters.channel or "",
        enterprise_id=filters.enterprise,
        overdue=filters.overdue,
        q=filters.q,
    )


@router.get("/demands/{id}", response={200: DemandDetailOut, **DETAIL_ERRORS})
def demand_detail(request: HttpRequest, id: int):
    """One demand with its work orders, deadlines and timeline; the phone is masked for most callers."""
    return _visible(caller(request), id)


# --- steps ------------------------------------------------------------------------------------------


def _step(request: HttpRequest, id: int, action: Callable[[User, Demand], object]) -> Demand:
    """Find the demand in scope (404 first), take the step, and answer with the demand as it now is."""
    user = caller(request)
    action(user, _visible(user, id))
    return _visible(user, id)


@router.post("/demands/{id}/accept", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_accept(request: HttpRequest, id: int, payload: CategoryIn | None = None):
    """受理 (zone admins); optionally set the category."""

    def act(user, demand):
        category = _category(zone_id=demand.zone_id, value=payload.category if payload else None)
        services.demand_accept(actor=user, demand=demand, category=category)

    return _step(request, id, act)


@router.post("/demands/{id}/reject", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_reject(request: HttpRequest, id: int, payload: ReasonIn):
    """不予受理 with a reason (zone admins)."""
    return _step(
        request, id, lambda user, d: services.demand_reject(actor=user, demand=d, reason=payload.reason)
    )


@router.post("/demands/{id}/dispatch", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_dispatch(request: HttpRequest, id: int, payload: DispatchIn):
    """派单 to a lead department with a disposition (五个办); co-handlers only for ``coordinated``."""

    def act(user, demand):
        zone_id = demand.zone_id
        services.demand_dispatch(
            actor=user,
            demand=demand,
            department=_department(zone_id=zone_id, pk=payload.department, field="department"),
            disposition=payload.disposition,
            co_departments=[
                _department(zone_id=zone_id, pk=pk, field="co_departments") for pk in payload.co_departments
            ],
            category=_category(zone_id=zone_id, value=payload.category),
        )

    return _step(request, id, act)


@router.post("/demands/{id}/contact", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_contact(request: HttpRequest, id: int):
    """First contact with the enterprise (the handling department)."""
    return _step(request, id, lambda user, d: services.assignment_contact(actor=user, demand=d))


@router.post("/demands/{id}/interim-reply", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_interim_reply(request: HttpRequest, id: int, payload: TextIn):
    """A rolling progress reply (一跟到底)."""
    return _step(
        request,
        id,
        lambda user, d: services.assignment_interim_reply(actor=user, demand=d, text=payload.text),
    )


@router.post("/demands/{id}/reply", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_reply(request: HttpRequest, id: int, payload: TextIn):
    """The lead department's final reply (答复)."""
    return _step(request, id, lambda user, d: services.demand_reply(actor=user, demand=d, text=payload.text))


@router.post("/demands/{id}/reply-review", response={200: ReplyReviewOut, **STEP_ERRORS})
def demand_reply_review(request: HttpRequest, id: int, payload: TextIn):
    """Review a draft final reply without sending it: its score, what it states and what to add.

    The same review the demand page shows once before a reply goes out; it never blocks the reply. Open to
    whoever may give the final reply (the lead department's handlers, also while the clock is paused for
    materials) while the demand is being handled: **409** in another state, **404** for anyone else.
    Nothing is written.
    """
    user = caller(request)
    demand = _visible(user, id)
    if demand.status != Demand.Status.HANDLING:
        raise TransitionNotAllowed(
            f"诉求当前状态为「{demand.get_status_display()}」，不能执行此操作",
            f"This step is not allowed while the demand is {demand.status}",
        )
    perms.require(perms.leads(user, demand))
    return review_for_demand(demand=demand, text=payload.text)


@router.post("/demands/{id}/return", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_return(request: HttpRequest, id: int, payload: ReasonIn):
    """退单: not this department's duty; a lead's return goes to the zone to arbitrate."""
    return _step(
        request, id, lambda user, d: services.assignment_return(actor=user, demand=d, reason=payload.reason)
    )


@router.post("/demands/{id}/pause", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_pause(request: HttpRequest, id: int, payload: ReasonIn):
    """Stop the closure clock while waiting for the enterprise's materials."""
    return _step(
        request, id, lambda user, d: services.assignment_pause(actor=user, demand=d, reason=payload.reason)
    )


@router.post("/demands/{id}/resume", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_resume(request: HttpRequest, id: int):
    """Materials received: the clock runs again and the deadlines move by the paused working time."""
    return _step(request, id, lambda user, d: services.assignment_resume(actor=user, demand=d))


@router.post("/demands/{id}/extend", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_extend(request: HttpRequest, id: int, payload: ExtendIn):
    """Ask for a later closure deadline (延期); the zone approves it."""

    def act(user, demand):
        services.assignment_request_extension(
            actor=user, demand=demand, until=_aware(payload.until), reason=payload.reason
        )

    return _step(request, id, act)


@router.post("/demands/{id}/approve-extension", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_approve_extension(request: HttpRequest, id: int, payload: DecideExtensionIn | None = None):
    """Approve (default) or, with ``{"approve": false}``, refuse the pending extension (zone admins)."""
    decision = payload or DecideExtensionIn(approve=True, note="")

    def act(user, demand):
        services.extension_decide(actor=user, demand=demand, approve=decision.approve, note=decision.note)

    return _step(request, id, act)


@router.post("/demands/{id}/instruct", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_instruct(request: HttpRequest, id: int, payload: TextIn):
    """A leader's instruction (批示)."""
    return _step(
        request, id, lambda user, d: services.demand_instruct(actor=user, demand=d, text=payload.text)
    )


@router.post("/demands/{id}/supervise", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_supervise(request: HttpRequest, id: int, payload: SuperviseIn):
    """A supervision order (督办) with a warning level (zone admins and leaders)."""

    def act(user, demand):
        services.demand_supervise(actor=user, demand=demand, level=int(payload.level), note=payload.note)

    return _step(request, id, act)


@router.post("/demands/{id}/rate", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_rate(request: HttpRequest, id: int, payload: RateIn):
    """The follow-up (回访): the enterprise, or zone staff on its behalf after a call."""

    def act(user, demand):
        services.demand_rate(actor=user, demand=demand, level=payload.level, comment=payload.comment)

    return _step(request, id, act)


@router.post("/demands/{id}/merge", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_merge(request: HttpRequest, id: int, payload: MergeIn):
    """Merge this duplicate into the main demand ``into`` (zone admins)."""

    def act(user, demand):
        into = Demand.objects.visible_to(user).filter(pk=payload.into).first()
        if into is None:
            raise ValidationError({"into": "没有此诉求 / No such demand"})
        services.demand_merge(actor=user, demand=demand, into=into)

    return _step(request, id, act)


@router.post("/demands/{id}/close", response={200: DemandDetailOut, **STEP_ERRORS})
def demand_close(request: HttpRequest, id: int, payload: CloseIn):
    """Close without a rating, saying whether it was solved (zone admins)."""

    def act(user, demand):
        services.demand_close(actor=user, demand=demand, solved=payload.solved, reason=payload.reason)

    return _step(request, id, act)
