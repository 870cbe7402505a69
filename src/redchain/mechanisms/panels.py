"""The alliance page's section on the alliance's mechanisms (registered in ``apps.py``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from redchain.mechanisms import selectors
from redchain.mechanisms.models import Action, today


def alliance_panel(request, alliance) -> list[str]:
    """Recent meetings, pacts and the year's six-action counts, as far as the reader's scope reaches."""
    if not selectors.alliances(user=request.user).filter(pk=alliance.pk).exists():
        return []
    year = today().year
    lines = selectors.overview(
        user=request.user, zone_id=alliance.zone_id, year=year, alliance_id=alliance.pk
    )
    context = {
        "alliance": alliance,
        "year": year,
        "line": lines[0] if lines else None,
        "actions": list(zip(Action.labels, lines[0].action_cells if lines else [], strict=False)),
        "meetings": selectors.meeting_list(user=request.user, alliance_id=alliance.pk)[:6],
        "pacts": selectors.pact_list(user=request.user, alliance_id=alliance.pk)[:3],
    }
    return [render_to_string("mechanisms/partials/_alliance_panel.html", context, request=request)]
