"""Every step of the demand loop. Each is one transaction that checks permission and state under a row lock,
changes state, recomputes deadlines, writes the timeline event and the audit row, and queues notifications
after commit. A refused step raises :class:`~redchain.demands.permissions.LoopError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from redchain.audit.services import audit_record
from redchain.demands import deadlines, hooks, rollups, search
from redchain.demands import permissions as perms
from redchain.demands.calendar import WorkCalendar
from redchain.demands.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Category,
    Channel,
    Demand,
    DemandEvent,
    DemandSearch,
    Disposition,
    Extension,
    IdempotencyKey,
    Instruction,
    Rating,
    Supervision,
)
from redchain.demands.notifications import queue_notifications
from redchain.demands.permissions import NotPermitted, TransitionNotAllowed

P = ParamSpec("P")
R = TypeVar("R")
S = Demand.Status
A = Assignment.Status
E = DemandEvent.Kind


def _max_redo() -> int:
    """How often 不满意 sends a demand back to the department before the zone takes it over."""
    return settings.REDCHAIN_MAX_REDO


# ---------------------------------------------------------------------------------------------- helpers


def step(function: Callable[P, R]) -> Callable[P, R]:
    """One step of the loop: a transaction whose changes also reach the dashboards' rollup cells."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), rollups.tracking():
            return function(*args, **kwargs)

    return run


def _lock(demand: Demand) -> Demand:
    """Re-read the demand under a row lock, so two people acting at once are serialised and the second sees
    the first one's result (SQLite serialises writers with IMMEDIATE transactions instead). What the demand
    counted for in the rollup cells is noted now, before the step changes it."""
    locked = Demand.objects.select_for_update().get(pk=demand.pk)
    rollups.watch(locked.pk)
    return locked


def _expect(demand: Demand, *statuses: str) -> None:
    if demand.status not in statuses:
        raise TransitionNotAllowed(
            f"诉求当前状态为「{demand.get_status_display()}」，不能执行此操作",
            f"This step is not allowed while the demand is {demand.status}",
        )


def _event(demand, kind, *, actor, before="", text="", assignment=None, public=True) -> DemandEvent:
    """The timeline entry and the audit row of one step, in the step's transaction."""
    event = DemandEvent.objects.create(
        demand=demand,
        assignment=assignment,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=before,
        to_status=demand.status,
        text=text,
        public=public,
    )
    changes = {"status": [before, demand.status]} if before and before != demand.status else {}
    if assignment is not None:
        changes["assignment"] = [None, assignment.pk]
    audit_record(actor=actor, action=f"demand.{kind}", obj=demand, changes=changes, reason=text)
    queue_notifications(event)
    return event


def _set_status(demand: Demand, status: str, **fields) -> str:
    before = demand.status
    demand.status = status
    for name, value in fields.items():
        setattr(demand, name, value)
    demand.save(update_fields=["status", *fields])
    return before


def _calendar(demand: Demand) -> WorkCalendar:
    return WorkCalendar.for_zone(demand.zone_id)


def recompute_deadlines(assignment: Assignment, *, calendar: WorkCalendar | None = None) -> None:
    """Derive the three deadlines from the current inputs; called whenever an input changes."""
    demand = assignment.demand
    limits = deadlines.limits_for(
        zone_id=demand.zone_id, category_id=demand.category_id, disposition=demand.disposition
    )
    due = deadlines.compute(
        started_at=assignment.started_at,
        limits=limits,
        calendar=calendar or _calendar(demand),
        paused=dt.timedelta(seconds=assignment.paused_seconds),
        emergency=demand.is_emergency,
        extended_until=assignment.extended_until,
    )
    assignment.contact_due, assignment.interim_due, assignment.close_due = (
        due.contact_due,
        due.interim_due,
        due.close_due,
    )
    assignment.save(update_fields=["contact_due", "interim_due", "close_due"])


