"""Who sees which demand. ``Demand.objects.visible_to(user)`` is the only entry point.

* zone admins and leaders: every demand of their zone;
* department staff: demands that have, or had, a work order of their department;
* alliance instructors: their alliance's feedback and the demands of the alliance's member enterprises;
* enterprise contacts: their own enterprise's demands;
* and anyone: the demands they entered themselves (a handler who typed in a hotline call can follow it up).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from redchain.accounts.scope import scope_for


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user) -> DemandQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        conditions = Q(zone_id__in=scope.full_zone_ids)
        if scope.zone_ids:  # a member of some zone, so user.pk is a real id (never None, which means IS NULL)
            conditions |= Q(submitted_by_id=user.pk, zone_id__in=scope.zone_ids)
        if scope.department_ids:
            from redchain.demands.models import Assignment

            handled = Assignment.objects.filter(department_id__in=scope.department_ids).values("demand_id")
            conditions |= Q(id__in=handled)
        if scope.enterprise_ids:
            conditions |= Q(enterprise_id__in=scope.enterprise_ids)
        if scope.alliance_ids:
            from redchain.orgs.models import AllianceMember

            members = AllianceMember.objects.filter(
                alliance_id__in=scope.alliance_ids, enterprise__isnull=False
            )
            conditions |= Q(alliance_id__in=scope.alliance_ids) | Q(
                enterprise_id__in=members.values("enterprise_id")
            )
        return self.filter(conditions)


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> AssignmentQuerySet:
        return self.filter(status__in=["pending", "in_progress", "paused", "replied"])
