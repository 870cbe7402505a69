"""Writes of the walking office. Each function is one transaction that checks permission, validates, writes,
and records its audit row; a state change re-reads its row under ``select_for_update`` first.

``actor=None`` is the system (the demo loader): it may log on behalf of a named visitor and date a visit at
any past day, but it never bypasses validation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redchain.accounts.scope import scope_for
from redchain.audit.services import audit_record, diff
from redchain.core.errors import ActionRefused, require
from redchain.demands.models import Channel, Demand
from redchain.demands.services import demand_submit
from redchain.orgs.models import Department, Enterprise
from redchain.visits import permissions as perms
from redchain.visits.models import Visit, VisitFinding

# Passed to full_clean: the related objects are instances the caller already holds, and the database enforces
# the check constraints, so validating them again would only cost queries (the demo logs hundreds of visits);
# field validation still gives the clear messages.
TRUSTED = {"validate_constraints": False}

# The fields of a visit that may change after it was logged; the enterprise may not, since findings and
# demands were raised against it.
EDITABLE_FIELDS = frozenset(
    {"visited_on", "start_time", "purpose", "place", "people_met", "companions", "summary", "internal_note"}
)


# ---------------------------------------------------------------------------------------------- visits


@transaction.atomic
def visit_create(
    *,
    actor,
    enterprise: Enterprise,
    visited_on: dt.date,
    summary: str,
    purpose: str = Visit.Purpose.ROUTINE,
    start_time: dt.time | None = None,
    department: Department | None = None,
    visitor=None,
    companions: str = "",
    place: str = "",
    people_met: str = "",
    internal_note: str = "",
) -> Visit:
    """Log a visit. The visitor is the actor; only the system names another visitor."""
    if actor is not None:
        require(perms.may_log_visit(actor, enterprise))
        visitor = actor
    elif visitor is None:
        raise ValidationError({"visitor": _("A visit needs a visitor.")})
    visit = Visit(
        zone_id=enterprise.zone_id,
        enterprise=enterprise,
        visited_on=visited_on,
        start_time=start_time,
        visitor=visitor,
        department=_department(actor=actor, visitor=visitor, zone_id=enterprise.zone_id, chosen=department),
        purpose=purpose,
        place=place.strip() or enterprise.address,
        people_met=people_met.strip(),
        companions=companions.strip(),
        summary=summary.strip(),
        internal_note=internal_note.strip(),
    )
    _check_date(actor, visit)
    visit.full_clean(exclude=["zone", "enterprise", "visitor", "department"], **TRUSTED)
    visit.save()
    audit_record(actor=actor, action="visit.create", obj=visit)
    return visit


@transaction.atomic
def visit_update(*, actor, visit: Visit, **fields: Any) -> Visit:
    """Correct a logged visit (the visitor, the department's managers or a zone admin)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    require(actor is None or perms.may_change(actor, visit))
    for name in ("place", "people_met", "companions", "summary", "internal_note"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    changes = diff(visit, fields)
    if not changes:
        return visit
    for name, value in fields.items():
        setattr(visit, name, value)
    if "visited_on" in changes:
        _check_date(actor, visit)
    visit.full_clean()
    visit.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="visit.update", obj=visit, changes=changes)
    return visit


def _department(*, actor, visitor, zone_id: int, chosen: Department | None) -> Department | None:
    """The department the visit is logged for: the chosen one if the actor may use it, else the visitor's own
    when they belong to exactly one department of the zone."""
    if chosen is not None:
        if chosen.zone_id != zone_id:
            raise ValidationError({"department": _("The department belongs to another zone.")})
        allowed = actor is None or scope_for(actor).administers(zone_id)
        if not allowed and chosen.pk not in scope_for(actor).department_ids:
            raise ValidationError({"department": _("You can log visits only for your own department.")})
        return chosen
    own = list(Department.objects.filter(pk__in=scope_for(visitor).department_ids, zone_id=zone_id)[:2])
    return own[0] if len(own) == 1 else None


def _check_date(actor, visit: Visit) -> None:
    """A visit is a record of the past: not in the future, and not long ago unless a zone admin says so."""
    today = timezone.localdate()
    if visit.visited_on is None:
        return  # full_clean reports the missing date
    if visit.visited_on > today:
        raise ValidationError({"visited_on": _("A visit cannot be dated in the future.")})
    too_old = visit.visited_on < today - dt.timedelta(days=perms.BACKDATE_DAYS)
    if too_old and actor is not None and not perms.may_backdate(actor, visit.zone_id):
        raise ValidationError(
            {
                "visited_on": _("Only a zone administrator can log a visit older than %(days)s days.")
                % {"days": perms.BACKDATE_DAYS}
            }
        )


# ---------------------------------------------------------------------------------------------- findings


@transaction.atomic
def finding_create(
    *, actor, visit: Visit, title: str, detail: str = "", urgency: str = VisitFinding.Urgency.NORMAL
) -> VisitFinding:
    """Record one problem found on the visit."""
    require(actor is None or perms.may_change(actor, visit))
    finding = VisitFinding(
        zone_id=visit.zone_id, visit=visit, title=title.strip(), detail=detail.strip(), urgency=urgency
    )
    finding.full_clean(exclude=["zone", "visit", "demand", "handled_by"], **TRUSTED)
    finding.save()
    audit_record(actor=actor, action="visit_finding.create", obj=finding, changes={"visit": [None, visit.pk]})
    return finding


def _lock(finding: VisitFinding) -> VisitFinding:
    """Re-read the finding under a row lock, so two clicks at once are serialised and the second sees the
    first one's demand (SQLite serialises writers with IMMEDIATE transactions instead)."""
    return (
        VisitFinding.objects.select_for_update(of=("self",))
        .select_related("visit", "visit__enterprise", "visit__visitor", "demand")
        .get(pk=finding.pk)
    )


@transaction.atomic
def finding_refer(
    *, actor, finding: VisitFinding, contact_name: str = "", contact_phone: str = ""
) -> tuple[Demand, bool]:
    """转为诉求: submit the finding as a demand of the closed loop and link it. Idempotent: a finding already
    turned into a demand returns that demand and ``False``; otherwise the new demand and ``True``."""
    finding = _lock(finding)
    visit = finding.visit
    require(actor is None or perms.may_change(actor, visit))
    if finding.status == VisitFinding.Status.REFERRED and finding.demand is not None:
        return finding.demand, False
    _expect_open(finding)
    enterprise = visit.enterprise
    demand = demand_submit(
        actor=actor,
        zone=enterprise.zone,
        title=finding.title,
        body=_demand_body(finding),
        channel=Channel.VISIT,
        enterprise=enterprise,
        contact_name=contact_name.strip() or enterprise.contact_name,
        contact_phone=contact_phone.strip() or enterprise.contact_phone,
    )
    _mark(finding, actor=actor, status=VisitFinding.Status.REFERRED, demand=demand)
    audit_record(
        actor=actor, action="visit_finding.refer", obj=finding, changes={"demand": [None, demand.pk]}
    )
    return demand, True


def _demand_body(finding: VisitFinding) -> str:
    visit = finding.visit
    source = _("Found on the visit of %(date)s by %(visitor)s.") % {
        "date": f"{visit.visited_on:%Y-%m-%d}",
        "visitor": visit.visitor,
    }
    return "\n\n".join(part for part in (finding.detail or finding.title, source) if part)


@transaction.atomic
def finding_resolve(*, actor, finding: VisitFinding, note: str) -> VisitFinding:
    """当场解决: the problem was settled during the visit; the note says how."""
    finding = _lock(finding)
    require(actor is None or perms.may_change(actor, finding.visit))
    _expect_open(finding)
    if not note.strip():
        raise ValidationError({"resolution_note": _("Say how the problem was resolved.")})
    _mark(finding, actor=actor, status=VisitFinding.Status.RESOLVED, resolution_note=note.strip())
    audit_record(actor=actor, action="visit_finding.resolve", obj=finding, reason=note.strip())
    return finding


@transaction.atomic
def finding_link_demand(*, actor, finding: VisitFinding, demand: Demand) -> VisitFinding:
    """Link a demand that was entered by hand (channel "on-site visit") to the finding it came from."""
    finding = _lock(finding)
    require(actor is None or scope_for(actor).administers(finding.zone_id))
    _expect_open(finding)
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.enterprise_id != finding.visit.enterprise_id or demand.channel != Channel.VISIT:
        raise ValidationError(
            {"demand": _("Only an on-site visit demand of the visited enterprise can be linked.")}
        )
    if VisitFinding.objects.filter(demand=demand).exists():
        raise ValidationError({"demand": _("This demand is already linked to a finding.")})
    _mark(finding, actor=actor, status=VisitFinding.Status.REFERRED, demand=demand)
    audit_record(actor=actor, action="visit_finding.link", obj=finding, changes={"demand": [None, demand.pk]})
    return finding


def _expect_open(finding: VisitFinding) -> None:
    if finding.status == VisitFinding.Status.RESOLVED:
        raise ActionRefused("该问题已当场解决", "This problem was already resolved on the spot")
    if finding.status != VisitFinding.Status.OPEN:
        raise ActionRefused("该问题已转为诉求", "This problem was already turned into a demand")


def _mark(finding: VisitFinding, *, actor, status: str, **fields: Any) -> None:
    finding.status = status
    finding.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    finding.handled_at = timezone.now()
    for name, value in fields.items():
        setattr(finding, name, value)
    finding.full_clean(exclude=["zone", "visit", "demand", "handled_by"], **TRUSTED)
    finding.save(update_fields=["status", "handled_by", "handled_at", "updated_at", *fields])
