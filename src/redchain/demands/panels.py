"""Sections the demand loop adds to the 一企一档 page and the alliance page (``orgs.hooks``), read through
``Demand.objects.visible_to`` so each reader sees only the demands they may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from redchain.demands.models import Demand

ROWS = 10
YEAR = dt.timedelta(days=365)


def enterprise_panel(request, enterprise) -> list[str]:
    """The firm's demands: how many stand where in the loop, and the latest ones."""
    demands = Demand.objects.visible_to(request.user).filter(enterprise=enterprise)
    totals = demands.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=["submitted", "accepted", "handling", "returned", "replied"])),
        closed=Count("id", filter=Q(status="closed")),
        solved=Count("id", filter=Q(is_solved=True)),
    )
    if not totals["total"]:
        return []
    latest = list(demands.select_related("category").order_by("-created_at", "-id")[:ROWS])
    context = {"enterprise": enterprise, "totals": totals, "latest": latest}
    return [render_to_string("demands/partials/_enterprise_panel.html", context, request=request)]


def alliance_panel(request, alliance) -> list[str]:
    """The demands of the alliance's chain over the last year, and how many the alliance helped solve
    (助企纾困: demands raised or coordinated through the alliance and closed as solved)."""
    since = timezone.now() - YEAR
    visible = Demand.objects.visible_to(request.user).filter(zone_id=alliance.zone_id, created_at__gte=since)
    chain = visible.filter(enterprise__chain_id=alliance.chain_id).aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status="closed")),
        solved=Count("id", filter=Q(is_solved=True)),
    )
    helped = visible.filter(alliance=alliance).aggregate(
        total=Count("id"), solved=Count("id", filter=Q(is_solved=True))
    )
    if not (chain["total"] or helped["total"]):
        return []
    context = {"alliance": alliance, "chain": chain, "helped": helped}
    return [render_to_string("demands/partials/_alliance_panel.html", context, request=request)]
