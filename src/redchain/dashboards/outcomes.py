"""党建成效: the party work done by an alliance, a branch or a pairing next to the outcomes of its enterprises.

A *unit* is one alliance, one enterprise's party organisation (the top one the firm owns: its committee,
general branch or branch, with the work of the workshop branches and groups under it) or one pairing. Its
*enterprises* are, in turn, the alliance's member firms, the firm that owns the organisation, or the
pairing's partner firm (a village or community partner has none, so only its work shows).

Work, counted inside the window (dates are the day the thing happened):

* alliance — meetings held (双月例会), six-action activities, matches closed with a result, visits to its
  member firms, suggestions adopted for them;
* branch — party-life activities held (三会一课, 主题党日 …), suggestions adopted, task forces formed,
  visits to its firm;
* pairing — promises delivered, pairing projects completed, visits to the partner firm.

Outcomes of the unit's enterprises, with the 三率 definitions of ``demands.stats`` over the whole window:
demands submitted, closed, solved (resolution rate = solved ÷ closed), ratings and satisfied ratings
(satisfaction rate), and the economic benefit in 万元 recorded by the work itself (alliance: money saved by
closed matches; branch: benefit of implemented suggestions; pairing: funds delivered).

A firm in two alliances counts for both, as in the 三率 table grouped by alliance. Nothing here says the
work *caused* the outcome: the comparison of busier and quieter units is a prompt to look, not a verdict.

Readers: whole-zone readers only (zone admins and leaders). Anybody else would see the outcomes of the
few demands in their own scope, which would mislead, so they get no table and no panel.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redchain.accounts.scope import scope_for
from redchain.demands.models import Demand, Rating
from redchain.demands.stats import SATISFIED_LEVELS, SHANGHAI, ratio
from redchain.exchange.models import Match
from redchain.mechanisms.models import Activity, Meeting
from redchain.orgs.models import Alliance, AllianceMember, PartyOrg
from redchain.pairings.models import Pairing, PairingProject, PairingPromise
from redchain.partylife.models import PartyActivity
from redchain.taskforces.models import Suggestion, TaskForce
from redchain.visits.models import Visit

KINDS = ("alliance", "branch", "pairing")
KIND_LABELS = {
    "alliance": _("Alliances"),
    "branch": _("Enterprise party organisations"),
    "pairing": _("Pairings"),
}
# The work columns each kind of unit shows, in order, with their labels.
WORK_COLUMNS = {
    "alliance": [
        ("meetings", _("Meetings held")),
        ("activities", _("Six-action activities")),
        ("matches", _("Matches closed")),
        ("visits", _("Visits")),
        ("suggestions", _("Suggestions adopted")),
    ],
    "branch": [
        ("activities", _("Party-life activities")),
        ("suggestions", _("Suggestions adopted")),
        ("task_forces", _("Task forces formed")),
        ("visits", _("Visits")),
    ],
    "pairing": [
        ("promises", _("Promises delivered")),
        ("projects", _("Projects completed")),
        ("visits", _("Visits")),
    ],
}
BENEFIT_LABELS = {
    "alliance": _("Saved by matches (10k yuan)"),
    "branch": _("Benefit of suggestions (10k yuan)"),
    "pairing": _("Funds delivered (10k yuan)"),
}
WINDOW_DAYS = 365
CENTS = Decimal("0.01")


class OutcomeError(ValueError):
    """A kind or window that cannot be computed."""


@dataclass
class Window:
    """Inclusive dates, read in Asia/Shanghai like every other figure of the zone."""

    since: dt.date
    until: dt.date

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(self.since, dt.time.min, tzinfo=SHANGHAI)
        end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
        return start, end


@dataclass
class EnterpriseFigures:
    """Demand outcomes and visits of one firm inside the window."""

    demands: int = 0
    closed: int = 0
    solved: int = 0
    rated: int = 0
    satisfied: int = 0
    visits: int = 0
    suggestions: int = 0


@dataclass
class OutcomeRow:
    key: int
    label: str
    url: str
    enterprise_ids: frozenset[int]
    work: dict[str, int] = field(default_factory=dict)
    demands: int = 0
    closed: int = 0
    solved: int = 0
    rated: int = 0
    satisfied: int = 0
    benefit_wan: Decimal = Decimal("0")

    @property
    def enterprise_count(self) -> int:
        return len(self.enterprise_ids)

    @property
    def work_total(self) -> int:
        return sum(self.work.values())

    @property
    def resolution_rate(self) -> float | None:
        return ratio(self.solved, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied, self.rated)

    def add(self, figures: EnterpriseFigures) -> None:
        self.demands += figures.demands
        self.closed += figures.closed
        self.solved += figures.solved
        self.rated += figures.rated
        self.satisfied += figures.satisfied


@dataclass
class Half:
    """Pooled outcomes of the busier or the quieter half of the units."""

    units: int = 0
    closed: int = 0
    solved: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def resolution_rate(self) -> float | None:
        return ratio(self.solved, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied, self.rated)


@dataclass
class Outcomes:
    kind: str
    window: Window
    rows: list[OutcomeRow]
    busier: Half
    quieter: Half
    median_work: float | None

    @property
    def work_columns(self):
        return WORK_COLUMNS[self.kind]

    @property
    def benefit_label(self):
        return BENEFIT_LABELS[self.kind]

    def table(self) -> list[tuple[OutcomeRow, list[int]]]:
        """Each row with its work figures in the order of ``work_columns`` (templates cannot index a dict)."""
        return [(row, [row.work.get(key, 0) for key, _label in self.work_columns]) for row in self.rows]


def may_view(user, zone_id: int) -> bool:
    return scope_for(user).reads_whole_zone(zone_id)


def default_window(*, zone_id: int) -> Window:
    """The year up to the latest demand of the zone, so a zone (or the demo) whose data stops shows it."""
    latest = Demand.objects.filter(zone_id=zone_id).aggregate(at=Max("created_at"))["at"]
    until = (latest or timezone.now()).astimezone(SHANGHAI).date()
    return Window(since=until - dt.timedelta(days=WINDOW_DAYS - 1), until=until)


def outcomes(*, user, zone_id: int, kind: str, window: Window) -> Outcomes:
    """Every unit of ``kind`` in the zone with its work and its enterprises' outcomes; a constant number of
    queries whatever the number of units (one per figure, grouped by unit or by enterprise)."""
    if kind not in KINDS:
        raise OutcomeError(f"unknown kind {kind!r}")
    if window.since > window.until:
        raise OutcomeError("the window ends before it starts")
    if not may_view(user, zone_id):
        return Outcomes(kind, window, [], Half(), Half(), None)
    rows = _UNITS[kind](zone_id, window)
    firms = _enterprise_figures(zone_id, window, {pk for row in rows for pk in row.enterprise_ids})
    for row in rows:
        for pk in row.enterprise_ids:
            row.add(firms[pk])
        row.work["visits"] = sum(firms[pk].visits for pk in row.enterprise_ids)
        if kind == "alliance":
            row.work["suggestions"] = sum(firms[pk].suggestions for pk in row.enterprise_ids)
        # SQLite sums decimals as floats; two places, as entered, on every database.
        row.benefit_wan = Decimal(row.benefit_wan).quantize(CENTS)
    rows.sort(key=lambda row: (-row.work_total, row.label))
    return _compare(kind, window, rows)


def outcome_for(*, user, obj, window: Window | None = None) -> tuple[Outcomes, OutcomeRow] | None:
    """The one row of an alliance or a party organisation, for its page; None when there is none to show."""
    kind = "alliance" if isinstance(obj, Alliance) else "branch"
    if kind == "branch" and obj.owner_kind != PartyOrg.OwnerKind.ENTERPRISE:
        return None
    window = window or default_window(zone_id=obj.zone_id)
    table = outcomes(user=user, zone_id=obj.zone_id, kind=kind, window=window)
    row = next((row for row in table.rows if row.key == obj.pk), None)
    return (table, row) if row is not None else None


# --- units ------------------------------------------------------------------------------------------------


def _alliances(zone_id: int, window: Window) -> list[OutcomeRow]:
    members: dict[int, set[int]] = defaultdict(set)
    for alliance_id, enterprise_id in AllianceMember.objects.filter(
        alliance__zone_id=zone_id, enterprise__isnull=False
    ).values_list("alliance_id", "enterprise_id"):
        members[alliance_id].add(enterprise_id)
    meetings = _count(
        Meeting.objects.filter(zone_id=zone_id, status=Meeting.Status.HELD, held_on__range=_range(window)),
        "alliance_id",
    )
    activities = _count(
        Activity.objects.filter(zone_id=zone_id, held_on__range=_range(window)), "alliance_id"
    )
    closed = Match.objects.filter(
        zone_id=zone_id, status=Match.Status.CLOSED, closed_on__range=_range(window), alliance__isnull=False
    )
    matches = _count(closed, "alliance_id")
    saved = dict(
        closed.order_by()
        .values_list("alliance_id")
        .annotate(total=Sum("saved_wan"))
        .values_list("alliance_id", "total")
    )
    return [
        OutcomeRow(
            key=alliance.pk,
            label=alliance.name,
            url=reverse("orgs:alliance_detail", args=[alliance.pk]),
            enterprise_ids=frozenset(members[alliance.pk]),
            work={
                "meetings": meetings.get(alliance.pk, 0),
                "activities": activities.get(alliance.pk, 0),
                "matches": matches.get(alliance.pk, 0),
            },
            benefit_wan=saved.get(alliance.pk) or Decimal("0"),
        )
        for alliance in Alliance.objects.filter(zone_id=zone_id).order_by("id")
    ]


def _branches(zone_id: int, window: Window) -> list[OutcomeRow]:
    """One row per enterprise with its own party organisation: the top one (the committee over its workshop
    branches), with the work of every organisation the firm owns, so a firm's outcomes count once."""
    orgs = PartyOrg.objects.filter(
        zone_id=zone_id, owner_kind=PartyOrg.OwnerKind.ENTERPRISE, owner_enterprise__isnull=False
    ).order_by("depth", "path", "id")
    firm_of: dict[int, int] = {}
    tops: dict[int, PartyOrg] = {}
    for org in orgs:
        if org.owner_enterprise_id is not None:  # always, by the filter; this tells the type checker
            firm_of[org.pk] = org.owner_enterprise_id
            tops.setdefault(org.owner_enterprise_id, org)

    def per_firm(counts: dict[int, int]) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for org_id, n in counts.items():
            if org_id in firm_of:
                totals[firm_of[org_id]] += n
        return totals

    activities = per_firm(
        _count(PartyActivity.objects.filter(zone_id=zone_id, held_on__range=_range(window)), "org_id")
    )
    suggestions = per_firm(
        _count(Suggestion.objects.filter(zone_id=zone_id, adopted_on__range=_range(window)), "org_id")
    )
    task_forces = per_firm(
        _count(TaskForce.objects.filter(zone_id=zone_id, formed_on__range=_range(window)), "org_id")
    )
    benefit: dict[int, Decimal] = defaultdict(Decimal)
    for org_id, total in (
        Suggestion.objects.filter(
            zone_id=zone_id, status=Suggestion.Status.IMPLEMENTED, implemented_on__range=_range(window)
        )
        .order_by()
        .values_list("org_id")
        .annotate(total=Sum("benefit_wan"))
        .values_list("org_id", "total")
    ):
        if org_id in firm_of and total is not None:
            benefit[firm_of[org_id]] += total
    return [
        OutcomeRow(
            key=org.pk,
            label=org.name,
            url=reverse("orgs:party_org_detail", args=[org.pk]),
            enterprise_ids=frozenset({firm}),
            work={
                "activities": activities.get(firm, 0),
                "suggestions": suggestions.get(firm, 0),
                "task_forces": task_forces.get(firm, 0),
            },
            benefit_wan=benefit.get(firm, Decimal("0")),
        )
        for firm, org in tops.items()
    ]


