"""Who may change party-life records. Reading follows ``visible_to``; writing is narrower.

Zone admins change everything in their zone; department staff record for the organisations their department
owns (and the organisations below them); enterprise contacts for their enterprise's organisations; instructors
and leaders only read. Cadence rules, ratings and naming a brand are the working committee's: zone admins only.
``actor=None`` is the system (the demo loader, data migrations) and may do everything.
"""

from __future__ import annotations

from django.db.models import Q

from redchain.accounts.scope import scope_for
from redchain.orgs.models import PartyOrg


def administers(user, zone_id: int) -> bool:
    return user is None or scope_for(user).administers(zone_id)


def owner_condition(user) -> Q:
    """Organisations owned by the user's departments or enterprises (the roots of what they may record for)."""
    scope = scope_for(user)
    conditions = Q(pk__in=[])
    if scope.department_ids:
        conditions |= Q(owner_department_id__in=scope.department_ids)
    if scope.enterprise_ids:
        conditions |= Q(owner_enterprise_id__in=scope.enterprise_ids)
    return conditions


def may_record(user, org: PartyOrg) -> bool:
    """Whether the user may record activities and brands for ``org``."""
    if administers(user, org.zone_id):
        return True
    ancestor_ids = [int(part) for part in org.path.strip("/").split("/") if part]
    return PartyOrg.objects.filter(pk__in=ancestor_ids).filter(owner_condition(user)).exists()


def writable_orgs(user, zone_id: int):
    """The zone's organisations the user may record for, as a queryset."""
    orgs = PartyOrg.objects.filter(zone_id=zone_id)
    if administers(user, zone_id):
        return orgs
    roots = (
        PartyOrg.objects.filter(zone_id=zone_id).filter(owner_condition(user)).values_list("path", flat=True)
    )
    condition = Q(pk__in=[])
    for path in set(roots):
        condition |= Q(path__startswith=path)
    return orgs.filter(condition)
