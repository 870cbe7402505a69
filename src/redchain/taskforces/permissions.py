"""Who may change task forces and suggestions. Services ask here; views use it only to decide what to offer.

Zone admins change anything in their zone; department staff the organisations their department owns (and
their subtrees); enterprise contacts their own firm's organisations, since they run their company's task
forces. Leaders and alliance instructors read only. ``actor=None`` is the system (the demo loader).
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from redchain.accounts.scope import scope_for
from redchain.orgs.models import PartyOrg


def _owned_roots(user) -> Q | None:
    scope = scope_for(user)
    conditions = []
    if scope.department_ids:
        conditions.append(Q(owner_department_id__in=scope.department_ids))
    if scope.enterprise_ids:
        conditions.append(Q(owner_enterprise_id__in=scope.enterprise_ids))
    return reduce(or_, conditions) if conditions else None


def manageable_orgs(user) -> QuerySet[PartyOrg]:
    """The party organisations in which ``user`` may run task forces and handle suggestions."""
    scope = scope_for(user)
    if scope.is_superuser:
        return PartyOrg.objects.all()
    conditions = [Q(zone_id__in=scope.admin_zone_ids)]
    roots = _owned_roots(user)
    if roots is not None:
        paths = set(PartyOrg.objects.filter(roots).values_list("path", flat=True))
        conditions += [Q(path__startswith=path) for path in paths]
    return PartyOrg.objects.filter(reduce(or_, conditions))


def may_manage(user, org: PartyOrg) -> bool:
    """Whether ``user`` may change what belongs to ``org``; the system (None) always may."""
    if user is None:
        return True
    scope = scope_for(user)
    if scope.administers(org.zone_id):
        return True
    roots = _owned_roots(user)
    if roots is None:
        return False
    # An organisation is managed when it or one of its ancestors is owned by the user's department or firm.
    ancestor_ids = [int(part) for part in org.path.strip("/").split("/") if part]
    return PartyOrg.objects.filter(roots, id__in=ancestor_ids).exists()


def may_manage_anywhere(user, zone_id: int) -> bool:
    """Whether the create buttons make sense for ``user`` in this zone."""
    return manageable_orgs(user).filter(zone_id=zone_id).exists()
