"""Reads of the alliance mechanisms, already restricted to what the user may see.

Pages, exports, the API and the alliance-page panel call these; detail getters raise ``DoesNotExist`` for
anything outside the user's scope, which views turn into 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from redchain.accounts.scope import scope_for
from redchain.mechanisms.models import (
    SLOTS_PER_YEAR,
    Action,
    ActionItem,
    Activity,
    Attendance,
    Commitment,
    Meeting,
    Pact,
    Place,
    today,
)
from redchain.mechanisms.querysets import readable_alliance_ids
from redchain.orgs.models import Alliance, AllianceMember

_MEMBER_JOINS = ("party_org", "enterprise", "department")


def _members(prefix: str) -> list[str]:
    return [f"{prefix}__{name}" for name in _MEMBER_JOINS]


def alliances(*, user, zone_id: int | None = None) -> QuerySet[Alliance]:
    """The alliances whose mechanisms the user reads (for filters, forms and the overview)."""
    scope = scope_for(user)
    qs = Alliance.objects.visible_to(user).select_related("chain")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if scope.is_superuser:
        return qs
    condition = Q(zone_id__in=scope.full_zone_ids) | Q(pk__in=scope.alliance_ids)
    if scope.department_ids or scope.enterprise_ids:
        condition |= Q(pk__in=readable_alliance_ids(scope))
    return qs.filter(condition).order_by("chain__position", "id")


def alliance_get(*, user, pk: int) -> Alliance:
    return alliances(user=user).get(pk=pk)


# ---------------------------------------------------------------------------------------------- meetings


def meeting_list(
    *,
    user,
    zone_id: int | None = None,
    alliance_id: int | None = None,
    kind: str = "",
    status: str = "",
    year: int | None = None,
    overdue: bool | None = None,
) -> QuerySet[Meeting]:
    qs = Meeting.objects.visible_to(user).select_related("alliance", "place")
    qs = qs.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        item_count=Count("action_items", distinct=True),
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if alliance_id:
        qs = qs.filter(alliance_id=alliance_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    if overdue is not None:
        late = Q(status=Meeting.Status.PLANNED, planned_on__lt=today())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.order_by("-planned_on", "-id")


def meeting_get(*, user, pk: int) -> Meeting:
    attendance = Attendance.objects.select_related(*_members("member"))
    items = ActionItem.objects.select_related(*_members("owner")).order_by("due_on", "id")
    return (
        meeting_list(user=user)
        .prefetch_related(
            Prefetch("attendance", queryset=attendance), Prefetch("action_items", queryset=items)
        )
        .get(pk=pk)
    )


def alliance_members(*, alliance: Alliance) -> QuerySet[AllianceMember]:
    """The member units of an alliance the user already reads (the roster is public within the zone)."""
    return alliance.members.select_related(*_MEMBER_JOINS)


@dataclass
class Slot:
    """One two-month slot of an alliance's year: its bimonthly meeting, if any, and its state."""

    number: int
    months: str
    meeting: Meeting | None

    @property
    def state(self) -> str:
        if self.meeting is None:
            return "none"
        return "overdue" if self.meeting.is_overdue else self.meeting.status


def cadence(*, user, alliance: Alliance, year: int) -> list[Slot]:
    """The six slots of ``year`` for an alliance the user reads."""
    meetings = {
        m.slot: m
        for m in meeting_list(user=user, alliance_id=alliance.pk, year=year, kind=Meeting.Kind.BIMONTHLY)
    }
    return [
        Slot(number=n, months=f"{2 * n - 1}–{2 * n}", meeting=meetings.get(n))
        for n in range(1, SLOTS_PER_YEAR + 1)
    ]


# ---------------------------------------------------------------------------------------------- action items


def action_item_list(
    *,
    user,
    zone_id: int | None = None,
    alliance_id: int | None = None,
    status: str = "",
    overdue: bool | None = None,
    meeting_id: int | None = None,
) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.visible_to(user).select_related("alliance", "meeting", *_members("owner"))
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if alliance_id:
        qs = qs.filter(alliance_id=alliance_id)
    if meeting_id:
        qs = qs.filter(meeting_id=meeting_id)
    if status:
        qs = qs.filter(status=status)
    if overdue is not None:
        late = Q(status=ActionItem.Status.OPEN, due_on__lt=today())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.order_by("status", "due_on", "id")


def action_item_get(*, user, pk: int) -> ActionItem:
    return action_item_list(user=user).get(pk=pk)


# ---------------------------------------------------------------------------------------------- pacts


def _commitment_counts(prefix: str = "commitments") -> dict:
    return {
        "commitment_count": Count(prefix, distinct=True),
        "fulfilled_count": Count(prefix, filter=Q(**{f"{prefix}__status": "fulfilled"}), distinct=True),
        "not_fulfilled_count": Count(
            prefix, filter=Q(**{f"{prefix}__status": "not_fulfilled"}), distinct=True
        ),
    }


