"""Every write of task forces and suggestions. Each function is one transaction: it checks permission, locks
the row whose state changes, validates (``full_clean``), saves and writes its audit row.

Dates are records of the past, so none may lie after today, and each step's date may not precede the step
before it (adopted on or after submission, implemented on or after adoption, finished on or after forming).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redchain.audit.services import audit_record, diff
from redchain.core.errors import ActionRefused, require
from redchain.orgs.models import Enterprise, PartyMember, PartyOrg
from redchain.taskforces.models import Suggestion, TaskForce, TaskForceMember
from redchain.taskforces.permissions import may_manage

Status = Suggestion.Status
EDITABLE_TASK_FORCE_FIELDS = {"kind", "name", "project", "goal", "formed_on", "enterprise"}
EDITABLE_SUGGESTION_FIELDS = {"title", "content", "submitted_on"}


# ---------------------------------------------------------------------------------------------- checks


def _not_future(field: str, day: dt.date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _not_before(field: str, day: dt.date, earlier: dt.date | None, message: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError({field: message})


def _same_zone(field: str, obj: Any, zone_id: int) -> None:
    if obj is not None and obj.zone_id != zone_id:
        raise ValidationError({field: _("It belongs to another zone.")})


def _benefit(value: Decimal | int | float | str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    benefit = Decimal(str(value))
    if benefit < 0:
        raise ValidationError({"benefit_wan": _("The benefit cannot be negative.")})
    return benefit


def _clean(suggestion: Suggestion) -> None:
    """Field validation only: every check constraint of a suggestion is checked explicitly by the step that
    could break it (and enforced by the database), and validating them again costs a query each, which the
    demo's six hundred suggestions feel."""
    suggestion.full_clean(validate_constraints=False)


def _refuse_unless_active(task_force: TaskForce) -> None:
    if task_force.status != TaskForce.Status.ACTIVE:
        raise ActionRefused(
            f"攻关小组已{task_force.get_status_display()}，不能再更改",
            f"The task force is {task_force.status} and can no longer change",
        )


def _refuse_unless(suggestion: Suggestion, *statuses: str) -> None:
    if suggestion.status not in statuses:
        raise ActionRefused(
            f"建议当前状态为「{suggestion.get_status_display()}」，不能执行此操作",
            f"This step is not allowed while the suggestion is {suggestion.status}",
        )


# ---------------------------------------------------------------------------------------------- task forces


@transaction.atomic
def task_force_create(
    *,
    actor,
    org: PartyOrg,
    kind: str,
    name: str,
    project: str,
    formed_on: dt.date,
    goal: str = "",
    enterprise: Enterprise | None = None,
) -> TaskForce:
    """Form a task force in ``org``; its enterprise defaults to the firm that owns the organisation."""
    require(may_manage(actor, org))
    _not_future("formed_on", formed_on)
    _same_zone("enterprise", enterprise, org.zone_id)
    task_force = TaskForce(
        zone_id=org.zone_id,
        org=org,
        enterprise=enterprise or org.owner_enterprise,
        kind=kind,
        name=name.strip(),
        project=project.strip(),
        goal=goal.strip(),
        formed_on=formed_on,
    )
    task_force.full_clean()
    task_force.save()
    audit_record(actor=actor, action="task_force.create", obj=task_force)
    return task_force


@transaction.atomic
def task_force_update(*, actor, task_force: TaskForce, **fields: Any) -> TaskForce:
    """Edit the description of an active task force (not its state, which has its own steps)."""
    unknown = set(fields) - EDITABLE_TASK_FORCE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    task_force = TaskForce.objects.select_for_update().select_related("org").get(pk=task_force.pk)
    require(may_manage(actor, task_force.org))
    _refuse_unless_active(task_force)
    _not_future("formed_on", fields.get("formed_on"))
    _same_zone("enterprise", fields.get("enterprise"), task_force.zone_id)
    changes = diff(task_force, fields)
    for name, value in fields.items():
        setattr(task_force, name, value.strip() if isinstance(value, str) else value)
    task_force.full_clean()
    task_force.save(update_fields=[*fields, "updated_at"])
    if changes:
        audit_record(actor=actor, action="task_force.update", obj=task_force, changes=changes)
    return task_force