def _pairings(zone_id: int, window: Window) -> list[OutcomeRow]:
    promises = PairingPromise.objects.filter(
        zone_id=zone_id, delivered_on__range=_range(window), status=PairingPromise.Status.DELIVERED
    )
    delivered = _count(promises, "pairing_id")
    funds = dict(
        PairingPromise.objects.filter(zone_id=zone_id, delivered_on__range=_range(window))
        .order_by()
        .values_list("pairing_id")
        .annotate(total=Sum("delivered_amount_wan"))
        .values_list("pairing_id", "total")
    )
    projects = _count(
        PairingProject.objects.filter(
            zone_id=zone_id, status=PairingProject.Status.DONE, completed_on__range=_range(window)
        ),
        "pairing_id",
    )
    return [
        OutcomeRow(
            key=pairing.pk,
            label=pairing.name,
            url=reverse("pairings:detail", args=[pairing.pk]),
            enterprise_ids=(
                frozenset({pairing.partner_enterprise_id}) if pairing.partner_enterprise_id else frozenset()
            ),
            work={"promises": delivered.get(pairing.pk, 0), "projects": projects.get(pairing.pk, 0)},
            benefit_wan=funds.get(pairing.pk) or Decimal("0"),
        )
        for pairing in Pairing.objects.filter(zone_id=zone_id).order_by("id")
    ]


