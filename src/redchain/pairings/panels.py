"""Sections this app adds to other apps' pages (``orgs.hooks``), read through the scoped selectors."""

from __future__ import annotations

from django.template.loader import render_to_string

from redchain.pairings import selectors


def _panel(request, pairings, *, empty_hint: bool) -> list[str]:
    rows = list(pairings[:20])
    if not rows and not empty_hint:
        return []
    return [render_to_string("pairings/partials/_panel.html", {"pairings": rows}, request=request)]


def party_org_panel(request, org) -> list[str]:
    """The org's pairings, as agency or as partner; department orgs see the section even while empty."""
    pairings = selectors.pairings_of_org(user=request.user, org=org)
    return _panel(request, pairings, empty_hint=org.owner_kind == "department")


def enterprise_panel(request, enterprise) -> list[str]:
    return _panel(
        request, selectors.pairings_of_enterprise(user=request.user, enterprise=enterprise), empty_hint=False
    )
