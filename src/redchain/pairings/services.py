"""Writes to pairings, their promised resources and their joint projects.

Each function is one transaction: it checks the actor may write, locks the row whose state it changes,
validates (``full_clean`` plus the date rules of records of the past), saves and writes the audit row.
``actor=None`` is the system (the demo loader) and may write anything.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from redchain.accounts.scope import scope_for
from redchain.audit.services import audit_record, diff
from redchain.core.errors import ActionRefused, require
from redchain.orgs.models import Enterprise, PartyOrg, Zone
from redchain.pairings.models import Pairing, PairingProject, PairingPromise, today

Project = PairingProject
PS = PairingProject.Status

# Which project states may follow which; "done" is final.
PROJECT_MOVES: dict[str, tuple[str, ...]] = {
    PS.PLANNED: (PS.IN_PROGRESS,),
    PS.IN_PROGRESS: (PS.DONE, PS.STALLED),
    PS.STALLED: (PS.IN_PROGRESS,),
    PS.DONE: (),
}
EDITABLE_FIELDS = ("name", "mechanism", "goals", "started_on")


# ---------------------------------------------------------------------------------------------- permission


def may_manage_org(user, org: PartyOrg) -> bool:
    """Zone admins and leaders for any agency org of their zone; department staff for their department's."""
    if user is None:
        return True
    scope = scope_for(user)
    if scope.reads_whole_zone(org.zone_id):
        return True
    return org.zone_id in scope.staff_zone_ids and org.owner_department_id in scope.department_ids


def may_manage(user, pairing: Pairing) -> bool:
    return may_manage_org(user, pairing.agency_org)


def _past(value: date | None, field: str) -> None:
    """A record of something that happened cannot be dated after today."""
    if value is not None and value > today():
        raise ValidationError({field: _("This date cannot be in the future.")})


def _require_active(pairing: Pairing) -> None:
    if not pairing.is_active:
        raise ActionRefused(
            "该结对已结束，不能再添加内容", "The pairing has ended; nothing can be added to it"
        )


def _lock_pairing(pairing: Pairing) -> Pairing:
    return Pairing.objects.select_for_update().select_related("agency_org").get(pk=pairing.pk)


# ---------------------------------------------------------------------------------------------- pairings


def _check_parties(
    *, zone: Zone, agency_org: PartyOrg, partner_enterprise: Enterprise | None, partner_party_org
) -> None:
    if agency_org.zone_id != zone.pk or agency_org.owner_kind != PartyOrg.OwnerKind.DEPARTMENT:
        raise ValidationError({"agency_org": _("Choose a party organisation of one of the zone's agencies.")})
    for field, unit in (("partner_enterprise", partner_enterprise), ("partner_party_org", partner_party_org)):
        if unit is not None and unit.zone_id != zone.pk:
            raise ValidationError({field: _("The partner belongs to another zone.")})


def _partner_label(pairing: Pairing) -> str:
    return pairing.partner_label or _("partner")


def _refuse_duplicate(pairing: Pairing) -> None:
    same = Pairing.objects.filter(
        agency_org=pairing.agency_org,
        status=Pairing.Status.ACTIVE,
        partner_kind=pairing.partner_kind,
        partner_enterprise=pairing.partner_enterprise,
        partner_party_org=pairing.partner_party_org,
        partner_name=pairing.partner_name,
    )
    if same.exists():
        raise ValidationError(_("This organisation already has an active pairing with this partner."))


@transaction.atomic
def pairing_create(
    *,
    actor,
    zone: Zone,
    agency_org: PartyOrg,
    partner_kind: str,
    started_on: date,
    partner_enterprise: Enterprise | None = None,
    partner_party_org: PartyOrg | None = None,
    partner_name: str = "",
    mechanism: str = Pairing.Mechanism.JOINT_BUILDING,
    goals: str = "",
    name: str = "",
) -> Pairing:
    """Pair an agency's party organisation with a village, community, enterprise or branch."""
    require(may_manage_org(actor, agency_org))
    _check_parties(
        zone=zone,
        agency_org=agency_org,
        partner_enterprise=partner_enterprise,
        partner_party_org=partner_party_org,
    )
    _past(started_on, "started_on")
    pairing = Pairing(
        zone=zone,
        agency_org=agency_org,
        partner_kind=partner_kind,
        partner_enterprise=partner_enterprise,
        partner_party_org=partner_party_org,
        partner_name=partner_name.strip(),
        mechanism=mechanism,
        goals=goals.strip(),
        started_on=started_on,
    )
    _require_partner(pairing)
    pairing.name = name.strip() or f"{agency_org.name}—{_partner_label(pairing)}"
    pairing.full_clean()
    _refuse_duplicate(pairing)
    pairing.save()
    audit_record(actor=actor, action="pairing.create", obj=pairing)
    return pairing


