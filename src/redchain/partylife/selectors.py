"""Reads of party life, already restricted to what the user may see (through the party organisations).

Pages, exports, the API and the party-organisation panel all call these.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from redchain.orgs.models import PartyOrg
from redchain.partylife import compliance
from redchain.partylife.models import Attendance, BranchBrand, BranchRating, CadenceRule, PartyActivity

PRESENT = Q(attendance__status=Attendance.Status.PRESENT)


def with_attendance(qs: QuerySet[PartyActivity]) -> QuerySet[PartyActivity]:
    return qs.annotate(roll_count=Count("attendance"), present_count=Count("attendance", filter=PRESENT))


def _activities(
    *,
    user,
    zone_id: int | None = None,
    org_id: int | None = None,
    kind: str = "",
    month: date | None = None,
    q: str = "",
) -> QuerySet[PartyActivity]:
    qs = PartyActivity.objects.visible_to(user)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if org_id:
        qs = qs.filter(org_id=org_id)
    if kind:
        qs = qs.filter(kind=kind)
    if month:
        qs = qs.filter(held_on__gte=month, held_on__lte=compliance.month_end(month))
    if q:
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(topic__icontains=q.strip()))
    return qs


def activity_list(*, user, **filters) -> QuerySet[PartyActivity]:
    """Activities the user may see (filters: zone_id, org_id, kind, month, q), newest first, with roll-call
    counts."""
    qs = _activities(user=user, **filters).select_related("org", "zone")
    return with_attendance(qs).order_by("-held_on", "-id")


def kind_counts(*, user, **filters) -> dict[str, int]:
    """{kind: number of activities} under the same filters, in one grouped query."""
    rows = _activities(user=user, **filters).order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def activity_get(*, user, pk: int) -> PartyActivity:
    """One activity, or ``PartyActivity.DoesNotExist`` when it is outside the user's scope."""
    return activity_list(user=user).get(pk=pk)


def roll_call(activity: PartyActivity) -> QuerySet[Attendance]:
    return activity.attendance.select_related("member").order_by("member__sort_name", "member_id")


def attendance_rate(activity) -> float | None:
    """Present over everyone on the roll, from the annotated counts."""
    return activity.present_count / activity.roll_count if activity.roll_count else None


# --- cadence and compliance -------------------------------------------------------------------------


def cadence_rules(*, user, zone_id: int, active_only: bool = False) -> list[CadenceRule]:
    qs = CadenceRule.objects.visible_to(user).filter(zone_id=zone_id)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("every_months", "kind"))


def cadence_rule_get(*, user, zone_id: int, pk: int) -> CadenceRule:
    return CadenceRule.objects.visible_to(user).get(zone_id=zone_id, pk=pk)


def default_month(*, user, zone_id: int) -> date:
    """The latest complete month with any activity the user can see; else the last complete month."""
    this_month = timezone.localdate().replace(day=1)
    latest = (
        PartyActivity.objects.visible_to(user)
        .filter(zone_id=zone_id, held_on__lt=this_month)
        .aggregate(latest=Max("held_on"))["latest"]
    )
    return latest.replace(day=1) if latest else compliance.add_months(this_month, -1)


def compliance_report(
    *, user, zone_id: int, month: date, org_id: int | None = None, kind: str = ""
) -> compliance.Report:
    """The missed-cadence list of the organisations the user sees, for the month."""
    rules = [
        rule
        for rule in cadence_rules(user=user, zone_id=zone_id, active_only=True)
        if not kind or rule.kind == kind
    ]
    orgs = PartyOrg.objects.visible_to(user).filter(zone_id=zone_id)
    if org_id:
        orgs = orgs.filter(pk=org_id)
    return compliance.review(orgs=orgs, rules=rules, month=month)


# --- brands and ratings -----------------------------------------------------------------------------


def brand_list(*, user, zone_id: int | None = None, status: str = "", q: str = "") -> QuerySet[BranchBrand]:
    qs = BranchBrand.objects.visible_to(user).select_related(
        "org", "org__owner_enterprise", "org__owner_department"
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(org__name__icontains=q.strip()))
    return qs.order_by("sort_name", "id")


def brand_get(*, user, pk: int) -> BranchBrand:
    return brand_list(user=user).get(pk=pk)


def rating_list(
    *, user, zone_id: int | None = None, year: int | None = None, level: int | None = None
) -> QuerySet[BranchRating]:
    qs = BranchRating.objects.visible_to(user).select_related("org")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-year", "-score", "org__sort_name", "id")


def rating_get(*, user, pk: int) -> BranchRating:
    return rating_list(user=user).get(pk=pk)


def rating_years(*, user, zone_id: int) -> list[int]:
    return list(
        BranchRating.objects.visible_to(user)
        .filter(zone_id=zone_id)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


# --- one organisation -------------------------------------------------------------------------------


def org_summary(*, user, org: PartyOrg) -> dict:
    """What the party-organisation page shows about party life: recent activities, the attendance rate over
    the last twelve months, compliance for the latest month, the active brand and the latest rating."""
    activities = activity_list(user=user, org_id=org.pk)
    month = default_month(user=user, zone_id=org.zone_id)
    since = compliance.add_months(month, -11)
    totals = (
        Attendance.objects.visible_to(user)
        .filter(activity__org=org, activity__held_on__gte=since)
        .aggregate(roll=Count("id"), present=Count("id", filter=Q(status=Attendance.Status.PRESENT)))
    )
    return {
        "org": org,
        "recent": list(activities[:5]),
        "activity_count": activities.filter(held_on__gte=since).count(),
        "attendance_rate": totals["present"] / totals["roll"] if totals["roll"] else None,
        "since": since,
        "report": compliance_report(user=user, zone_id=org.zone_id, month=month, org_id=org.pk),
        "brand": brand_list(user=user).filter(org=org, status__in=BranchBrand.ACTIVE).first(),
        "rating": rating_list(user=user).filter(org=org).first(),
    }
