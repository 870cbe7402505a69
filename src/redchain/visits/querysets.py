"""Who sees which visit. ``Visit.objects.visible_to(user)`` is the one entry point; findings follow their visit.

* zone admins and leaders: every visit of their zone;
* department staff: the visits of their own department (a visit belongs to the visitor's department);
* alliance instructors: visits to the member enterprises of their alliance;
* enterprise contacts: visits to their own enterprise (pages and API leave out the internal note);
* and anyone: the visits they logged themselves.

Department staff do not see other departments' visits: a visit's summary and internal note are working notes
of the department that went. They still learn of a visit behind a demand they handle, on the demand's page.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from redchain.accounts.scope import Scope, scope_for


def alliance_member_firms(scope: Scope):
    """Ids of the enterprises that are members of the scope's alliances, as a subquery."""
    from redchain.orgs.models import AllianceMember

    members = AllianceMember.objects.filter(alliance_id__in=scope.alliance_ids, enterprise__isnull=False)
    return members.values("enterprise_id")


def visit_condition(user, prefix: str = "") -> Q | None:
    """The visibility rule as a ``Q`` over fields under ``prefix``; ``None`` means no restriction."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    conditions = [Q(**{f"{prefix}zone_id__in": scope.full_zone_ids})]
    if scope.zone_ids:  # a member of some zone, so user.pk is a real id
        conditions.append(Q(**{f"{prefix}visitor_id": user.pk, f"{prefix}zone_id__in": scope.zone_ids}))
    if scope.department_ids:
        conditions.append(Q(**{f"{prefix}department_id__in": scope.department_ids}))
    if scope.alliance_ids:
        conditions.append(Q(**{f"{prefix}enterprise_id__in": alliance_member_firms(scope)}))
    if scope.enterprise_ids:
        conditions.append(Q(**{f"{prefix}enterprise_id__in": scope.enterprise_ids}))
    return reduce(or_, conditions)


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> VisitQuerySet:
        condition = visit_condition(user)
        return self if condition is None else self.filter(condition)


class VisitFindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> VisitFindingQuerySet:
        condition = visit_condition(user, prefix="visit__")
        return self if condition is None else self.filter(condition)
