"""Scoped querysets of the alliance mechanisms: ``Model.objects.visible_to(user)`` for each model.

An alliance's records are read by the zone's admins and leaders, by its instructors, by the staff of a
department that is one of its member units, and by the contacts of an enterprise that is one of its member
units (directly or through the enterprise's party organisation). Places that belong to no alliance are the
zone's published sites and are read by every member of the zone.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from redchain.accounts.scope import Scope, scope_for


def readable_alliance_ids(scope: Scope):
    """A subquery of the alliances whose mechanisms a non-zone-wide user may read."""
    from redchain.orgs.models import AllianceMember

    units = [Q(pk__in=[])]
    if scope.department_ids:
        units.append(Q(department_id__in=scope.department_ids))
    if scope.enterprise_ids:
        units.append(Q(enterprise_id__in=scope.enterprise_ids))
        units.append(Q(party_org__owner_enterprise_id__in=scope.enterprise_ids))
    return AllianceMember.objects.filter(reduce(or_, units)).values("alliance_id")


def alliance_condition(scope: Scope, prefix: str = "") -> Q:
    """Rows of alliances the scope reads; ``prefix`` reaches the row's zone and alliance through a relation."""
    conditions = [Q(**{f"{prefix}zone_id__in": scope.full_zone_ids})]
    if scope.alliance_ids:
        conditions.append(Q(**{f"{prefix}alliance_id__in": scope.alliance_ids}))
    if scope.department_ids or scope.enterprise_ids:
        conditions.append(Q(**{f"{prefix}alliance_id__in": readable_alliance_ids(scope)}))
    return reduce(or_, conditions)


class _AllianceRecordQuerySet(models.QuerySet):
    """Rows that carry their own ``alliance``."""

    def visible_to(self, user):
        scope = scope_for(user)
        return self if scope.is_superuser else self.filter(alliance_condition(scope))


class MeetingQuerySet(_AllianceRecordQuerySet):
    pass


class ActionItemQuerySet(_AllianceRecordQuerySet):
    pass


class PactQuerySet(_AllianceRecordQuerySet):
    pass


class ActivityQuerySet(_AllianceRecordQuerySet):
    pass


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttendanceQuerySet:
        scope = scope_for(user)
        return self if scope.is_superuser else self.filter(alliance_condition(scope, "meeting__"))


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitmentQuerySet:
        scope = scope_for(user)
        return self if scope.is_superuser else self.filter(alliance_condition(scope, "pact__"))


class PlaceQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlaceQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        return self.filter(Q(zone_id__in=scope.zone_ids, alliance__isnull=True) | alliance_condition(scope))
