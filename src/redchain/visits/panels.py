"""Sections this app adds to other apps' pages, registered in ``VisitsConfig.ready()``: the visits on the
一企一档 page, and "found on the visit of <date> by <visitor>" on the demand page. Both read through
``visits.selectors``, so they show only what the reader may see."""

from __future__ import annotations

from django.template.loader import render_to_string

from redchain.visits import permissions as perms
from redchain.visits import selectors


def enterprise_panel(request, enterprise) -> list[str]:
    visits = selectors.enterprise_visits(user=request.user, enterprise=enterprise)
    may_log = perms.may_log_visit(request.user, enterprise)
    if not visits and not may_log:
        return []
    context = {"enterprise": enterprise, "visits": visits, "may_log": may_log}
    return [render_to_string("visits/partials/_enterprise_panel.html", context, request=request)]


def demand_panel(request, demand, actions) -> dict:
    source = selectors.demand_source(user=request.user, demand=demand)
    if source is None:
        return {}
    context = {"finding": source.finding, "visit": source.finding.visit, "linked": source.visit_visible}
    return {"panels": [render_to_string("visits/partials/_demand_panel.html", context, request=request)]}