@transaction.atomic
def task_force_add_member(
    *,
    actor,
    task_force: TaskForce,
    member: PartyMember,
    role: str = TaskForceMember.Role.MEMBER,
    joined_on: dt.date | None = None,
) -> TaskForceMember:
    """Put a party member of the zone on the team; one leader per team, each member once."""
    task_force = TaskForce.objects.select_for_update().select_related("org").get(pk=task_force.pk)
    require(may_manage(actor, task_force.org))
    _refuse_unless_active(task_force)
    _same_zone("member", member, task_force.zone_id)
    joined_on = joined_on or task_force.formed_on
    _not_future("joined_on", joined_on)
    _not_before(
        "joined_on", joined_on, task_force.formed_on, _("A member cannot join before the team formed.")
    )
    if task_force.members.filter(member=member).exists():
        raise ValidationError({"member": _("This party member is already on the task force.")})
    if role == TaskForceMember.Role.LEADER and task_force.members.filter(role=role).exists():
        raise ValidationError({"role": _("The task force already has a leader.")})
    row = TaskForceMember(
        zone_id=task_force.zone_id, task_force=task_force, member=member, role=role, joined_on=joined_on
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="task_force.member_add",
        obj=task_force,
        changes={"member": [None, member.name], "role": [None, role]},
    )
    return row


@transaction.atomic
def task_force_finish(
    *,
    actor,
    task_force: TaskForce,
    finished_on: dt.date,
    result: str,
    benefit_wan: Decimal | None = None,
) -> TaskForce:
    """Close a task force as done, with what it achieved and its benefit in 万元."""
    return _close(
        actor=actor,
        task_force=task_force,
        status=TaskForce.Status.DONE,
        finished_on=finished_on,
        result=result,
        benefit_wan=_benefit(benefit_wan),
    )


