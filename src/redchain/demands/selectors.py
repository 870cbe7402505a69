"""Reads of the demand loop, already restricted to what the user may see and joined for display."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from redchain.accounts.scope import scope_for
from redchain.demands import search
from redchain.demands.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Category,
    Demand,
    DemandEvent,
    Notification,
)


def demand_list(
    *,
    user,
    zone_id: int | None = None,
    status: str = "",
    department_id: int | None = None,
    category_id: int | None = None,
    disposition: str = "",
    channel: str = "",
    enterprise_id: int | None = None,
    overdue: bool | None = None,
    leader_queue: bool | None = None,
    q: str = "",
) -> QuerySet[Demand]:
    """Demands the user may see, filtered, newest first; ``next_due`` is the earliest closure deadline
    of a work order still being handled (none once the lead department has replied)."""
    qs = Demand.objects.visible_to(user).select_related("zone", "category", "category__parent", "enterprise")
    # A correlated subquery, not a join with GROUP BY: the database computes it only for the page's rows,
    # and the paginator's COUNT stays a plain count.
    # Work orders still being handled: a replied one's clock has stopped, so it has no deadline left and
    # cannot be late. Both the next deadline and the overdue filter read these.
    working = Assignment.objects.filter(demand=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENT_STATUSES).exclude(
        status="replied"
    )
    qs = qs.annotate(next_due=Subquery(working.order_by("close_due").values("close_due")[:1]))
    filters = {
        "zone_id": zone_id,
        "status": status,
        "category_id": category_id,
        "disposition": disposition,
        "channel": channel,
        "enterprise_id": enterprise_id,
    }
    qs = qs.filter(**{name: value for name, value in filters.items() if value})
    if department_id:
        qs = qs.filter(Exists(Assignment.objects.filter(demand=OuterRef("pk"), department_id=department_id)))
    if overdue is not None:
        late = working.filter(close_due__lt=timezone.now())
        qs = qs.filter(Exists(late)) if overdue else qs.exclude(Exists(late))
    if leader_queue is not None:
        qs = qs.filter(in_leader_queue=leader_queue)
    if q.strip():
        # Title and body through the full-text index (demands.search), tracking code, enterprise name.
        qs = qs.filter(search.condition(q))
    return qs.order_by("-created_at", "-id")  # type: ignore[return-value]


def demand_get(*, user, pk: int) -> Demand:
    """One demand with everything its page shows, or ``Demand.DoesNotExist`` outside the user's scope."""
    return (
        Demand.objects.visible_to(user)
        .select_related("zone", "category", "enterprise", "alliance", "merged_into", "submitted_by")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("department").prefetch_related("extensions"),
            ),
            Prefetch(
                "events", queryset=DemandEvent.objects.select_related("actor", "assignment__department")
            ),
            "instructions__leader",
            "ratings",
            "attachments",
            "supervisions",
        )
        .get(pk=pk)
    )


def department_inbox(*, user) -> QuerySet[Assignment]:
    """Active work orders of the user's departments, most urgent first (overdue, then due soonest)."""
    departments = scope_for(user).department_ids
    return (
        Assignment.objects.filter(department_id__in=departments, status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .exclude(status=Assignment.Status.REPLIED)
        .select_related("demand", "demand__enterprise", "demand__category", "department")
        .order_by("close_due", "id")
    )


def leader_queue(*, user, zone_id: int) -> QuerySet[Demand]:
    """Demands for the leaders: the direct line and 报告办, still open."""
    return demand_list(user=user, zone_id=zone_id, leader_queue=True).exclude(
        status__in=[Demand.Status.CLOSED, Demand.Status.REJECTED, Demand.Status.MERGED]
    )


def public_timeline(demand: Demand) -> QuerySet[DemandEvent]:
    """What the public tracking page shows: kinds and times, no names, no internal notes."""
    return (
        demand.events.filter(public=True).only("kind", "created_at", "to_status").order_by("created_at", "id")
    )


def categories(*, zone_id: int) -> QuerySet[Category]:
    return (
        Category.objects.filter(zone_id=zone_id)
        .select_related("parent")
        .order_by("parent_id", "position", "id")
    )


def unread_notifications(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True).select_related("demand", "event")
