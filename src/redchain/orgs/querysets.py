"""Scoped querysets: ``Model.objects.visible_to(user)`` is the one entry point for visibility.

The rule, documented in docs/ARCHITECTURE.md ("Scopes"):

* The zone's structure — zones, departments, industry chains, alliances — is visible to every member of
  the zone: it is what the zone publishes about itself.
* Records about particular firms and people are scoped: zone admins and leaders see all of their zone;
  department staff see every enterprise (they serve them all) but only the party organisations their
  department owns; an alliance instructor sees the alliance's member enterprises, its chain's enterprises
  and the member party organisations; an enterprise contact sees only their own enterprise and its party
  organisations. Party members follow their organisation.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from redchain.accounts.scope import Scope, scope_for


def _any(conditions: list[Q]) -> Q:
    """OR the conditions together; an empty list matches nothing."""
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


class ZoneQuerySet(models.QuerySet):
    def visible_to(self, user) -> ZoneQuerySet:
        scope = scope_for(user)
        return self if scope.is_superuser else self.filter(id__in=scope.zone_ids)


class _ZonePublicQuerySet(models.QuerySet):
    """Structure every member of a zone may read."""

    def visible_to(self, user):
        scope = scope_for(user)
        return self if scope.is_superuser else self.filter(zone_id__in=scope.zone_ids)


class DepartmentQuerySet(_ZonePublicQuerySet):
    pass


class IndustryChainQuerySet(_ZonePublicQuerySet):
    pass


class AllianceQuerySet(_ZonePublicQuerySet):
    pass


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnterpriseQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        return self.filter(_enterprise_condition(scope))

    def search(self, query: str) -> EnterpriseQuerySet:
        """Chinese name fragments, pinyin, pinyin initials or a USCC prefix."""
        query = query.strip()
        if not query:
            return self
        return self.filter(
            Q(name__icontains=query)
            | Q(search_text__contains=query.lower())
            | Q(uscc__startswith=query.upper())
        )


def _enterprise_condition(scope: Scope) -> Q:
    conditions = [Q(zone_id__in=scope.full_zone_ids | scope.staff_zone_ids)]
    if scope.enterprise_ids:
        conditions.append(Q(id__in=scope.enterprise_ids))
    if scope.alliance_ids:
        # Subqueries rather than joins, so no row is repeated and no DISTINCT is needed.
        from redchain.orgs.models import Alliance, AllianceMember

        members = AllianceMember.objects.filter(alliance_id__in=scope.alliance_ids, enterprise__isnull=False)
        chains = Alliance.objects.filter(id__in=scope.alliance_ids).values("chain_id")
        conditions.append(Q(id__in=members.values("enterprise_id")) | Q(chain_id__in=chains))
    return _any(conditions)


class PartyOrgQuerySet(models.QuerySet):
    def visible_to(self, user) -> PartyOrgQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        conditions = [Q(zone_id__in=scope.full_zone_ids)]
        roots = self.model._default_manager.filter(_scoped_root_condition(scope)).values_list(
            "path", flat=True
        )
        conditions += [Q(path__startswith=path) for path in set(roots)]
        return self.filter(_any(conditions))

    def subtree_of(self, org) -> PartyOrgQuerySet:
        return self.filter(path__startswith=org.path)


def _scoped_root_condition(scope: Scope) -> Q:
    """Party orgs whose whole subtree a non-zone-wide user may see."""
    conditions = []
    if scope.department_ids:
        conditions.append(Q(owner_department_id__in=scope.department_ids))
    if scope.enterprise_ids:
        conditions.append(Q(owner_enterprise_id__in=scope.enterprise_ids))
    if scope.alliance_ids:
        from redchain.orgs.models import AllianceMember

        members = AllianceMember.objects.filter(alliance_id__in=scope.alliance_ids)
        conditions.append(Q(id__in=members.filter(party_org__isnull=False).values("party_org_id")))
        conditions.append(
            Q(owner_enterprise_id__in=members.filter(enterprise__isnull=False).values("enterprise_id"))
        )
    return _any(conditions)


class PartyMemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> PartyMemberQuerySet:
        from redchain.orgs.models import PartyOrg

        scope = scope_for(user)
        if scope.is_superuser:
            return self
        return self.filter(Q(zone_id__in=scope.full_zone_ids) | Q(org__in=PartyOrg.objects.visible_to(user)))
