"""Who may take which step of the loop. Services ask here; views and the API never decide on their own."""

from __future__ import annotations

from redchain.accounts.scope import scope_for
from redchain.core.errors import ActionRefused


class LoopError(ActionRefused):
    """A step of the loop that cannot be taken, with a message in Chinese and English ("中文 / English")."""


class TransitionNotAllowed(LoopError):
    """The step does not apply in the demand's current state (HTTP 409)."""


class NotPermitted(LoopError):
    """The user may not take this step (HTTP 404 in the API, so nothing is confirmed to outsiders)."""

    status_code = 404


def administers(user, demand) -> bool:
    return scope_for(user).administers(demand.zone_id)


def is_leader(user, demand) -> bool:
    from redchain.accounts.models import Role

    return (
        user.is_authenticated and user.memberships.filter(zone_id=demand.zone_id, role=Role.LEADER).exists()
    )


def handles(user, assignment) -> bool:
    return assignment.department_id in scope_for(user).department_ids


def leads(user, demand) -> bool:
    """The user's department holds the demand's active lead work order: the author of its final reply."""
    return any(a.is_active and a.role == "lead" and handles(user, a) for a in demand.assignments.all())


def is_contact_of(user, demand) -> bool:
    return demand.enterprise_id is not None and demand.enterprise_id in scope_for(user).enterprise_ids


def may_submit(user, *, zone_id: int, enterprise_id: int | None) -> bool:
    """Enterprise contacts for their own enterprise; zone staff (admins, leaders, department staff) for any."""
    scope = scope_for(user)
    if scope.is_superuser or zone_id in scope.full_zone_ids | scope.staff_zone_ids:
        return True
    if scope.alliance_ids and zone_id in scope.zone_ids:
        return True
    return enterprise_id is not None and enterprise_id in scope.enterprise_ids


def works_on(user, demand) -> bool:
    """The zone's admins and leaders, and departments that hold or held a work order, see internal notes."""
    scope = scope_for(user)
    if scope.reads_whole_zone(demand.zone_id):
        return True
    return any(a.department_id in scope.department_ids for a in demand.assignments.all())


def sees_contact_phone(user, demand) -> bool:
    """The full phone number: the zone's admins and the departments with an active work order."""
    scope = scope_for(user)
    if scope.administers(demand.zone_id):
        return True
    return any(a.is_active and a.department_id in scope.department_ids for a in demand.assignments.all())


def require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted("您无权执行此操作", "You may not take this step")
