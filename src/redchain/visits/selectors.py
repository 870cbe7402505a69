"""Reads of the walking office, already restricted to what the user may see and joined for display.

Pages, the Excel export, the API and the panels on other apps' pages all read through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from redchain.accounts.models import User
from redchain.accounts.scope import scope_for
from redchain.core.text import sort_key
from redchain.demands.models import Channel, Demand
from redchain.orgs.models import Department, Enterprise
from redchain.visits.models import Visit, VisitFinding
from redchain.visits.querysets import alliance_member_firms

F = VisitFinding.Status


def visit_list(
    *,
    user,
    zone_id: int | None = None,
    department_id: int | None = None,
    enterprise_id: int | None = None,
    visitor_id: int | None = None,
    month: dt.date | None = None,
    open_findings: bool | None = None,
    purpose: str = "",
) -> QuerySet[Visit]:
    """Visits the user may see, newest first, each with its finding counts. ``month`` is any day of it."""
    qs = (
        Visit.objects.visible_to(user)
        .select_related("zone", "enterprise", "department", "visitor")
        .annotate(
            finding_count=Count("findings"),
            open_finding_count=Count("findings", filter=Q(findings__status=F.OPEN)),
            referred_count=Count("findings", filter=Q(findings__status=F.REFERRED)),
        )
    )
    filters = {
        "zone_id": zone_id,
        "department_id": department_id,
        "enterprise_id": enterprise_id,
        "visitor_id": visitor_id,
        "purpose": purpose,
    }
    qs = qs.filter(**{name: value for name, value in filters.items() if value})
    if month is not None:
        first = month.replace(day=1)
        qs = qs.filter(visited_on__gte=first, visited_on__lt=_next_month(first))
    if open_findings is not None:
        has_open = Exists(VisitFinding.objects.filter(visit=OuterRef("pk"), status=F.OPEN))
        qs = qs.filter(has_open) if open_findings else qs.exclude(has_open)
    return qs.order_by("-visited_on", "-start_time", "-id")  # type: ignore[return-value]


def _next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def visit_get(*, user, pk: int) -> Visit:
    """One visit with its findings, or ``Visit.DoesNotExist`` outside the user's scope."""
    findings = VisitFinding.objects.select_related("handled_by").order_by("id")
    return visit_list(user=user).prefetch_related(Prefetch("findings", queryset=findings)).get(pk=pk)


def finding_get(*, user, pk: int) -> VisitFinding:
    """One finding of a visible visit, or ``VisitFinding.DoesNotExist``."""
    return VisitFinding.objects.visible_to(user).select_related("visit", "demand").get(pk=pk)


def attach_demands(*, user, findings: Iterable[VisitFinding]) -> list[VisitFinding]:
    """Set ``shown_demand`` on each finding: its demand if the user may see it, else ``None`` (one query)."""
    findings = list(findings)
    ids = [f.demand_id for f in findings if f.demand_id]
    visible = {d.pk: d for d in Demand.objects.visible_to(user).filter(pk__in=ids)} if ids else {}
    for finding in findings:
        finding.shown_demand = visible.get(finding.demand_id)  # type: ignore[attr-defined]
    return findings


@dataclass(frozen=True)
class VisitStats:
    """The landing page's counts: visits this month in the user's scope, the rest over the filtered list."""

    this_month: int
    visits: int
    firms: int
    findings: int
    open: int
    referred: int
    solved: int
    resolved_on_spot: int


def visit_stats(*, user, zone_id: int, visits: QuerySet[Visit], today: dt.date) -> VisitStats:
    """Counts in three queries, whatever the number of visits."""
    first = today.replace(day=1)
    this_month = (
        Visit.objects.visible_to(user)
        .filter(zone_id=zone_id, visited_on__gte=first, visited_on__lte=today)
        .count()
    )
    ids = visits.order_by().values("pk")
    totals = Visit.objects.filter(pk__in=ids).aggregate(
        visits=Count("id"), firms=Count("enterprise", distinct=True)
    )
    findings = VisitFinding.objects.filter(visit__in=ids).aggregate(
        findings=Count("id"),
        open=Count("id", filter=Q(status=F.OPEN)),
        referred=Count("id", filter=Q(status=F.REFERRED)),
        solved=Count("id", filter=Q(status=F.REFERRED, demand__is_solved=True)),
        resolved_on_spot=Count("id", filter=Q(status=F.RESOLVED)),
    )
    return VisitStats(this_month=this_month, **totals, **findings)


