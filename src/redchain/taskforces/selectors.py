"""Reads of task forces and suggestions, already restricted to what the user may see and joined for display.

Pages, their Excel exports, the API and the panels on other apps' pages all read through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from redchain.orgs.models import PartyOrg
from redchain.taskforces.models import Suggestion, TaskForce, TaskForceMember

FUNNEL_GROUPS = {
    # group key -> (id field, name field, pinyin sort field)
    "org": ("org_id", "org__name", "org__sort_name"),
    "enterprise": ("enterprise_id", "enterprise__name", "enterprise__sort_name"),
    "task_force": ("task_force_id", "task_force__name", "task_force__sort_name"),
}


def _members_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=TaskForceMember.objects.select_related("member", "member__org").order_by(
            "role", "member__sort_name", "id"
        ),
    )


def task_force_list(
    *,
    user,
    zone_id: int | None = None,
    org_id: int | None = None,
    enterprise_id: int | None = None,
    kind: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[TaskForce]:
    """Task forces the user may see, filtered, by pinyin of the name; ``member_count`` annotated."""
    qs = (
        TaskForce.objects.visible_to(user)
        .select_related("org", "enterprise")
        .annotate(member_count=Count("members", distinct=True))
    )
    filters = {"zone_id": zone_id, "enterprise_id": enterprise_id, "kind": kind, "status": status}
    qs = qs.filter(**{name: value for name, value in filters.items() if value})
    if org_id:
        org = PartyOrg.objects.filter(pk=org_id).only("path").first()
        qs = qs.filter(org__path__startswith=org.path) if org else qs.none()
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(project__icontains=q.strip()))
    return qs.order_by("sort_name", "id")  # type: ignore[return-value]


def task_force_get(*, user, pk: int) -> TaskForce:
    """One task force with its members, or ``TaskForce.DoesNotExist`` outside the user's scope."""
    return (
        TaskForce.objects.visible_to(user)
        .select_related("zone", "org", "enterprise")
        .prefetch_related(_members_prefetch())
        .get(pk=pk)
    )


def task_forces_with_members(qs: QuerySet[TaskForce]) -> QuerySet[TaskForce]:
    """The list's task forces with their rosters, for the export."""
    return qs.prefetch_related(_members_prefetch())


def suggestion_list(
    *,
    user,
    zone_id: int | None = None,
    status: str = "",
    org_id: int | None = None,
    enterprise_id: int | None = None,
    task_force_id: int | None = None,
    year: int | None = None,
    q: str = "",
) -> QuerySet[Suggestion]:
    """Suggestions the user may see, filtered, newest first. ``org_id`` takes the organisation's subtree."""
    qs = Suggestion.objects.visible_to(user).select_related("org", "enterprise", "task_force", "submitter")
    filters = {
        "zone_id": zone_id,
        "status": status,
        "enterprise_id": enterprise_id,
        "task_force_id": task_force_id,
        "submitted_on__year": year,
    }
    qs = qs.filter(**{name: value for name, value in filters.items() if value})
    if org_id:
        org = PartyOrg.objects.filter(pk=org_id).only("path").first()
        qs = qs.filter(org__path__startswith=org.path) if org else qs.none()
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(content__icontains=q.strip()))
    return qs.order_by("-submitted_on", "-id")


def suggestion_get(*, user, pk: int) -> Suggestion:
    return suggestion_list(user=user).select_related("zone", "task_force__org").get(pk=pk)


# ---------------------------------------------------------------------------------------------- the funnel


@dataclass(frozen=True)
class FunnelRow:
    """Collected → adopted → implemented → benefit for one branch, firm or task force (or all of them).

    Adopted counts every suggestion that was ever adopted (``adopted_on`` set), including one rejected later
    at the implementation step, so each stage is a subset of the one before.
    """

    key: int | None
    name: str
    collected: int
    adopted: int
    implemented: int
    benefit_wan: Decimal

    @property
    def adoption_rate(self) -> float:
        return round(100 * self.adopted / self.collected, 1) if self.collected else 0.0

    @property
    def implementation_rate(self) -> float:
        """Implemented as a share of collected: the whole funnel's yield."""
        return round(100 * self.implemented / self.collected, 1) if self.collected else 0.0

    @property
    def conversion_rate(self) -> float:
        """Implemented as a share of adopted: how many adopted ideas were really carried out."""
        return round(100 * self.implemented / self.adopted, 1) if self.adopted else 0.0


_FUNNEL_AGGREGATES = {
    "collected": Count("id"),
    "adopted": Count("id", filter=Q(adopted_on__isnull=False)),
    "implemented": Count("id", filter=Q(status=Suggestion.Status.IMPLEMENTED)),
    "benefit": Sum("benefit_wan"),
}


def _wan(value) -> Decimal:
    # Sums come back with the database's scale (SQLite drops trailing zeros); money shows two decimals.
    return Decimal(value or 0).quantize(Decimal("0.01"))


def funnel_total(qs: QuerySet[Suggestion], *, name: str = "") -> FunnelRow:
    """The funnel of a (scoped, filtered) set of suggestions, in one query."""
    totals = qs.order_by().aggregate(**_FUNNEL_AGGREGATES)
    return FunnelRow(
        key=None,
        name=name,
        collected=totals["collected"],
        adopted=totals["adopted"],
        implemented=totals["implemented"],
        benefit_wan=_wan(totals["benefit"]),
    )


def funnel_rows(qs: QuerySet[Suggestion], *, by: str) -> list[FunnelRow]:
    """The funnel per branch, enterprise or task force, ranked: most implemented, then adopted, benefit, name.

    Suggestions with no enterprise or task force are left out of those groupings.
    """
    key, name, sort = FUNNEL_GROUPS[by]
    grouped = (
        qs.order_by()
        .filter(**{f"{key}__isnull": False})
        .values(key, name, sort)
        .annotate(**_FUNNEL_AGGREGATES)
    )
    rows = [
        FunnelRow(
            key=row[key],
            name=row[name],
            collected=row["collected"],
            adopted=row["adopted"],
            implemented=row["implemented"],
            benefit_wan=_wan(row["benefit"]),
        )
        for row in grouped
    ]
    sort_names = {row[key]: row[sort] for row in grouped}
    rows.sort(key=lambda r: (-r.implemented, -r.adopted, -r.benefit_wan, sort_names[r.key], r.key))
    return rows


def funnel_chart(row: FunnelRow, labels: dict[str, str]) -> dict:
    """The data of the ECharts funnel: one stage per step, with its share of collected."""
    stages = [
        (labels["collected"], row.collected),
        (labels["adopted"], row.adopted),
        (labels["implemented"], row.implemented),
    ]
    return {
        "stages": [{"name": label, "value": value} for label, value in stages],
        "benefit_wan": float(row.benefit_wan),
    }
