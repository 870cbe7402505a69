"""The party-life section of a party organisation's page (registered in ``orgs.hooks.PARTY_ORG_PANELS``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from redchain.partylife import selectors


def party_org_panel(request, org) -> list[str]:
    """Recent activities, attendance, cadence for the latest month, brand and rating, as the user sees them."""
    summary = selectors.org_summary(user=request.user, org=org)
    rate = summary["attendance_rate"]
    summary["attendance_percent"] = None if rate is None else round(rate * 100)
    return [render_to_string("partylife/partials/_org_panel.html", summary, request=request)]
