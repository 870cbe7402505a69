"""Who sees which task force and suggestion: scope follows the party organisation they belong to.

Zone admins and leaders see the whole zone; department staff the subtrees their department owns; an alliance
instructor the member organisations and member firms' organisations; an enterprise contact their firm's
organisations (``PartyOrg.objects.visible_to``, documented in docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from django.db import models

from redchain.accounts.scope import scope_for


def _visible_orgs(user):
    from redchain.orgs.models import PartyOrg

    return PartyOrg.objects.visible_to(user).values("id")


class TaskForceQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskForceQuerySet:
        if scope_for(user).is_superuser:
            return self
        return self.filter(org_id__in=_visible_orgs(user))


class TaskForceMemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskForceMemberQuerySet:
        if scope_for(user).is_superuser:
            return self
        return self.filter(task_force__org_id__in=_visible_orgs(user))


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SuggestionQuerySet:
        if scope_for(user).is_superuser:
            return self
        return self.filter(org_id__in=_visible_orgs(user))
