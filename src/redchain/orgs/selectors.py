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
    qs = (
        Enterprise.objects.visible_to(user)
        .select_related("zone", "chain")
        .prefetch_related(
            Prefetch("qualifications", queryset=EnterpriseQualification.objects.order_by("kind"))
        )
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
        qs = qs.filter(
            id__in=EnterpriseQualification.objects.filter(kind=qualification).values("enterprise_id")
        )
    return qs.search(q).order_by("sort_name", "id")


def enterprise_get(*, user, pk: int) -> Enterprise:
    """One enterprise, or ``Enterprise.DoesNotExist`` when it is outside the user's scope."""
    return (
        enterprise_list(user=user).prefetch_related("party_orgs", "alliance_memberships__alliance").get(pk=pk)
    )


def party_org_list(*, user, zone_id: int | None = None, kind: str = "", q: str = "") -> QuerySet[PartyOrg]:
    qs = PartyOrg.objects.visible_to(user).select_related(
        "zone", "parent", "owner_enterprise", "owner_department"
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("path")


def party_org_get(*, user, pk: int) -> PartyOrg:
    return party_org_list(user=user).get(pk=pk)


def party_member_list(
    *, user, zone_id: int | None = None, org_id: int | None = None, status: str = "", q: str = ""
) -> QuerySet[PartyMember]:
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


class OrgNode:
    """A party org with its visible children and the totals of its subtree, for the tree page."""

    __slots__ = ("org", "children", "direct_members", "branch_count", "member_count")

    def __init__(self, org: PartyOrg, direct_members: int) -> None:
        self.org = org
        self.children: list[OrgNode] = []
        self.direct_members = direct_members
        self.branch_count = 0
        self.member_count = 0

    def total_up(self) -> None:
        """Fill branch and member counts bottom-up (branches: 党支部 and 党总支 in the subtree)."""
        for child in self.children:
            child.total_up()
        self.member_count = self.direct_members + sum(c.member_count for c in self.children)
        own = 1 if self.org.kind in (PartyOrg.Kind.BRANCH, PartyOrg.Kind.GENERAL_BRANCH) else 0
        self.branch_count = own + sum(c.branch_count for c in self.children)


def party_org_forest(*, user, zone_id: int) -> list[OrgNode]:
    """The visible part of the zone's tree as roots with nested children, in two queries.

    A node whose parent the user cannot see becomes a root, so scoped users get their own subtrees.
    """
    orgs = list(
        party_org_list(user=user, zone_id=zone_id).select_related(None).select_related("owner_enterprise")
    )
    counts = dict(
        PartyMember.objects.filter(org__in=[o.pk for o in orgs]).values_list("org_id").annotate(n=Count("id"))
    )
    nodes = {org.pk: OrgNode(org, counts.get(org.pk, 0)) for org in orgs}
    roots: list[OrgNode] = []
    for org in orgs:  # ordered by path, so parents come before children
        parent = nodes.get(org.parent_id) if org.parent_id else None
        (parent.children if parent else roots).append(nodes[org.pk])
    # Paths order siblings by id as text (/10/ before /3/); people expect committees before branches,
    # and names in pinyin order within a kind.
    rank = {kind: i for i, kind in enumerate(PartyOrg.Kind.values)}

    def order(node: OrgNode) -> tuple[int, str]:
        return rank[node.org.kind], node.org.sort_name

    for node in nodes.values():
        node.children.sort(key=order)
    roots.sort(key=order)
    for root in roots:
        root.total_up()
    return roots
