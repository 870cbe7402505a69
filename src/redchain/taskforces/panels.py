"""Sections this app adds to the party-organisation page and the 一企一档 enterprise page (``orgs.hooks``).

Each reads through the selectors, so it shows only what the reader may see, and adds nothing when there is
nothing in view.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from redchain.taskforces import selectors


def _panel(request, *, filters: dict, list_query: str) -> list[str]:
    task_forces = list(selectors.task_force_list(user=request.user, **filters))
    funnel = selectors.funnel_total(selectors.suggestion_list(user=request.user, **filters))
    if not task_forces and not funnel.collected:
        return []
    context = {
        "task_forces": task_forces,
        "funnel": funnel,
        "list_url": f"{reverse('taskforces:suggestion_list')}?{list_query}",
    }
    return [render_to_string("taskforces/partials/_panel.html", context, request=request)]


def party_org_panel(request, org) -> list[str]:
    """The task forces and the funnel of the organisation and its subtree."""
    return _panel(request, filters={"org_id": org.pk}, list_query=f"org={org.pk}")


def enterprise_panel(request, enterprise) -> list[str]:
    """The firm's task forces and the funnel of the suggestions made for it."""
    return _panel(request, filters={"enterprise_id": enterprise.pk}, list_query=f"enterprise={enterprise.pk}")
