"""Sections this app adds to the 一企一档 page and the alliance page (``orgs.hooks``), read through the
selectors so they show only what the reader may see."""

from __future__ import annotations

from django.template.loader import render_to_string

from redchain.exchange import selectors

ROWS = 10


def enterprise_panel(request, enterprise) -> list[str]:
    """The firm's needs, resources and matches."""
    needs = list(selectors.need_list(user=request.user, enterprise_id=enterprise.pk)[:ROWS])
    resources = list(selectors.resource_list(user=request.user, enterprise_id=enterprise.pk)[:ROWS])
    matches = list(selectors.match_list(user=request.user, enterprise_id=enterprise.pk)[:ROWS])
    if not (needs or resources or matches):
        return []
    context = {"enterprise": enterprise, "needs": needs, "resources": resources, "matches": matches}
    return [render_to_string("exchange/partials/_enterprise_panel.html", context, request=request)]


def alliance_panel(request, alliance) -> list[str]:
    """Match totals, the projects list and the feedback demands with how they were solved."""
    context = {
        "alliance": alliance,
        "totals": selectors.match_totals(user=request.user, alliance_id=alliance.pk),
        "projects": list(selectors.project_list(user=request.user, alliance_id=alliance.pk)[:ROWS]),
        "feedback": _with_days(selectors.feedback_demands(user=request.user, alliance_id=alliance.pk)[:ROWS]),
    }
    return [render_to_string("exchange/partials/_alliance_panel.html", context, request=request)]


def _with_days(demands) -> list:
    """Each demand with ``days_to_close`` (None while open)."""
    rows = list(demands)
    for demand in rows:
        demand.days_to_close = (demand.closed_at - demand.created_at).days if demand.closed_at else None
    return rows