def _require_partner(pairing: Pairing) -> None:
    """The database constraint says the same; this says it in words, on the field the user filled in."""
    kind = pairing.partner_kind
    if kind == Pairing.PartnerKind.ENTERPRISE and (
        pairing.partner_enterprise is None or pairing.partner_party_org
    ):
        raise ValidationError({"partner_enterprise": _("Choose the partner enterprise.")})
    if kind == Pairing.PartnerKind.BRANCH and (
        pairing.partner_party_org is None or pairing.partner_enterprise
    ):
        raise ValidationError({"partner_party_org": _("Choose the partner party organisation.")})
    if kind in (Pairing.PartnerKind.VILLAGE, Pairing.PartnerKind.COMMUNITY):
        if not pairing.partner_name or pairing.partner_enterprise is not None:
            raise ValidationError({"partner_name": _("Name the village or community.")})
    if pairing.partner_party_org is not None and pairing.partner_party_org.pk == pairing.agency_org.pk:
        raise ValidationError({"partner_party_org": _("An organisation cannot pair with itself.")})


@transaction.atomic
def pairing_update(*, actor, pairing: Pairing, **fields: Any) -> Pairing:
    """Change the name, mechanism, goals or start date of a pairing."""
    pairing = _lock_pairing(pairing)
    require(may_manage(actor, pairing))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "started_on" in fields:
        _past(fields["started_on"], "started_on")
    changes = diff(pairing, fields)
    for name, value in fields.items():
        setattr(pairing, name, value.strip() if isinstance(value, str) else value)
    pairing.full_clean()
    if changes:
        pairing.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action="pairing.update", obj=pairing, changes=changes)
    return pairing


@transaction.atomic
def pairing_end(*, actor, pairing: Pairing, ended_on: date, note: str = "") -> Pairing:
    """Close a pairing (active → ended) with the day it ended and a closing summary."""
    pairing = _lock_pairing(pairing)
    require(may_manage(actor, pairing))
    if not pairing.is_active:
        raise ActionRefused("该结对已结束", "The pairing has already ended")
    _past(ended_on, "ended_on")
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it started.")})
    pairing.status, pairing.ended_on, pairing.end_note = Pairing.Status.ENDED, ended_on, note.strip()
    pairing.full_clean()
    pairing.save(update_fields=["status", "ended_on", "end_note", "updated_at"])
    audit_record(
        actor=actor,
        action="pairing.end",
        obj=pairing,
        changes={"status": [Pairing.Status.ACTIVE, Pairing.Status.ENDED], "ended_on": [None, str(ended_on)]},
        reason=pairing.end_note,
    )
    return pairing


# ---------------------------------------------------------------------------------------------- promises


@transaction.atomic
def promise_add(
    *,
    actor,
    pairing: Pairing,
    kind: str,
    description: str,
    promised_on: date,
    due_on: date,
    amount_wan: Decimal | None = None,
) -> PairingPromise:
    """Record a resource the agency promised (资金 in 万元, needing an amount)."""
    pairing = _lock_pairing(pairing)
    require(may_manage(actor, pairing))
    _require_active(pairing)
    _past(promised_on, "promised_on")
    if promised_on < pairing.started_on:
        raise ValidationError({"promised_on": _("A promise cannot be made before the pairing started.")})
    if due_on < promised_on:
        raise ValidationError({"due_on": _("The due date must not be before the day of the promise.")})
    if kind == PairingPromise.Kind.FUNDS and not amount_wan:
        raise ValidationError({"amount_wan": _("Promised funds need an amount in 10k yuan.")})
    promise = PairingPromise(
        zone_id=pairing.zone_id,
        pairing=pairing,
        kind=kind,
        description=description.strip(),
        amount_wan=amount_wan,
        promised_on=promised_on,
        due_on=due_on,
    )
    promise.full_clean()
    promise.save()
    audit_record(
        actor=actor,
        action="pairing.promise_add",
        obj=promise,
        changes={"pairing": [None, pairing.pk], "kind": [None, kind]},
    )
    return promise


def _delivered_status(promise: PairingPromise, *, complete: bool) -> str:
    """Funds are delivered when the money has arrived in full; other kinds when the actor says so."""
    if promise.kind == PairingPromise.Kind.FUNDS and promise.amount_wan:
        full = promise.delivered_amount_wan >= promise.amount_wan
    else:
        full = complete
    return PairingPromise.Status.DELIVERED if full else PairingPromise.Status.PARTLY_DELIVERED