_UNITS = {"alliance": _alliances, "branch": _branches, "pairing": _pairings}


# --- enterprises ------------------------------------------------------------------------------------------


def _enterprise_figures(zone_id: int, window: Window, ids: set[int]) -> dict[int, EnterpriseFigures]:
    """Outcomes per firm, five grouped queries in all."""
    figures: dict[int, EnterpriseFigures] = defaultdict(EnterpriseFigures)
    start, end = window.moments()
    demands = Demand.objects.filter(zone_id=zone_id, enterprise_id__in=ids)
    for pk, n in _pairs(demands.filter(created_at__gte=start, created_at__lt=end), "enterprise_id"):
        figures[pk].demands = n
    closed = demands.filter(status=Demand.Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
    for row in (
        closed.order_by()
        .values("enterprise_id")
        .annotate(closed=Count("id"), solved=Count("id", filter=Q(is_solved=True)))
    ):
        figures[row["enterprise_id"]].closed = row["closed"]
        figures[row["enterprise_id"]].solved = row["solved"]
    ratings = Rating.objects.filter(
        demand__zone_id=zone_id, demand__enterprise_id__in=ids, created_at__gte=start, created_at__lt=end
    )
    for rating in (
        ratings.order_by()
        .values("demand__enterprise_id")
        .annotate(rated=Count("id"), satisfied=Count("id", filter=Q(level__in=SATISFIED_LEVELS)))
    ):
        figures[rating["demand__enterprise_id"]].rated = rating["rated"]
        figures[rating["demand__enterprise_id"]].satisfied = rating["satisfied"]
    visits = Visit.objects.filter(zone_id=zone_id, enterprise_id__in=ids, visited_on__range=_range(window))
    for pk, n in _pairs(visits, "enterprise_id"):
        figures[pk].visits = n
    adopted = Suggestion.objects.filter(
        zone_id=zone_id, enterprise_id__in=ids, adopted_on__range=_range(window)
    )
    for pk, n in _pairs(adopted, "enterprise_id"):
        figures[pk].suggestions = n
    return figures


# --- helpers ----------------------------------------------------------------------------------------------


def _range(window: Window) -> tuple[dt.date, dt.date]:
    return (window.since, window.until)


def _pairs(queryset, key: str) -> Iterable[tuple[int, int]]:
    return queryset.order_by().values_list(key).annotate(n=Count("id")).values_list(key, "n")


def _count(queryset, key: str) -> dict[int, int]:
    return dict(_pairs(queryset, key))


def _compare(kind: str, window: Window, rows: list[OutcomeRow]) -> Outcomes:
    """Split the units at the median of their work and pool each half's outcomes.

    Units with no enterprise (a village pairing) have no outcomes to pool and stay out of both halves.
    A unit exactly at the median counts as quieter, so "busier" always means strictly more work.
    """
    pooled = [row for row in rows if row.enterprise_ids]
    middle = median(row.work_total for row in pooled) if pooled else None
    busier, quieter = Half(), Half()
    for row in pooled:
        half = busier if middle is not None and row.work_total > middle else quieter
        half.units += 1
        half.closed += row.closed
        half.solved += row.solved
        half.rated += row.rated
        half.satisfied += row.satisfied
    return Outcomes(kind, window, rows, busier, quieter, middle)
