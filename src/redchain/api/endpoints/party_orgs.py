"""Party organisations (党组织): a tree, scoped so staff see only the subtrees their unit owns."""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import PartyOrgDetailOut, PartyOrgFilters, PartyOrgOut
from redchain.orgs.models import PartyMember
from redchain.orgs.selectors import party_org_list

router = Router(tags=["party-orgs"])


def _party_orgs(
    request: HttpRequest, *, zone: int | None = None, kind: str = "", parent: int | None = None, q: str = ""
):
    qs = party_org_list(user=caller(request), zone_id=zone, kind=kind, q=q)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs.annotate(member_count=_member_count())


def _member_count():
    """Members directly in each org, as a correlated subquery: it runs only for the rows on the page and
    leaves the page's COUNT(*) free of joins and GROUP BY."""
    members = PartyMember.objects.filter(org=OuterRef("pk")).order_by().values("org")
    return Coalesce(Subquery(members.annotate(n=Count("pk")).values("n")), 0)


@router.get("/party-orgs", response={200: list[PartyOrgOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def party_orgs(request: HttpRequest, filters: Query[PartyOrgFilters]):
    """Party organisations the caller may see, in tree order (by materialised path)."""
    return _party_orgs(
        request, zone=filters.zone, kind=filters.kind or "", parent=filters.parent, q=filters.q
    )


@router.get("/party-orgs/{id}", response={200: PartyOrgDetailOut, **DETAIL_ERRORS})
def party_org_detail(request: HttpRequest, id: int):
    return or_404(lambda: _party_orgs(request).get(pk=id))
