"""What a user may see, computed once per request from their memberships.

Every ``visible_to(user)`` queryset method reads a :class:`Scope`; nothing else decides visibility.
This module must not import domain models at import time (orgs imports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from redchain.accounts.models import Role

_CACHE_ATTR = "_redchain_scope"


@dataclass(frozen=True)
class Scope:
    """The zones and objects a user's memberships reach."""

    zone_ids: frozenset[int] = field(default_factory=frozenset)  # any membership
    full_zone_ids: frozenset[int] = field(default_factory=frozenset)  # zone admin or leader: read everything
    admin_zone_ids: frozenset[int] = field(default_factory=frozenset)  # zone admin: may also change things
    staff_zone_ids: frozenset[int] = field(default_factory=frozenset)  # department staff
    department_ids: frozenset[int] = field(default_factory=frozenset)
    managed_department_ids: frozenset[int] = field(default_factory=frozenset)
    alliance_ids: frozenset[int] = field(default_factory=frozenset)
    enterprise_ids: frozenset[int] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.zone_ids and not self.is_superuser

    def reads_whole_zone(self, zone_id: int) -> bool:
        return self.is_superuser or zone_id in self.full_zone_ids

    def administers(self, zone_id: int) -> bool:
        return self.is_superuser or zone_id in self.admin_zone_ids


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute(user)
    if user is not None and getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after a user's memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser:
        from redchain.orgs.models import Zone

        return Scope(zone_ids=frozenset(Zone.objects.values_list("id", flat=True)), is_superuser=True)
    rows = list(
        user.memberships.values_list("zone_id", "role", "department_id", "alliance_id", "enterprise_id")
    )
    sets: dict[str, set[int]] = {name: set() for name in Scope.__dataclass_fields__ if name != "is_superuser"}
    for zone_id, role, department_id, alliance_id, enterprise_id in rows:
        sets["zone_ids"].add(zone_id)
        if role in (Role.ZONE_ADMIN, Role.LEADER):
            sets["full_zone_ids"].add(zone_id)
        if role == Role.ZONE_ADMIN:
            sets["admin_zone_ids"].add(zone_id)
        if role in (Role.DEPARTMENT_MANAGER, Role.HANDLER):
            sets["staff_zone_ids"].add(zone_id)
            sets["department_ids"].add(department_id)
        if role == Role.DEPARTMENT_MANAGER:
            sets["managed_department_ids"].add(department_id)
        if role == Role.INSTRUCTOR:
            sets["alliance_ids"].add(alliance_id)
        if role == Role.ENTERPRISE_CONTACT:
            sets["enterprise_ids"].add(enterprise_id)
    return Scope(**{name: frozenset(values) for name, values in sets.items()})  # type: ignore[arg-type]