def loggable_enterprises(*, user, zone_id: int, q: str = "") -> QuerySet[Enterprise]:
    """The enterprises of the zone the user may log a visit to, by pinyin; ``q`` searches names and pinyin."""
    scope = scope_for(user)
    qs = Enterprise.objects.visible_to(user).filter(zone_id=zone_id)
    if not (scope.is_superuser or zone_id in scope.full_zone_ids | scope.staff_zone_ids):
        qs = qs.filter(id__in=alliance_member_firms(scope)) if scope.alliance_ids else qs.none()
    return qs.search(q).order_by("sort_name", "id")


def department_choices(*, user, zone_id: int) -> QuerySet[Department]:
    """Departments a visit may be logged for: any of the zone for its admins, else the user's own."""
    scope = scope_for(user)
    qs = Department.objects.filter(zone_id=zone_id)
    if not scope.administers(zone_id):
        qs = qs.filter(pk__in=scope.department_ids)
    return qs.order_by("sort_name", "id")


def filter_enterprises(*, user, zone_id: int) -> QuerySet[Enterprise]:
    """Enterprises that appear in the user's visible visits, for the list's filter, by pinyin."""
    visited = Visit.objects.visible_to(user).filter(zone_id=zone_id).values("enterprise_id")
    return Enterprise.objects.filter(pk__in=visited).order_by("sort_name", "id")


def filter_departments(*, user, zone_id: int) -> QuerySet[Department]:
    visited = Visit.objects.visible_to(user).filter(zone_id=zone_id).values("department_id")
    return Department.objects.filter(pk__in=visited).order_by("sort_name", "id")


def filter_visitors(*, user, zone_id: int) -> list[User]:
    """People who logged the user's visible visits, by pinyin of the name shown."""
    visited = Visit.objects.visible_to(user).filter(zone_id=zone_id).values("visitor_id")
    return sorted(User.objects.filter(pk__in=visited), key=lambda u: (sort_key(str(u)), u.pk))


def enterprise_visits(*, user, enterprise: Enterprise, limit: int = 10) -> list[Visit]:
    """The latest visits to one enterprise that the user may see, for the 一企一档 page."""
    return list(visit_list(user=user, enterprise_id=enterprise.pk)[:limit])


@dataclass(frozen=True)
class DemandSource:
    """The visit a demand was found on, and whether the reader may open that visit."""

    finding: VisitFinding
    visit_visible: bool


def demand_source(*, user, demand: Demand) -> DemandSource | None:
    """The finding behind a demand the user already sees (the demand page checked that), with its visit's date
    and visitor; the link to the visit is offered only when the visit is in the user's scope."""
    if demand.channel != Channel.VISIT:
        return None  # only on-site visit demands come from findings: other demand pages pay no query
    finding = (
        VisitFinding.objects.filter(demand_id=demand.pk)
        .select_related("visit", "visit__visitor", "visit__department")
        .first()
    )
    if finding is None:
        return None
    visible = Visit.objects.visible_to(user).filter(pk=finding.visit_id).exists()
    return DemandSource(finding=finding, visit_visible=visible)


def export_rows(*, user, visits: QuerySet[Visit]) -> Iterable[tuple[Visit, VisitFinding | None]]:
    """Each visit with each of its findings (a visit without findings once, with ``None``), demands attached."""
    findings = VisitFinding.objects.order_by("id")
    rows = list(visits.prefetch_related(Prefetch("findings", queryset=findings)))
    attach_demands(user=user, findings=[f for visit in rows for f in visit.findings.all()])
    for visit in rows:
        found = list(visit.findings.all())
        if not found:
            yield visit, None
        for finding in found:
            yield visit, finding
