"""Routing plugs into the demand loop through ``redchain.demands.hooks`` (registered in ``apps.ready``):
suggestions in the dispatch form, likely duplicates above the steps, outcomes after a dispatch, and the
fingerprint of every new demand."""

from __future__ import annotations

from django.template.loader import render_to_string

from redchain.demands import hooks as demand_hooks
from redchain.demands import permissions as perms
from redchain.routing import selectors, services
from redchain.routing.duplicates import fingerprint_demand


def dispatch_panel(request, demand, actions: list[str]) -> dict:
    """Routing suggestions for the dispatcher, computed lazily when missing or outdated."""
    if "dispatch" not in actions and "accept" not in actions:
        return {}
    services.suggest_if_stale(demand=demand)
    routing = selectors.dispatch_suggestions(demand=demand)
    html = render_to_string(
        "routing/partials/_dispatch_suggestions.html", {"routing": routing}, request=request
    )
    return {"dispatch_panel": html, "dispatch_initial": routing["initial"]}


def duplicates_panel(request, demand, actions: list[str]) -> dict:
    """Likely duplicates of an open demand, for the zone's dispatchers to merge."""
    if "merge" not in actions or not perms.administers(request.user, demand):
        return {}
    rows = selectors.likely_duplicates(demand=demand)
    if not rows:
        return {}
    context = {
        "demand": demand,
        "rows": rows[: selectors.DUPLICATES_SHOWN],
        "more": rows[selectors.DUPLICATES_SHOWN :],
    }
    html = render_to_string("routing/partials/_duplicates.html", context, request=request)
    return {"panels": [html]}


def on_dispatched(sender, demand, department, actor, **kwargs) -> None:
    services.record_dispatch(demand=demand, department=department, actor=actor)


def review_reply(demand, text: str) -> list[str]:
    return [str(w) for w in selectors.review_for_demand(demand=demand, text=text).warnings]


def on_submitted(sender, demand, **kwargs) -> None:
    fingerprint_demand(demand=demand)


def register() -> None:
    demand_hooks.DETAIL_PANELS.extend([dispatch_panel, duplicates_panel])
    demand_hooks.demand_dispatched.connect(on_dispatched, dispatch_uid="routing.outcome")
    demand_hooks.REPLY_REVIEWERS.append(review_reply)
    demand_hooks.demand_submitted.connect(on_submitted, dispatch_uid="routing.fingerprint")
