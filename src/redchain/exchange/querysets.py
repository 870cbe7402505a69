"""Who sees which need, resource, match and project. ``Model.objects.visible_to(user)`` is the only entry point.

* zone admins and leaders: everything of their zone;
* alliance instructors: their alliance's lists and what is posted to its chain;
* department staff: the lists of alliances their department is a member of, and their department's own;
* enterprise contacts: the lists of alliances their enterprise belongs to and of its chain, their own
  enterprise's postings, and only the matches their enterprise is a side of.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from redchain.accounts.scope import Scope, scope_for


def _any(conditions: list[Q]) -> Q:
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def _read_alliances(scope: Scope):
    """Alliances whose lists the user reads through an instructor role or a department's membership."""
    from redchain.orgs.models import AllianceMember

    conditions = []
    if scope.alliance_ids:
        conditions.append(Q(alliance_id__in=scope.alliance_ids))
    if scope.department_ids:
        conditions.append(Q(department_id__in=scope.department_ids))
    if scope.enterprise_ids:
        conditions.append(Q(enterprise_id__in=scope.enterprise_ids))
    return AllianceMember.objects.filter(_any(conditions)).values("alliance_id")


def _read_chains(scope: Scope):
    """Chains whose chain-wide postings the user reads: an instructor's alliance's, a contact's firm's."""
    from redchain.orgs.models import Alliance, Enterprise, IndustryChain

    conditions = []
    if scope.alliance_ids:
        conditions.append(Q(id__in=Alliance.objects.filter(id__in=scope.alliance_ids).values("chain_id")))
    if scope.enterprise_ids:
        conditions.append(Q(id__in=Enterprise.objects.filter(id__in=scope.enterprise_ids).values("chain_id")))
    return IndustryChain.objects.filter(_any(conditions)).values("id")


def _reads_lists(scope: Scope) -> bool:
    return bool(scope.alliance_ids or scope.department_ids or scope.enterprise_ids)


class _ListingQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        conditions = [Q(zone_id__in=scope.full_zone_ids)]
        if _reads_lists(scope):
            conditions.append(Q(alliance_id__in=_read_alliances(scope)))
        if scope.alliance_ids or scope.enterprise_ids:
            conditions.append(Q(chain_id__in=_read_chains(scope)))
        if scope.department_ids:
            conditions.append(Q(owner_department_id__in=scope.department_ids))
        if scope.enterprise_ids:
            conditions.append(Q(owner_enterprise_id__in=scope.enterprise_ids))
        return self.filter(_any(conditions))


class NeedQuerySet(_ListingQuerySet):
    pass


class ResourceQuerySet(_ListingQuerySet):
    pass


class MatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> MatchQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        conditions = [Q(zone_id__in=scope.full_zone_ids)]
        if scope.alliance_ids:
            conditions.append(Q(alliance_id__in=scope.alliance_ids) | Q(chain_id__in=_read_chains(scope)))
        if scope.department_ids:
            from redchain.orgs.models import AllianceMember

            member_of = AllianceMember.objects.filter(department_id__in=scope.department_ids)
            conditions.append(
                Q(alliance_id__in=member_of.values("alliance_id"))
                | Q(need__owner_department_id__in=scope.department_ids)
                | Q(resource__owner_department_id__in=scope.department_ids)
            )
        if scope.enterprise_ids:
            # A firm sees the matches it is a side of, never other firms' deals.
            conditions.append(
                Q(need__owner_enterprise_id__in=scope.enterprise_ids)
                | Q(resource__owner_enterprise_id__in=scope.enterprise_ids)
            )
        return self.filter(_any(conditions))


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self
        conditions = [Q(zone_id__in=scope.full_zone_ids)]
        if _reads_lists(scope):
            conditions.append(Q(alliance_id__in=_read_alliances(scope)))
        if scope.alliance_ids or scope.enterprise_ids:
            conditions.append(Q(alliance__chain_id__in=_read_chains(scope)))
        return self.filter(_any(conditions))
