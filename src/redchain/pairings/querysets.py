"""Who sees which pairing. ``Pairing.objects.visible_to(user)`` is the one rule; promises and projects follow
their pairing.

* zone admins and leaders: every pairing of their zone;
* department staff: pairings whose agency party organisation belongs to their department;
* enterprise contacts: pairings whose partner is their enterprise or one of its party organisations;
* alliance instructors: pairings whose partner enterprise (or the owner of the partner branch) is a member of
  their alliance.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from redchain.accounts.scope import Scope, scope_for


def pairing_condition(scope: Scope) -> Q:
    """The visibility rule as a ``Q`` on pairings."""
    conditions = [Q(zone_id__in=scope.full_zone_ids)]
    if scope.department_ids:
        conditions.append(Q(agency_org__owner_department_id__in=scope.department_ids))
    if scope.enterprise_ids:
        conditions.append(_partner_firm_in(scope.enterprise_ids))
    if scope.alliance_ids:
        from redchain.orgs.models import AllianceMember

        members = AllianceMember.objects.filter(alliance_id__in=scope.alliance_ids, enterprise__isnull=False)
        conditions.append(_partner_firm_in(members.values("enterprise_id")))
    return reduce(or_, conditions)


def _partner_firm_in(enterprise_ids) -> Q:
    return Q(partner_enterprise_id__in=enterprise_ids) | Q(
        partner_party_org__owner_enterprise_id__in=enterprise_ids
    )


class PairingQuerySet(models.QuerySet):
    def visible_to(self, user) -> PairingQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        # Zone ids bound the rule, so a department id never reaches into another zone.
        return self.filter(pairing_condition(scope), zone_id__in=scope.zone_ids)


class PromiseQuerySet(models.QuerySet):
    def visible_to(self, user) -> PromiseQuerySet:
        from redchain.pairings.models import Pairing

        scope = scope_for(user)
        if scope.is_superuser:
            return self
        return self.filter(pairing__in=Pairing.objects.visible_to(user).values("pk"))


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        from redchain.pairings.models import Pairing

        scope = scope_for(user)
        if scope.is_superuser:
            return self
        return self.filter(pairing__in=Pairing.objects.visible_to(user).values("pk"))
