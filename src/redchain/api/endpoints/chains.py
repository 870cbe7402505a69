"""Industry chains (产业链) with their segments and how many enterprises they hold."""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import ChainOut, ZoneFilter
from redchain.orgs.selectors import chain_list

router = Router(tags=["chains"])


@router.get("/chains", response={200: list[ChainOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def chains(request: HttpRequest, filters: Query[ZoneFilter]):
    """Chains of the caller's zones, in display order."""
    return chain_list(user=caller(request), zone_id=filters.zone).order_by("zone_id", "position", "id")


@router.get("/chains/{id}", response={200: ChainOut, **DETAIL_ERRORS})
def chain_detail(request: HttpRequest, id: int):
    return or_404(lambda: chain_list(user=caller(request)).get(pk=id))
