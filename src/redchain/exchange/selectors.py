"""Reads of the exchange, already restricted to what the user may see and joined for display.

Pages, exports, the API and the panels on other apps' pages all read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from redchain.accounts.scope import scope_for
from redchain.exchange import permissions as perms
from redchain.exchange.models import Listing, Match, Need, Project, Resource
from redchain.orgs.models import AllianceMember

_LISTING_JOINS = ("zone", "alliance", "chain", "owner_enterprise", "owner_department")
_MATCH_JOINS = (
    "alliance",
    "chain",
    "need",
    "need__owner_enterprise",
    "need__owner_department",
    "resource",
    "resource__owner_enterprise",
    "resource__owner_department",
)


def _listings(
    model: type[Listing],
    *,
    user,
    zone_id: int | None = None,
    alliance_id: int | None = None,
    chain_id: int | None = None,
    kind: str = "",
    status: str = "",
    enterprise_id: int | None = None,
    q: str = "",
) -> QuerySet:
    qs = model.objects.visible_to(user).select_related(*_LISTING_JOINS)  # type: ignore[attr-defined]
    filters = {
        "zone_id": zone_id,
        "alliance_id": alliance_id,
        "chain_id": chain_id,
        "kind": kind,
        "status": status,
        "owner_enterprise_id": enterprise_id,
    }
    qs = qs.filter(**{name: value for name, value in filters.items() if value})
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(description__icontains=q.strip()))
    return qs.annotate(match_count=Count("matches")).order_by("-posted_on", "-id")


def need_list(*, user, **filters) -> QuerySet[Need]:
    """Needs the user may see, filtered, newest first, each with its number of matches."""
    return _listings(Need, user=user, **filters)


def resource_list(*, user, **filters) -> QuerySet[Resource]:
    return _listings(Resource, user=user, **filters)


def need_get(*, user, pk: int) -> Need:
    """One need, or ``Need.DoesNotExist`` outside the user's scope."""
    return Need.objects.visible_to(user).select_related(*_LISTING_JOINS).get(pk=pk)


def resource_get(*, user, pk: int) -> Resource:
    return Resource.objects.visible_to(user).select_related(*_LISTING_JOINS).get(pk=pk)


def match_list(
    *,
    user,
    zone_id: int | None = None,
    alliance_id: int | None = None,
    status: str = "",
    need_id: int | None = None,
    resource_id: int | None = None,
    enterprise_id: int | None = None,
) -> QuerySet[Match]:
    qs = Match.objects.visible_to(user).select_related(*_MATCH_JOINS)
    filters = {
        "zone_id": zone_id,
        "alliance_id": alliance_id,
        "status": status,
        "need_id": need_id,
        "resource_id": resource_id,
    }
    qs = qs.filter(**{name: value for name, value in filters.items() if value})
    if enterprise_id:
        qs = qs.filter(
            Q(need__owner_enterprise_id=enterprise_id) | Q(resource__owner_enterprise_id=enterprise_id)
        )
    return qs.order_by("-proposed_on", "-id")


def match_get(*, user, pk: int) -> Match:
    return Match.objects.visible_to(user).select_related(*_MATCH_JOINS, "zone").get(pk=pk)


def matches_awaiting(*, user, zone_id: int) -> list[Match]:
    """Open proposals on which the user still owes an answer for one of the sides they answer for."""
    scope = scope_for(user)
    if not (scope.enterprise_ids or scope.department_ids or scope.alliance_ids or scope.administers(zone_id)):
        return []
    proposals = match_list(user=user, zone_id=zone_id, status=Match.Status.PROPOSED)[:200]
    return [
        match
        for match in proposals
        if any(getattr(match, f"{side}_accepted_on") is None for side in perms.sides_answered_by(user, match))
    ]


def project_list(
    *, user, zone_id: int | None = None, alliance_id: int | None = None, status: str = ""
) -> QuerySet[Project]:
    qs = (
        Project.objects.visible_to(user)
        .select_related("alliance")
        .prefetch_related(
            Prefetch(
                "units",
                queryset=AllianceMember.objects.select_related("enterprise", "department", "party_org"),
            )
        )
    )
    filters = {"zone_id": zone_id, "alliance_id": alliance_id, "status": status}
    qs = qs.filter(**{name: value for name, value in filters.items() if value})
    return qs.order_by("-started_on", "-id")


def project_get(*, user, pk: int) -> Project:
    return project_list(user=user).get(pk=pk)


@dataclass(frozen=True)
class Totals:
    """What an alliance's matches achieved (资源共享制 results)."""

    proposed: int
    accepted: int
    closed: int
    saved_wan: Decimal
    deal_value_wan: Decimal


def match_totals(*, user, alliance_id: int) -> Totals:
    """Totals over the matches of the alliance that the user may see."""
    row = (
        Match.objects.visible_to(user)
        .filter(alliance_id=alliance_id)
        .aggregate(
            proposed=Count("id"),
            accepted=Count("id", filter=Q(status__in=[Match.Status.ACCEPTED, Match.Status.CLOSED])),
            closed=Count("id", filter=Q(status=Match.Status.CLOSED)),
            saved=Sum("saved_wan", filter=Q(status=Match.Status.CLOSED)),
            value=Sum("deal_value_wan", filter=Q(status=Match.Status.CLOSED)),
        )
    )
    return Totals(
        proposed=row["proposed"],
        accepted=row["accepted"],
        closed=row["closed"],
        saved_wan=row["saved"] or Decimal(0),
        deal_value_wan=row["value"] or Decimal(0),
    )


def feedback_demands(*, user, alliance_id: int):
    """The alliance's feedback demands (反馈沟通制) the user may see, newest first."""
    from redchain.demands.models import Channel
    from redchain.demands.selectors import demand_list

    return demand_list(user=user, channel=Channel.ALLIANCE).filter(alliance_id=alliance_id)
