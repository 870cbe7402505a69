"""Scoped querysets: party life follows the party organisations (``PartyOrg.objects.visible_to``).

Cadence rules are the zone's published standard, readable by every member of the zone; every other record
is visible exactly when its organisation is.
"""

from __future__ import annotations

from django.db import models

from redchain.accounts.scope import scope_for


def _orgs_visible_to(user):
    from redchain.orgs.models import PartyOrg

    return PartyOrg.objects.visible_to(user)


class _FollowsOrgQuerySet(models.QuerySet):
    def visible_to(self, user):
        if scope_for(user).is_superuser:
            return self
        return self.filter(org__in=_orgs_visible_to(user))


class ActivityQuerySet(_FollowsOrgQuerySet):
    pass


class BrandQuerySet(_FollowsOrgQuerySet):
    pass


class RatingQuerySet(_FollowsOrgQuerySet):
    pass


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        if scope_for(user).is_superuser:
            return self
        return self.filter(activity__org__in=_orgs_visible_to(user))


class CadenceRuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        return self if scope.is_superuser else self.filter(zone_id__in=scope.zone_ids)