@transaction.atomic
def promise_deliver(
    *,
    actor,
    promise: PairingPromise,
    delivered_on: date,
    amount_wan: Decimal | None = None,
    note: str = "",
    complete: bool = True,
) -> PairingPromise:
    """Record a delivery against a promise; several partial deliveries add up."""
    promise = (
        PairingPromise.objects.select_for_update().select_related("pairing__agency_org").get(pk=promise.pk)
    )
    require(may_manage(actor, promise.pairing))
    if promise.status == PairingPromise.Status.DELIVERED:
        raise ActionRefused("该资源已全部兑现", "This promise has been delivered in full already")
    _past(delivered_on, "delivered_on")
    if delivered_on < promise.promised_on:
        raise ValidationError({"delivered_on": _("A delivery cannot be dated before the promise.")})
    if promise.kind == PairingPromise.Kind.FUNDS and not amount_wan:
        raise ValidationError({"amount_wan": _("Say how much money (10k yuan) was delivered.")})
    if amount_wan is not None and amount_wan < 0:
        raise ValidationError({"amount_wan": _("The amount cannot be negative.")})
    before = promise.status
    promise.delivered_amount_wan += amount_wan or Decimal("0")
    promise.delivered_on = delivered_on
    promise.status = _delivered_status(promise, complete=complete)
    if note.strip():
        promise.delivery_note = "\n".join(
            filter(None, [promise.delivery_note, f"{delivered_on}: {note.strip()}"])
        )
    promise.full_clean()
    promise.save(
        update_fields=["delivered_amount_wan", "delivered_on", "status", "delivery_note", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="pairing.promise_deliver",
        obj=promise,
        changes={"status": [before, promise.status], "delivered_amount_wan": [None, str(amount_wan or 0)]},
        reason=note.strip(),
    )
    return promise


# ---------------------------------------------------------------------------------------------- projects


@transaction.atomic
def project_add(
    *,
    actor,
    pairing: Pairing,
    title: str,
    kind: str,
    started_on: date | None = None,
    investment_wan: Decimal = Decimal("0"),
    beneficiaries: int = 0,
    beneficiary_unit: str = PairingProject.BeneficiaryUnit.PEOPLE,
    outcome: str = "",
) -> PairingProject:
    """Plan a joint project; ``started_on`` is its planned start (it may lie ahead)."""
    pairing = _lock_pairing(pairing)
    require(may_manage(actor, pairing))
    _require_active(pairing)
    project = PairingProject(
        zone_id=pairing.zone_id,
        pairing=pairing,
        title=title.strip(),
        kind=kind,
        started_on=started_on,
        investment_wan=investment_wan,
        beneficiaries=beneficiaries,
        beneficiary_unit=beneficiary_unit,
        outcome=outcome.strip(),
    )
    project.full_clean()
    project.save()
    audit_record(
        actor=actor, action="pairing.project_add", obj=project, changes={"pairing": [None, pairing.pk]}
    )
    return project


def _apply_move(project: PairingProject, status: str, on: date | None) -> None:
    """Set the dates a move implies: starting dates the start, finishing dates the completion."""
    if status == PS.IN_PROGRESS and project.status == PS.PLANNED:
        if on is None:
            raise ValidationError({"on": _("Give the day the project started.")})
        _past(on, "on")
        project.started_on = on
    elif status == PS.DONE:
        if on is None:
            raise ValidationError({"on": _("Give the day the project was completed.")})
        _past(on, "on")
        if project.started_on and on < project.started_on:
            raise ValidationError({"on": _("A project cannot be completed before it started.")})
        project.completed_on = on
    project.status = status


@transaction.atomic
def project_set_status(
    *,
    actor,
    project: PairingProject,
    status: str,
    on: date | None = None,
    outcome: str | None = None,
    investment_wan: Decimal | None = None,
    beneficiaries: int | None = None,
) -> PairingProject:
    """Move a project along planned → in progress → done (or stalled and back), updating its figures."""
    project = (
        PairingProject.objects.select_for_update().select_related("pairing__agency_org").get(pk=project.pk)
    )
    require(may_manage(actor, project.pairing))
    before = project.status
    if status not in PROJECT_MOVES.get(before, ()):
        raise ActionRefused(
            f"项目当前状态为「{project.get_status_display()}」，不能改为该状态",
            f"A project that is {before} cannot become {status}",
        )
    figures = {"outcome": outcome, "investment_wan": investment_wan, "beneficiaries": beneficiaries}
    figures = {name: value for name, value in figures.items() if value is not None}
    changes = diff(project, figures)
    for name, value in figures.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    _apply_move(project, status, on)
    if status == PS.DONE and not project.outcome:
        raise ValidationError({"outcome": _("Describe the outcome of the completed project.")})
    project.full_clean()
    project.save(
        update_fields=[
            "status",
            "started_on",
            "completed_on",
            "outcome",
            "investment_wan",
            "beneficiaries",
            "updated_at",
        ]
    )
    changes["status"] = [before, status]
    audit_record(actor=actor, action="pairing.project_status", obj=project, changes=changes)
    return project