@transaction.atomic
def task_force_disband(*, actor, task_force: TaskForce, finished_on: dt.date, reason: str) -> TaskForce:
    """Dissolve a task force without a result (the project was stopped, merged, moved)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    return _close(
        actor=actor,
        task_force=task_force,
        status=TaskForce.Status.DISBANDED,
        finished_on=finished_on,
        result=reason,
        benefit_wan=None,
    )


def _close(*, actor, task_force, status, finished_on, result, benefit_wan) -> TaskForce:
    task_force = TaskForce.objects.select_for_update().select_related("org").get(pk=task_force.pk)
    require(may_manage(actor, task_force.org))
    _refuse_unless_active(task_force)
    if not result.strip():
        raise ValidationError({"result": _("Please describe the result.")})
    _not_future("finished_on", finished_on)
    _not_before(
        "finished_on", finished_on, task_force.formed_on, _("A task force cannot finish before it formed.")
    )
    before = task_force.status
    task_force.status, task_force.finished_on = status, finished_on
    task_force.result, task_force.benefit_wan = result.strip(), benefit_wan
    task_force.full_clean()
    task_force.save(update_fields=["status", "finished_on", "result", "benefit_wan", "updated_at"])
    audit_record(
        actor=actor,
        action=f"task_force.{'finish' if status == TaskForce.Status.DONE else 'disband'}",
        obj=task_force,
        changes={
            "status": [before, status],
            "benefit_wan": [None, str(benefit_wan) if benefit_wan else None],
        },
        reason=result.strip(),
    )
    return task_force


# ---------------------------------------------------------------------------------------------- suggestions


@transaction.atomic
def suggestion_submit(
    *,
    actor,
    title: str,
    content: str,
    submitted_on: dt.date,
    org: PartyOrg | None = None,
    task_force: TaskForce | None = None,
    submitter: PartyMember | None = None,
    submitter_name: str = "",
) -> Suggestion:
    """Collect a suggestion for a branch or a task force (then for the task force's branch too)."""
    if task_force is not None:
        if org is not None and org.pk != task_force.org_id:
            raise ValidationError({"task_force": _("The task force belongs to another organisation.")})
        org = task_force.org
        _refuse_unless_active(task_force)
    if org is None:
        raise ValidationError({"org": _("Choose the organisation or task force the suggestion goes to.")})
    require(may_manage(actor, org))
    _not_future("submitted_on", submitted_on)
    _same_zone("submitter", submitter, org.zone_id)
    suggestion = Suggestion(
        zone_id=org.zone_id,
        org=org,
        task_force=task_force,
        enterprise=task_force.enterprise if task_force is not None else org.owner_enterprise,
        submitter=submitter,
        submitter_name="" if submitter is not None else submitter_name.strip(),
        title=title.strip(),
        content=content.strip(),
        submitted_on=submitted_on,
    )
    if submitter is None and not suggestion.submitter_name:
        raise ValidationError({"submitter_name": _("Name the party member or staff member who made it.")})
    _clean(suggestion)
    suggestion.save()
    audit_record(actor=actor, action="suggestion.submit", obj=suggestion)
    return suggestion


def _lock(suggestion: Suggestion, actor) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().select_related("org").get(pk=suggestion.pk)
    require(may_manage(actor, suggestion.org))
    return suggestion


def _advance(
    suggestion: Suggestion, actor, action: str, fields: dict[str, Any], reason: str = ""
) -> Suggestion:
    """Write one forward step: the new state and its fields, validated, with the audit row."""
    before = suggestion.status
    changes = diff(suggestion, fields)
    for name, value in fields.items():
        setattr(suggestion, name, value)
    _clean(suggestion)
    suggestion.save(update_fields=[*fields, "updated_at"])
    changes["status"] = [before, suggestion.status]
    audit_record(actor=actor, action=f"suggestion.{action}", obj=suggestion, changes=changes, reason=reason)
    return suggestion


@transaction.atomic
def suggestion_update(*, actor, suggestion: Suggestion, **fields: Any) -> Suggestion:
    """Correct the text or date of a suggestion that has not been decided yet."""
    unknown = set(fields) - EDITABLE_SUGGESTION_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    suggestion = _lock(suggestion, actor)
    _refuse_unless(suggestion, Status.COLLECTED)
    _not_future("submitted_on", fields.get("submitted_on"))
    changes = diff(suggestion, fields)
    for name, value in fields.items():
        setattr(suggestion, name, value.strip() if isinstance(value, str) else value)
    _clean(suggestion)
    suggestion.save(update_fields=[*fields, "updated_at"])
    if changes:
        audit_record(actor=actor, action="suggestion.update", obj=suggestion, changes=changes)
    return suggestion


@transaction.atomic
def suggestion_adopt(*, actor, suggestion: Suggestion, adopted_on: dt.date) -> Suggestion:
    suggestion = _lock(suggestion, actor)
    _refuse_unless(suggestion, Status.COLLECTED)
    _not_future("adopted_on", adopted_on)
    _not_before(
        "adopted_on",
        adopted_on,
        suggestion.submitted_on,
        _("A suggestion cannot be adopted before it was made."),
    )
    return _advance(suggestion, actor, "adopt", {"status": Status.ADOPTED, "adopted_on": adopted_on})


@transaction.atomic
def suggestion_implement(
    *,
    actor,
    suggestion: Suggestion,
    implemented_on: dt.date,
    benefit_wan: Decimal | None = None,
    other_benefit: str = "",
) -> Suggestion:
    suggestion = _lock(suggestion, actor)
    _refuse_unless(suggestion, Status.ADOPTED)
    _not_future("implemented_on", implemented_on)
    _not_before(
        "implemented_on",
        implemented_on,
        suggestion.adopted_on,
        _("A suggestion cannot be implemented before it was adopted."),
    )
    fields = {
        "status": Status.IMPLEMENTED,
        "implemented_on": implemented_on,
        "benefit_wan": _benefit(benefit_wan),
        "other_benefit": other_benefit.strip(),
    }
    return _advance(suggestion, actor, "implement", fields)


@transaction.atomic
def suggestion_reject(*, actor, suggestion: Suggestion, reason: str, rejected_on: dt.date) -> Suggestion:
    """Turn a suggestion down when it is collected (not adopted) or adopted (not carried out)."""
    suggestion = _lock(suggestion, actor)
    _refuse_unless(suggestion, Status.COLLECTED, Status.ADOPTED)
    if not reason.strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    _not_future("rejected_on", rejected_on)
    _not_before(
        "rejected_on",
        rejected_on,
        suggestion.adopted_on or suggestion.submitted_on,
        _("The date cannot precede the suggestion's previous step."),
    )
    fields = {"status": Status.REJECTED, "rejected_on": rejected_on, "rejection_reason": reason.strip()}
    return _advance(suggestion, actor, "reject", fields, reason=reason.strip())
