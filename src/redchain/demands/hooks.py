"""Extension points of the demand loop, so apps above it (routing, later dashboards) plug in without the loop
importing them: imports run downwards (see docs/ARCHITECTURE.md).

* ``demand_submitted`` — a signal sent after the submitting transaction commits (``sender=Demand``,
  ``demand=``). Routing fingerprints the demand for duplicate detection.
* ``DETAIL_PANELS`` — callables ``(request, demand, actions) -> dict`` run by the demand page. A callable
  returns extra context: ``panels`` (a list of ready HTML fragments shown above the steps),
  ``dispatch_panel`` (HTML shown inside the dispatch form) and ``dispatch_initial`` (values that pre-fill it).
* ``demand_dispatched`` — a signal sent inside the dispatching transaction (``sender=Demand``, ``demand=``,
  ``department=``, ``actor=``), whichever door the dispatch came through (page, API, import); a receiver's
  writes commit or roll back with the dispatch. Routing records what the dispatcher did with its suggestion.
* ``REPLY_REVIEWERS`` — callables ``(demand, text) -> list[str]`` of warnings about a final reply; the page
  shows them once before the reply goes out and never blocks the handler.
"""

from __future__ import annotations

from collections.abc import Callable

from django.dispatch import Signal

demand_submitted = Signal()
demand_dispatched = Signal()

DETAIL_PANELS: list[Callable] = []
REPLY_REVIEWERS: list[Callable] = []


def detail_extras(request, demand, actions: list[str]) -> dict:
    """Merge what every registered panel contributes to the demand page."""
    extras: dict = {"panels": [], "dispatch_panel": "", "dispatch_initial": {}}
    for panel in DETAIL_PANELS:
        contributed = panel(request, demand, actions) or {}
        extras["panels"] += contributed.get("panels", [])
        extras["dispatch_panel"] += contributed.get("dispatch_panel", "")
        extras["dispatch_initial"].update(contributed.get("dispatch_initial", {}))
    return extras


def reply_warnings(demand, text: str) -> list[str]:
    return [warning for reviewer in REPLY_REVIEWERS for warning in reviewer(demand, text)]