def rate(part: int, whole: int) -> float | None:
    """A share in percent with one decimal, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def pact_list(*, user, zone_id: int | None = None, alliance_id: int | None = None) -> QuerySet[Pact]:
    qs = Pact.objects.visible_to(user).select_related("alliance").annotate(**_commitment_counts())
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if alliance_id:
        qs = qs.filter(alliance_id=alliance_id)
    return qs.order_by("-signed_on", "-id")


def pact_get(*, user, pk: int) -> Pact:
    commitments = Commitment.objects.select_related(*_members("member")).order_by("due_on", "id")
    return pact_list(user=user).prefetch_related(Prefetch("commitments", queryset=commitments)).get(pk=pk)


def commitment_get(*, user, pk: int) -> Commitment:
    return (
        Commitment.objects.visible_to(user)
        .select_related("pact__alliance", *_members("member"), "member__party_org")
        .get(pk=pk)
    )


def commitment_rows(*, pacts: QuerySet[Pact]) -> QuerySet[Commitment]:
    """The commitments of the given (already scoped) pacts, for the export."""
    return (
        Commitment.objects.filter(pact__in=pacts.values("pk"))
        .select_related("pact__alliance", *_members("member"))
        .order_by("pact__alliance__chain__position", "-pact__signed_on", "pact_id", "due_on", "id")
    )


# ---------------------------------------------------------------------------------------------- activities


def activity_list(
    *,
    user,
    zone_id: int | None = None,
    alliance_id: int | None = None,
    action: str = "",
    year: int | None = None,
    q: str = "",
) -> QuerySet[Activity]:
    qs = Activity.objects.visible_to(user).select_related("alliance", "place")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if alliance_id:
        qs = qs.filter(alliance_id=alliance_id)
    if action:
        qs = qs.filter(action=action)
    if year:
        qs = qs.filter(held_on__year=year)
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(summary__icontains=q.strip()))
    return qs.order_by("-held_on", "-id")


def activity_get(*, user, pk: int) -> Activity:
    return activity_list(user=user).get(pk=pk)


# ---------------------------------------------------------------------------------------------- places


def place_list(
    *, user, zone_id: int | None = None, kind: str = "", alliance_id: int | None = None
) -> QuerySet[Place]:
    qs = Place.objects.visible_to(user).select_related("alliance", "host_enterprise")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if kind:
        qs = qs.filter(kind=kind)
    if alliance_id:
        qs = qs.filter(alliance_id=alliance_id)
    return qs.order_by("sort_name", "id")


def place_get(*, user, pk: int) -> Place:
    return place_list(user=user).get(pk=pk)


# ---------------------------------------------------------------------------------------------- overview


@dataclass
class AllianceWork:
    """One alliance's line on the overview: the year's meetings, action items, pacts and the six actions."""

    alliance: Alliance
    held: int = 0
    missed: int = 0
    overdue_meetings: int = 0
    open_items: int = 0
    overdue_items: int = 0
    commitments: int = 0
    fulfilled: int = 0
    actions: dict[str, int] = field(default_factory=dict)

    @property
    def fulfilment_rate(self) -> float | None:
        return rate(self.fulfilled, self.commitments)

    @property
    def action_cells(self) -> list[int]:
        return [self.actions.get(value, 0) for value in Action.values]

    @property
    def activity_total(self) -> int:
        return sum(self.actions.values())


def overview(*, user, zone_id: int, year: int, alliance_id: int | None = None) -> list[AllianceWork]:
    """Per alliance the user reads: four grouped queries whatever the number of alliances."""
    lines = {a.pk: AllianceWork(alliance=a) for a in alliances(user=user, zone_id=zone_id)}
    if alliance_id is not None:
        lines = {pk: line for pk, line in lines.items() if pk == alliance_id}
    day = today()
    meetings = Meeting.objects.visible_to(user).filter(
        zone_id=zone_id, year=year, kind=Meeting.Kind.BIMONTHLY
    )
    for row in (
        meetings.values("alliance_id")
        .order_by()
        .annotate(
            held=Count("id", filter=Q(status="held"), distinct=True),
            missed=Count("id", filter=Q(status="missed"), distinct=True),
            late=Count("id", filter=Q(status="planned", planned_on__lt=day), distinct=True),
        )
    ):
        if line := lines.get(row["alliance_id"]):
            line.held, line.missed, line.overdue_meetings = row["held"], row["missed"], row["late"]
    items = ActionItem.objects.visible_to(user).filter(zone_id=zone_id, status=ActionItem.Status.OPEN)
    for row in (
        items.values("alliance_id")
        .order_by()
        .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=day)))
    ):
        if line := lines.get(row["alliance_id"]):
            line.open_items, line.overdue_items = row["n"], row["late"]
    commitments = Commitment.objects.visible_to(user).filter(zone_id=zone_id)
    for row in (
        commitments.values("pact__alliance_id")
        .order_by()
        .annotate(n=Count("id"), kept=Count("id", filter=Q(status="fulfilled")))
    ):
        if line := lines.get(row["pact__alliance_id"]):
            line.commitments, line.fulfilled = row["n"], row["kept"]
    activities = Activity.objects.visible_to(user).filter(zone_id=zone_id, held_on__year=year)
    for row in activities.values("alliance_id", "action").annotate(n=Count("id")).order_by():
        if line := lines.get(row["alliance_id"]):
            line.actions[row["action"]] = row["n"]
    return list(lines.values())


def action_totals(lines: list[AllianceWork]) -> list[int]:
    """The column sums of the six actions over the overview's alliances."""
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        for action, n in line.actions.items():
            totals[action] += n
    return [totals[value] for value in Action.values]


def managed_alliances(*, user, zone_id: int) -> QuerySet[Alliance]:
    """The alliances whose records the user keeps: all of the zone for its admins, else their own."""
    scope = scope_for(user)
    qs = alliances(user=user, zone_id=zone_id)
    return qs if scope.administers(zone_id) else qs.filter(pk__in=scope.alliance_ids)
