"""Figures for the zone overview, counted within the reader's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from redchain.orgs import selectors as org_selectors
from redchain.orgs.models import EnterpriseQualification, PartyMember, PartyOrg, Qualification


@dataclass
class ZoneOverview:
    enterprise_count: int
    above_scale_count: int
    qualification_counts: list[tuple[Any, int]]
    chains: list  # IndustryChain rows with enterprise_count and above_count
    alliance_count: int
    alliance_member_count: int
    org_counts: dict[str, int]
    member_counts: dict[str, int]
    department_count: int

    @property
    def branch_count(self) -> int:
        """Branches and general branches (党支部, 党总支): the units that hold party life."""
        return self.org_counts[PartyOrg.Kind.BRANCH] + self.org_counts[PartyOrg.Kind.GENERAL_BRANCH]

    @property
    def member_total(self) -> int:
        return sum(self.member_counts.values())

    @property
    def org_rows(self) -> list[tuple[Any, int]]:
        return [(label, self.org_counts[value]) for value, label in PartyOrg.Kind.choices]

    @property
    def member_rows(self) -> list[tuple[Any, int]]:
        return [(label, self.member_counts[value]) for value, label in PartyMember.Status.choices]

    @property
    def above_scale_share(self) -> int:
        return round(100 * self.above_scale_count / self.enterprise_count) if self.enterprise_count else 0


def zone_overview(*, user, zone) -> ZoneOverview:
    enterprises = org_selectors.enterprise_list(user=user, zone_id=zone.pk).order_by()
    totals = enterprises.aggregate(n=Count("id"), above=Count("id", filter=Q(scale="above")))
    qualification_rows = dict(
        EnterpriseQualification.objects.filter(enterprise__in=enterprises.values("id"))
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    alliances = list(org_selectors.alliance_list(user=user, zone_id=zone.pk))
    return ZoneOverview(
        enterprise_count=totals["n"],
        above_scale_count=totals["above"],
        qualification_counts=[
            (label, qualification_rows.get(key, 0)) for key, label in Qualification.choices
        ],
        chains=list(_chains(user=user, zone=zone, enterprises=enterprises)),
        alliance_count=len(alliances),
        alliance_member_count=sum(a.member_count for a in alliances),  # type: ignore[attr-defined]
        org_counts=_count_by(org_selectors.party_org_list(user=user, zone_id=zone.pk), "kind", PartyOrg.Kind),
        member_counts=_count_by(
            org_selectors.party_member_list(user=user, zone_id=zone.pk), "status", PartyMember.Status
        ),
        department_count=org_selectors.department_list(user=user, zone_id=zone.pk).count(),
    )


def _chains(*, user, zone, enterprises):
    """Chains with the number of visible enterprises on each, and how many of those are above scale."""
    visible = Q(enterprises__in=enterprises.values("id"))
    return (
        org_selectors.chain_list(user=user, zone_id=zone.pk)
        .annotate(
            visible_count=Count("enterprises", filter=visible, distinct=True),
            above_count=Count("enterprises", filter=visible & Q(enterprises__scale="above"), distinct=True),
        )
        .order_by("position", "id")
    )


def _count_by(queryset, field: str, choices) -> dict[str, int]:
    """Counts per choice value, zero for choices with no rows."""
    rows = dict(queryset.order_by().values_list(field).annotate(n=Count("id")))
    return {value: rows.get(value, 0) for value in choices.values}
