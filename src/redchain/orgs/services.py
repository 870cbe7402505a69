"""Writes to the organisation graph. Each function is one transaction and writes its audit row.

Views, the API, the Excel importer and the demo loader call these; none of them saves models itself.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from redchain.audit.services import audit_record, diff
from redchain.core import uscc as uscc_codes
from redchain.orgs import hooks
from redchain.orgs.models import (
    Alliance,
    AllianceMember,
    Department,
    Enterprise,
    EnterpriseQualification,
    IndustryChain,
    PartyMember,
    PartyOrg,
    Zone,
)


@transaction.atomic
def zone_create(*, actor, name: str, code: str, **fields: Any) -> Zone:
    zone = Zone(name=name, code=code, **fields)
    zone.full_clean()
    zone.save()
    audit_record(actor=actor, action="zone.create", obj=zone)
    return zone


@transaction.atomic
def department_create(*, actor, zone: Zone, name: str, **fields: Any) -> Department:
    department = Department(zone=zone, name=name, **fields)
    department.full_clean()
    department.save()
    audit_record(actor=actor, action="department.create", obj=department)
    return department


@transaction.atomic
def chain_create(*, actor, zone: Zone, name: str, code: str, **fields: Any) -> IndustryChain:
    chain = IndustryChain(zone=zone, name=name, code=code, **fields)
    chain.full_clean()
    chain.save()
    audit_record(actor=actor, action="chain.create", obj=chain)
    return chain


@transaction.atomic
def enterprise_create(
    *, actor, zone: Zone, name: str, uscc: str, qualifications: list[str] | None = None, **fields: Any
) -> Enterprise:
    enterprise = Enterprise(zone=zone, name=name, uscc=uscc_codes.normalise(uscc), **fields)
    enterprise.full_clean()
    enterprise.save()
    _set_qualifications(enterprise, qualifications or [])
    audit_record(actor=actor, action="enterprise.create", obj=enterprise)
    return enterprise


@transaction.atomic
def enterprise_update(
    *, actor, enterprise: Enterprise, qualifications: list[str] | None = None, **fields: Any
) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if "uscc" in fields:
        fields["uscc"] = uscc_codes.normalise(fields["uscc"])
    changes = diff(enterprise, fields)
    with hooks.regrouping(enterprise) if {"chain", "chain_id"} & changes.keys() else nullcontext():
        for name, value in fields.items():
            setattr(enterprise, name, value)
        enterprise.full_clean()
        enterprise.save()
    if qualifications is not None:
        before = sorted(enterprise.qualifications.values_list("kind", flat=True))
        if before != sorted(qualifications):
            changes["qualifications"] = [before, sorted(qualifications)]
            _set_qualifications(enterprise, qualifications)
    if changes:
        audit_record(actor=actor, action="enterprise.update", obj=enterprise, changes=changes)
    return enterprise


def _set_qualifications(enterprise: Enterprise, kinds: list[str]) -> None:
    enterprise.qualifications.exclude(kind__in=kinds).delete()
    existing = set(enterprise.qualifications.values_list("kind", flat=True))
    EnterpriseQualification.objects.bulk_create(
        [
            EnterpriseQualification(enterprise=enterprise, kind=kind)
            for kind in dict.fromkeys(kinds)
            if kind not in existing
        ]
    )


@transaction.atomic
def party_org_create(
    *, actor, zone: Zone, name: str, kind: str, parent: PartyOrg | None = None, **fields: Any
) -> PartyOrg:
    if parent is not None and parent.zone_id != zone.pk:
        raise ValidationError({"parent": _("The parent organisation belongs to another zone.")})
    org = PartyOrg(zone=zone, name=name, kind=kind, parent=parent, **fields)
    org.full_clean(exclude=["path", "depth"])
    org.save()
    # The path holds the node's own id, so it is known only after the insert.
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    audit_record(actor=actor, action="party_org.create", obj=org)
    return org


@transaction.atomic
def party_org_move(*, actor, org: PartyOrg, new_parent: PartyOrg, reason: str = "") -> PartyOrg:
    """Re-hang ``org`` and its whole subtree under ``new_parent``, refusing cycles."""
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    new_parent = PartyOrg.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.zone_id != org.zone_id:
        raise ValidationError({"parent": _("The parent organisation belongs to another zone.")})
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organisation cannot be moved under itself or its own subtree.")}
        )
    old_parent_id, old_path = org.parent_id, org.path
    depth_shift = new_parent.depth + 1 - org.depth
    # Parent, path and depth change in one write so the row is never inconsistent, then the descendants
    # follow top-down, each after its own parent.
    org.parent, org.path, org.depth = new_parent, f"{new_parent.path}{org.pk}/", new_parent.depth + 1
    org.save(update_fields=["parent", "path", "depth"])
    descendants = PartyOrg.objects.filter(path__startswith=old_path).exclude(pk=org.pk).order_by("depth")
    for node in descendants.select_for_update():
        node.path = org.path + node.path[len(old_path) :]
        node.depth += depth_shift
        node.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="party_org.move",
        obj=org,
        changes={"parent": [old_parent_id, new_parent.pk]},
        reason=reason,
    )
    return org


@transaction.atomic
def party_member_create(*, actor, org: PartyOrg, name: str, **fields: Any) -> PartyMember:
    member = PartyMember(zone_id=org.zone_id, org=org, name=name, **fields)
    member.full_clean()
    member.save()
    audit_record(actor=actor, action="party_member.create", obj=member)
    return member


@transaction.atomic
def alliance_create(*, actor, zone: Zone, chain: IndustryChain, name: str, **fields: Any) -> Alliance:
    core = PartyOrg.objects.filter(zone=zone, kind=PartyOrg.Kind.WORKING_COMMITTEE).first()
    if core is None:
        raise ValidationError(_("The zone needs a party working committee before it can have alliances."))
    if chain.zone_id != zone.pk:
        raise ValidationError({"chain": _("The industry chain belongs to another zone.")})
    alliance = Alliance(zone=zone, chain=chain, core=core, name=name, **fields)
    alliance.full_clean()
    alliance.save()
    audit_record(actor=actor, action="alliance.create", obj=alliance)
    return alliance


@transaction.atomic
def alliance_member_add(
    *, actor, alliance: Alliance, role: str = AllianceMember.Role.MEMBER, **target: Any
) -> AllianceMember:
    """Add a member unit: party_org=, enterprise= or department=, or kind= with external_name=."""
    kind = target.pop("kind", None) or next(
        k for k in ("party_org", "enterprise", "department") if target.get(k) is not None
    )
    for key in ("party_org", "enterprise", "department"):
        unit = target.get(key)
        if unit is not None and unit.zone_id != alliance.zone_id:
            raise ValidationError(_("A member unit must belong to the alliance's zone."))
    member = AllianceMember(alliance=alliance, kind=kind, role=role, **target)
    member.full_clean()
    enterprise = target.get("enterprise")
    with hooks.regrouping(enterprise) if enterprise is not None else nullcontext():
        member.save()
    audit_record(
        actor=actor,
        action="alliance.member_add",
        obj=alliance,
        changes={"member": [None, member.display_name]},
    )
    return member
