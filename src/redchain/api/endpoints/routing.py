"""Routing for API clients: what the dispatcher's page shows beside a demand (docs/ROUTING.md).

A dispatcher working from another console (a 12345 seat, a zone's own client) needs the same help as on the
page: which department and category the router suggests, whether the demand belongs in the manual triage
queue, and which open demands are likely the same matter. What the dispatcher then chooses is recorded by
``POST demands/{id}/dispatch`` as on the page (accepted or corrected).
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.http import HttpRequest
from ninja import Router

from redchain.api.endpoints._common import DETAIL_ERRORS, caller, or_404
from redchain.api.schemas_routing import RoutingOut
from redchain.demands import permissions as perms
from redchain.demands.selectors import demand_get
from redchain.routing import selectors, services

router = Router(tags=["routing"])


@router.get("/demands/{id}/routing", response={200: RoutingOut, **DETAIL_ERRORS})
def demand_routing(request: HttpRequest, id: int):
    """The router's suggestions for a demand and its likely duplicates.

    Up to three departments and three categories with calibrated confidence (keyword rules before a zone has
    trained a router), ``needs_triage`` when the department suggestion is missing or below the zone's
    threshold, and up to 20 open demands of the zone that are likely the same matter, best first. Suggestions
    are computed when missing or outdated, as the page does; nothing about the demand changes and no audit row
    is written. Open to the zone's dispatchers (who dispatch and merge): **404** for anyone else, the enterprise
    and the handling departments included.
    """
    user = caller(request)
    demand = or_404(lambda: demand_get(user=user, pk=id))
    perms.require(perms.administers(user, demand))
    services.suggest_if_stale(demand=demand)
    return selectors.routing_for_demand(demand=demand)
