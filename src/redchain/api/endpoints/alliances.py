"""Party-building alliances (党建联盟), the bastions of 一核多堡."""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import AllianceDetailOut, AllianceFilters, AllianceOut
from redchain.orgs.selectors import alliance_get, alliance_list

router = Router(tags=["alliances"])


@router.get("/alliances", response={200: list[AllianceOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def alliances(request: HttpRequest, filters: Query[AllianceFilters]):
    """Alliances of the caller's zones, in the order of their chains."""
    qs = alliance_list(user=caller(request), zone_id=filters.zone)
    if filters.chain:
        qs = qs.filter(chain_id=filters.chain)
    return qs.order_by("zone_id", "chain__position", "id")


@router.get("/alliances/{id}", response={200: AllianceDetailOut, **DETAIL_ERRORS})
def alliance_detail(request: HttpRequest, id: int):
    """One alliance with its roster of member units."""
    return or_404(lambda: alliance_get(user=caller(request), pk=id))
