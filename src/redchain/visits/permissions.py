"""Who may log and change visits. Services ask here; views use the same answers to show or hide buttons.

* log a visit: zone admins and leaders (any firm of the zone), department staff (any firm: they serve them
  all), alliance instructors (the member firms of their alliance); enterprise contacts never;
* change a visit (edit it, add findings, turn a finding into a demand, resolve it on the spot): the visitor,
  the managers of the visit's department, and the zone's admins.
"""

from __future__ import annotations

from redchain.accounts.scope import scope_for
from redchain.visits.querysets import alliance_member_firms

# How far back a visit may be dated by anyone but a zone admin: the log is kept while memories are fresh.
BACKDATE_DAYS = 90


def may_log_visits(user, zone_id: int) -> bool:
    """Whether the user may log visits to some enterprise of the zone."""
    scope = scope_for(user)
    if scope.is_superuser or zone_id in scope.full_zone_ids | scope.staff_zone_ids:
        return True
    return bool(scope.alliance_ids) and zone_id in scope.zone_ids


def may_log_visit(user, enterprise) -> bool:
    scope = scope_for(user)
    zone_id = enterprise.zone_id
    if scope.is_superuser or zone_id in scope.full_zone_ids | scope.staff_zone_ids:
        return True
    if not scope.alliance_ids or zone_id not in scope.zone_ids:
        return False
    from redchain.orgs.models import Enterprise

    return Enterprise.objects.filter(pk=enterprise.pk, id__in=alliance_member_firms(scope)).exists()


def may_change(user, visit) -> bool:
    scope = scope_for(user)
    if scope.administers(visit.zone_id):
        return True
    if scope.is_empty:
        return False
    return visit.visitor_id == user.pk or (
        visit.department_id is not None and visit.department_id in scope.managed_department_ids
    )


def may_backdate(user, zone_id: int) -> bool:
    """Zone admins may log visits older than :data:`BACKDATE_DAYS` (catching up on paper records)."""
    return scope_for(user).administers(zone_id)


def sees_internal_note(user, visit) -> bool:
    """Everyone who sees the visit except a reader who sees it only as the visited enterprise's contact."""
    scope = scope_for(user)
    if scope.reads_whole_zone(visit.zone_id) or visit.visitor_id == user.pk:
        return True
    if visit.department_id is not None and visit.department_id in scope.department_ids:
        return True
    return bool(scope.alliance_ids) and visit.zone_id in scope.zone_ids