def _active_assignment(demand: Demand, actor, *, lead_only: bool = False) -> Assignment:
    """The actor's department's active work order on this demand."""
    assignments = demand.assignments.select_for_update().filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)
    for assignment in assignments:
        if perms.handles(actor, assignment) and (not lead_only or assignment.role == Assignment.Role.LEAD):
            return assignment
    raise NotPermitted(
        "您的部门没有此诉求的在办工单", "Your department has no active work order on this demand"
    )


# ---------------------------------------------------------------------------------------------- intake


@step
def demand_submit(
    *,
    actor,
    zone,
    title: str,
    body: str,
    channel: str = Channel.PORTAL,
    enterprise=None,
    category: Category | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    external_id: str = "",
    alliance=None,
    is_emergency: bool = False,
) -> Demand:
    """Take in a demand from any channel."""
    perms.require(
        actor is None
        or perms.may_submit(actor, zone_id=zone.pk, enterprise_id=getattr(enterprise, "pk", None))
    )
    if enterprise is not None and enterprise.zone_id != zone.pk:
        raise ValidationError({"enterprise": "企业不属于该园区 / The enterprise belongs to another zone"})
    demand = Demand(
        zone=zone,
        title=title.strip(),
        body=body.strip(),
        channel=channel,
        enterprise=enterprise,
        category=category,
        alliance=alliance,
        contact_name=contact_name,
        contact_phone=contact_phone,
        external_id=external_id,
        is_emergency=is_emergency,
        in_leader_queue=channel == Channel.LEADER_LINE,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Field validation here; the unique external id is left to the database (one query fewer per intake,
    # which a 12345 import of thousands of rows feels) and a clash becomes a clear error.
    demand.full_clean(exclude=["tracking_code"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            demand.save()
            rollups.watch(demand.pk, new=True)
    except IntegrityError as exc:
        raise ValidationError(
            {"external_id": "该外部工单编号已导入 / This work-order number was imported already"}
        ) from exc
    DemandSearch.objects.create(demand=demand, terms=search.terms_of(demand.title, demand.body))
    transaction.on_commit(lambda: hooks.demand_submitted.send(sender=Demand, demand=demand))
    _event(demand, E.SUBMITTED, actor=actor, text=demand.get_channel_display())
    return demand


@step
def demand_submit_once(*, actor, idempotency_key: str, **fields) -> tuple[Demand, bool]:
    """Take in a demand unless this user already sent one under ``idempotency_key``.

    Returns the demand and whether this call created it, so a client retrying after a lost answer learns
    that its first request went through. Two twins racing both pass the lookup; the unique key then fails
    the slower one's insert, its demand rolls back with this transaction and the caller answers with the
    winner's.
    """
    earlier = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).select_related("demand").first()
    if earlier is not None:
        return earlier.demand, False
    demand = demand_submit(actor=actor, **fields)
    IdempotencyKey.objects.create(user=actor, key=idempotency_key, demand=demand)
    return demand, True


# ---------------------------------------------------------------------------------------------- acceptance


@step
def demand_accept(*, actor, demand: Demand, category: Category | None = None) -> Demand:
    demand = _lock(demand)
    perms.require(perms.administers(actor, demand))
    _expect(demand, S.SUBMITTED)
    fields: dict[str, object] = {"accepted_at": timezone.now()}
    if category is not None:
        fields["category"] = category
    before = _set_status(demand, S.ACCEPTED, **fields)
    _event(demand, E.ACCEPTED, actor=actor, before=before)
    return demand


@step
def demand_reject(*, actor, demand: Demand, reason: str) -> Demand:
    demand = _lock(demand)
    perms.require(perms.administers(actor, demand))
    _expect(demand, S.SUBMITTED)
    if not reason.strip():
        raise ValidationError({"reason": "请说明不予受理的理由 / A reason is required"})
    before = _set_status(demand, S.REJECTED, reject_reason=reason.strip(), closed_at=timezone.now())
    _event(demand, E.REJECTED, actor=actor, before=before, text=reason.strip())
    return demand


@step
def demand_dispatch(
    *,
    actor,
    demand: Demand,
    department,
    disposition: str,
    co_departments: Iterable = (),
    category: Category | None = None,
) -> Demand:
    """Dispatch to a lead department (首接负责制) and, for 协调办, co-handling departments. Also re-dispatches a
    returned demand after arbitration: the old work orders are cancelled, their history kept."""
    demand = _lock(demand)
    perms.require(perms.administers(actor, demand))
    _expect(demand, S.ACCEPTED, S.RETURNED)
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": "未知的办理方式 / Unknown disposition"})
    co_departments = [d for d in co_departments if d.pk != department.pk]
    if co_departments and disposition != Disposition.COORDINATED:
        raise ValidationError(
            {"co_departments": "只有协调办可以指定协办部门 / Only coordinated handling has co-handlers"}
        )
    for dept in [department, *co_departments]:
        if dept.zone_id != demand.zone_id:
            raise ValidationError({"department": "部门不属于该园区 / The department belongs to another zone"})
    demand.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).update(
        status=A.CANCELLED, paused_at=None
    )
    now = timezone.now()
    fields = {"disposition": disposition, "dispatched_at": now}
    if category is not None:
        fields["category"] = category
    if disposition == Disposition.REPORTED:
        fields["in_leader_queue"] = True
    before = _set_status(demand, S.HANDLING, **fields)
    calendar = _calendar(demand)
    for dept, role in [
        (department, Assignment.Role.LEAD),
        *[(d, Assignment.Role.CO) for d in co_departments],
    ]:
        assignment = Assignment.objects.create(demand=demand, department=dept, role=role, started_at=now)
        recompute_deadlines(assignment, calendar=calendar)
    names = "、".join(str(d) for d in [department, *co_departments])
    _event(
        demand, E.DISPATCHED, actor=actor, before=before, text=f"{demand.get_disposition_display()}：{names}"
    )
    if disposition == Disposition.SUPERVISED:
        _supervise(
            demand,
            actor=actor,
            level=Supervision.Level.YELLOW,
            source=Supervision.Source.DISPOSITION,
            note="",
        )
    hooks.demand_dispatched.send(sender=Demand, demand=demand, department=department, actor=actor)
    return demand


# ---------------------------------------------------------------------------------------------- handling


@step
def assignment_contact(*, actor, demand: Demand) -> Assignment:
    """First contact with the enterprise (the response-rate clock stops here)."""
    demand = _lock(demand)
    _expect(demand, S.HANDLING)
    assignment = _active_assignment(demand, actor)
    if assignment.contacted_at is not None:
        raise TransitionNotAllowed("已记录首次联系", "First contact is already recorded")
    assignment.contacted_at = timezone.now()
    assignment.status = A.IN_PROGRESS if assignment.status == A.PENDING else assignment.status
    assignment.save(update_fields=["contacted_at", "status"])
    _event(demand, E.CONTACTED, actor=actor, assignment=assignment)
    return assignment


@step
def assignment_interim_reply(*, actor, demand: Demand, text: str) -> Assignment:
    """A rolling progress reply (一跟到底); it also counts as contact if none was recorded."""
    demand = _lock(demand)
    _expect(demand, S.HANDLING)
    assignment = _active_assignment(demand, actor)
    _require_text(text)
    now = timezone.now()
    assignment.first_interim_at = assignment.first_interim_at or now
    assignment.contacted_at = assignment.contacted_at or now
    if assignment.status == A.PENDING:
        assignment.status = A.IN_PROGRESS
    assignment.save(update_fields=["first_interim_at", "contacted_at", "status"])
    _event(demand, E.INTERIM_REPLY, actor=actor, assignment=assignment, text=text.strip())
    return assignment


@step
def assignment_pause(*, actor, demand: Demand, reason: str) -> Assignment:
    """Stop the closure clock while waiting for the enterprise to supply materials."""
    demand = _lock(demand)
    _expect(demand, S.HANDLING)
    assignment = _active_assignment(demand, actor)
    if assignment.status == A.PAUSED:
        raise TransitionNotAllowed("计时已暂停", "The clock is already paused")
    _require_text(reason)
    assignment.status, assignment.paused_at = A.PAUSED, timezone.now()
    assignment.contacted_at = assignment.contacted_at or assignment.paused_at
    assignment.save(update_fields=["status", "paused_at", "contacted_at"])
    _event(demand, E.PAUSED, actor=actor, assignment=assignment, text=reason.strip())
    return assignment


@step
def assignment_resume(*, actor, demand: Demand) -> Assignment:
    """Materials received: add the paused working time to the clock and recompute the deadlines."""
    demand = _lock(demand)
    _expect(demand, S.HANDLING)
    assignment = _active_assignment(demand, actor)
    if assignment.status != A.PAUSED or assignment.paused_at is None:
        raise TransitionNotAllowed("计时未暂停", "The clock is not paused")
    paused = _calendar(demand).working_time_between(assignment.paused_at, timezone.now())
    assignment.paused_seconds += int(paused.total_seconds())
    assignment.status, assignment.paused_at = A.IN_PROGRESS, None
    assignment.save(update_fields=["paused_seconds", "status", "paused_at"])
    recompute_deadlines(assignment)
    _event(demand, E.RESUMED, actor=actor, assignment=assignment)
    return assignment


@step
def assignment_request_extension(*, actor, demand: Demand, until: dt.datetime, reason: str) -> Extension:
    demand = _lock(demand)
    _expect(demand, S.HANDLING)
    assignment = _active_assignment(demand, actor)
    _require_text(reason)
    if assignment.close_due and until <= assignment.close_due:
        raise ValidationError(
            {"until": "延期后的时限须晚于当前时限 / The new deadline must be later than the current one"}
        )
    if assignment.extensions.filter(status=Extension.Status.PENDING).exists():
        raise TransitionNotAllowed("已有待审批的延期申请", "An extension request is already pending")
    extension = Extension.objects.create(
        assignment=assignment, until=until, reason=reason.strip(), requested_by=actor
    )
    _event(
        demand, E.EXTENSION_REQUESTED, actor=actor, assignment=assignment, text=reason.strip(), public=False
    )
    return extension


@step
def extension_decide(*, actor, demand: Demand, approve: bool, note: str = "") -> Extension:
    """The zone approves or refuses the pending extension; an approval recomputes the deadlines."""
    demand = _lock(demand)
    perms.require(perms.administers(actor, demand))
    extension = (
        Extension.objects.select_for_update()
        .filter(assignment__demand=demand, status=Extension.Status.PENDING)
        .select_related("assignment")
        .first()
    )
    if extension is None:
        raise TransitionNotAllowed("没有待审批的延期申请", "There is no pending extension request")
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by, extension.decided_at = actor, timezone.now()
    extension.save(update_fields=["status", "decided_by", "decided_at"])
    assignment = extension.assignment
    if approve:
        # A new deadline deserves its own warnings: the sweep may warn (and mark overdue) again.
        assignment.extended_until, assignment.warned_at, assignment.overdue_at = extension.until, None, None
        assignment.save(update_fields=["extended_until", "warned_at", "overdue_at"])
        recompute_deadlines(assignment)
    kind = E.EXTENSION_APPROVED if approve else E.EXTENSION_REFUSED
    _event(demand, kind, actor=actor, assignment=assignment, text=note, public=False)
    return extension


@step
def assignment_return(*, actor, demand: Demand, reason: str) -> Assignment:
    """退单: the department says it is not its duty. A lead's return sends the demand to the zone to arbitrate;
    a co-handler's return only ends its own work order."""
    demand = _lock(demand)
    _expect(demand, S.HANDLING)
    assignment = _active_assignment(demand, actor)
    _require_text(reason)
    assignment.status, assignment.return_reason, assignment.paused_at = A.RETURNED, reason.strip(), None
    assignment.save(update_fields=["status", "return_reason", "paused_at"])
    before = demand.status
    if assignment.role == Assignment.Role.LEAD:
        demand.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).update(
            status=A.CANCELLED, paused_at=None
        )
        _set_status(demand, S.RETURNED)
    _event(
        demand,
        E.RETURNED,
        actor=actor,
        before=before,
        assignment=assignment,
        text=reason.strip(),
        public=False,
    )
    return assignment


@step
def demand_reply(*, actor, demand: Demand, text: str) -> Demand:
    """The lead department's final reply (答复); the demand then waits for the follow-up rating."""
    demand = _lock(demand)
    _expect(demand, S.HANDLING)
    assignment = _active_assignment(demand, actor, lead_only=True)
    _require_text(text)
    if assignment.status == A.PAUSED:
        raise TransitionNotAllowed(
            "请先恢复计时（材料已收到）", "Resume the clock (materials received) first"
        )
    now = timezone.now()
    assignment.status, assignment.replied_at = A.REPLIED, now
    assignment.contacted_at = assignment.contacted_at or now
    assignment.save(update_fields=["status", "replied_at", "contacted_at"])
    before = _set_status(demand, S.REPLIED, replied_at=now)
    _event(demand, E.REPLIED, actor=actor, before=before, assignment=assignment, text=text.strip())
    return demand


# ---------------------------------------------------------------------------------------------- leaders and supervision


@step
def demand_instruct(*, actor, demand: Demand, text: str) -> Instruction:
    """A leader's instruction (批示); the handlers see it on the demand."""
    demand = _lock(demand)
    perms.require(perms.is_leader(actor, demand))
    _expect(demand, S.SUBMITTED, S.ACCEPTED, S.HANDLING, S.RETURNED, S.REPLIED)
    _require_text(text)
    instruction = Instruction.objects.create(demand=demand, leader=actor, text=text.strip())
    _event(demand, E.INSTRUCTED, actor=actor, text=text.strip(), public=False)
    return instruction


@step
def demand_supervise(*, actor, demand: Demand, level: int, note: str = "") -> Supervision:
    demand = _lock(demand)
    perms.require(perms.administers(actor, demand) or perms.is_leader(actor, demand))
    _expect(demand, S.ACCEPTED, S.HANDLING, S.RETURNED)
    if level not in Supervision.Level.values:
        raise ValidationError({"level": "预警级别为 1、2 或 3 / Level is 1, 2 or 3"})
    return _supervise(demand, actor=actor, level=level, source=Supervision.Source.MANUAL, note=note)


def _supervise(demand: Demand, *, actor, level: int, source: str, note: str, assignment=None) -> Supervision:
    supervision = Supervision.objects.create(
        demand=demand, assignment=assignment, level=level, source=source, note=note, created_by=actor
    )
    _event(
        demand,
        E.SUPERVISED,
        actor=actor,
        assignment=assignment,
        text=note or supervision.get_source_display(),
        public=False,
    )
    return supervision


# ---------------------------------------------------------------------------------------------- follow-up


@step
def demand_rate(*, actor, demand: Demand, level: str, comment: str = "") -> Demand:
    """The follow-up (回访). Satisfied or basically satisfied closes the demand as solved; unsatisfied sends it
    back to the lead department to redo (退回重办), at most ``REDCHAIN_MAX_REDO`` times, then to the zone."""
    demand = _lock(demand)
    on_behalf = not perms.is_contact_of(actor, demand)
    perms.require(not on_behalf or perms.administers(actor, demand))
    _expect(demand, S.REPLIED)
    if level not in Demand.Satisfaction.values:
        raise ValidationError({"level": "未知的满意度 / Unknown satisfaction level"})
    Rating.objects.create(
        demand=demand, level=level, comment=comment.strip(), rated_by=actor, on_behalf=on_behalf
    )
    before = demand.status
    if level != Demand.Satisfaction.UNSATISFIED:
        _set_status(demand, S.CLOSED, satisfaction=level, is_solved=True, closed_at=timezone.now())
        _finish_co_handlers(demand)
        _event(demand, E.RATED, actor=actor, before=before, text=comment.strip())
        return demand
    return _redo_or_escalate(demand, actor=actor, before=before, comment=comment.strip())


def _redo_or_escalate(demand: Demand, *, actor, before: str, comment: str) -> Demand:
    lead = demand.assignments.select_for_update().filter(role=Assignment.Role.LEAD, status=A.REPLIED).first()
    if demand.redo_count >= _max_redo() or lead is None:
        # The department has had its chances: the zone arbitrates and re-dispatches (or closes unsolved).
        if lead is not None:
            lead.status = A.CANCELLED
            lead.save(update_fields=["status"])
        _set_status(demand, S.RETURNED, satisfaction=Demand.Satisfaction.UNSATISFIED)
        _event(demand, E.ESCALATED, actor=actor, before=before, text=comment)
        return demand
    lead.status, lead.replied_at, lead.started_at = A.IN_PROGRESS, None, timezone.now()
    lead.paused_seconds, lead.extended_until, lead.warned_at, lead.overdue_at = 0, None, None, None
    lead.save(
        update_fields=[
            "status",
            "replied_at",
            "started_at",
            "paused_seconds",
            "extended_until",
            "warned_at",
            "overdue_at",
        ]
    )
    recompute_deadlines(lead)
    _set_status(
        demand,
        S.HANDLING,
        redo_count=demand.redo_count + 1,
        satisfaction=Demand.Satisfaction.UNSATISFIED,
        replied_at=None,
    )
    _event(demand, E.REDO, actor=actor, before=before, assignment=lead, text=comment)
    return demand


@step
def demand_merge(*, actor, demand: Demand, into: Demand) -> Demand:
    """Merge a duplicate into a main demand; the duplicate follows the main one from now on."""
    demand, into = _lock(demand), _lock(into)
    perms.require(perms.administers(actor, demand) and perms.administers(actor, into))
    if demand.pk == into.pk or into.zone_id != demand.zone_id or into.status in (S.MERGED, S.REJECTED):
        raise TransitionNotAllowed("不能合并到该诉求", "Cannot merge into that demand")
    _expect(demand, S.SUBMITTED, S.ACCEPTED, S.HANDLING, S.RETURNED, S.REPLIED)
    demand.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).update(
        status=A.CANCELLED, paused_at=None
    )
    before = _set_status(demand, S.MERGED, merged_into=into)
    _event(demand, E.MERGED, actor=actor, before=before, text=into.tracking_code)
    return demand


@step
def demand_close(*, actor, demand: Demand, solved: bool, reason: str = "") -> Demand:
    """The zone closes a demand without a rating (no answer after follow-up calls, or an arbitration outcome).
    Whether it was solved is stated explicitly: closed is never silently counted as solved."""
    demand = _lock(demand)
    perms.require(perms.administers(actor, demand))
    _expect(demand, S.REPLIED, S.RETURNED)
    _require_text(reason)
    before = _set_status(demand, S.CLOSED, is_solved=solved, closed_at=timezone.now())
    _finish_co_handlers(demand)
    _event(demand, E.CLOSED, actor=actor, before=before, text=reason.strip())
    return demand


def _finish_co_handlers(demand: Demand) -> None:
    """When a demand closes, every work order still open is finished with it, so no inbox keeps it forever.
    The lead's replied order stays "replied": its reply time is what the on-time rate measures."""
    demand.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).exclude(status=A.REPLIED).update(
        status=A.DONE, paused_at=None
    )


def _require_text(text: str) -> None:
    if not text or not text.strip():
        raise ValidationError({"text": "内容不能为空 / Text is required"})
