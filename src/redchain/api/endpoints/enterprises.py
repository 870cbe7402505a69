"""Enterprises (一企一档), scoped like the pages: a firm's contact sees only their own firm."""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import EnterpriseDetailOut, EnterpriseFilters, EnterpriseOut
from redchain.orgs.selectors import enterprise_get, enterprise_list

router = Router(tags=["enterprises"])


@router.get("/enterprises", response={200: list[EnterpriseOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def enterprises(request: HttpRequest, filters: Query[EnterpriseFilters]):
    """Enterprises the caller may see, by pinyin of the name."""
    return enterprise_list(
        user=caller(request),
        zone_id=filters.zone,
        chain_id=filters.chain,
        segment=filters.segment or "",
        scale=filters.scale or "",
        qualification=filters.qualification or "",
        q=filters.q,
    )


@router.get("/enterprises/{id}", response={200: EnterpriseDetailOut, **DETAIL_ERRORS})
def enterprise_detail(request: HttpRequest, id: int):
    """One enterprise; the contact phone is masked."""
    return or_404(lambda: enterprise_get(user=caller(request), pk=id))
