"""Reads of the organisation graph, already restricted to what the user may see.

Views, exports, the API and dashboards call these; each returns a queryset with its joins done.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from redchain.orgs.models import (
    Alliance,
    AllianceMember,
    Department,
    Enterprise,
    EnterpriseQualification,
    IndustryChain,
    PartyMember,
    PartyOrg,
    Zone,
)


def zone_list(*, user) -> QuerySet[Zone]:
    return Zone.objects.visible_to(user)


def department_list(*, user, zone_id: int | None = None) -> QuerySet[Department]:
    qs = Department.objects.visible_to(user).select_related("zone")
    return qs.filter(zone_id=zone_id) if zone_id else qs


def chain_list(*, user, zone_id: int | None = None) -> QuerySet[IndustryChain]:
    qs = IndustryChain.objects.visible_to(user).select_related("zone")
    qs = qs.annotate(enterprise_count=Count("enterprises", distinct=True))
    return qs.filter(zone_id=zone_id) if zone_id else qs


def enterprise_list(
    *,
    user,
    zone_id: int | None = None,
    chain_id: int | None = None,
    segment: str = "",
    scale: str = "",
    qualification: str = "",
    q: str = "",
) -> QuerySet[Enterprise]:
    """Enterprises the user may see, filtered; sorted by pinyin of the name."""
    qs = Enterprise.objects.visible_to(user).select_related("zone", "chain").prefetch_related(
        Prefetch("qualifications", queryset=EnterpriseQualification.objects.order_by("kind"))
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if chain_id:
        qs = qs.filter(chain_id=chain_id)
    if segment:
        qs = qs.filter(segment=segment)
    if scale:
        qs = qs.filter(scale=scale)
    if qualification:
        qs = qs.filter(id__in=EnterpriseQualification.objects.filter(kind=qualification).values("enterprise_id"))
    return qs.search(q).order_by("sort_name", "id")


def enterprise_get(*, user, pk: int) -> Enterprise:
    """One enterprise, or ``Enterprise.DoesNotExist`` when it is outside the user's scope."""
    return enterprise_list(user=user).prefetch_related("party_orgs", "alliance_memberships__alliance").get(pk=pk)


def party_org_list(*, user, zone_id: int | None = None, kind: str = "", q: str = "") -> QuerySet[PartyOrg]:
    qs = PartyOrg.objects.visible_to(user).select_related("zone", "parent", "owner_enterprise", "owner_department")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("path")


def party_org_get(*, user, pk: int) -> PartyOrg:
    return party_org_list(user=user).get(pk=pk)


def party_member_list(*, user, zone_id: int | None = None, org_id: int | None = None, status: str = "", q: str = "") -> QuerySet[PartyMember]:
    qs = PartyMember.objects.visible_to(user).select_related("org", "employer")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if org_id:
        qs = qs.filter(org_id=org_id)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("sort_name", "id")


def alliance_list(*, user, zone_id: int | None = None) -> QuerySet[Alliance]:
    qs = Alliance.objects.visible_to(user).select_related("zone", "chain", "core")
    qs = qs.annotate(
        member_count=Count("members", distinct=True),
        enterprise_member_count=Count("members", filter=Q(members__kind="enterprise"), distinct=True),
    )
    return qs.filter(zone_id=zone_id) if zone_id else qs


def alliance_members(alliance: Alliance) -> QuerySet[AllianceMember]:
    return alliance.members.select_related("party_org", "enterprise", "department")


def alliance_get(*, user, pk: int) -> Alliance:
    return alliance_list(user=user).get(pk=pk)
