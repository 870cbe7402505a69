"""Reads of the routing app: the manual triage queue, accuracy in production and the routers in use.

Every read starts from ``Demand.objects.visible_to(user)`` or from the zone the caller has already checked,
so a zone admin of one zone never sees another zone's suggestions.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from redchain.demands.models import Category, Demand, DemandEvent
from redchain.orgs.models import Department
from redchain.routing.duplicates import find_duplicates
from redchain.routing.models import RouterModel, Suggestion
from redchain.routing.replies import CorpusStats, ReplyReview, corpus_stats_from, review_demand_reply
from redchain.routing.services import threshold

T = RouterModel.Target
TRIAGE_STATUSES = (Demand.Status.SUBMITTED, Demand.Status.ACCEPTED)


def triage_queue(*, user, zone_id: int) -> QuerySet[Demand]:
    """Demands waiting for dispatch whose department suggestion is missing or below the threshold, oldest
    first. The department decides where a demand goes, so it alone decides whether a person must look."""
    confident = Suggestion.objects.filter(
        demand=OuterRef("pk"), target=T.DEPARTMENT, confidence__gte=threshold()
    )
    return (
        Demand.objects.visible_to(user)
        .filter(zone_id=zone_id, status__in=TRIAGE_STATUSES)
        .exclude(Exists(confident))
        .select_related("enterprise")
        .prefetch_related(Prefetch("suggestions", queryset=Suggestion.objects.order_by("target")))
        .order_by("created_at", "id")
    )


def label_names(*, zone_id: int) -> dict[str, dict[str, str]]:
    """Display names of the values a suggestion can hold, per target (two queries)."""
    return {
        T.DEPARTMENT: {
            str(pk): name for pk, name in Department.objects.filter(zone_id=zone_id).values_list("id", "name")
        },
        T.CATEGORY: {
            str(pk): name for pk, name in Category.objects.filter(zone_id=zone_id).values_list("id", "name")
        },
    }


def with_names(suggestion: Suggestion, names: dict[str, dict[str, str]]) -> list[dict]:
    """The suggestion's candidates, best first, as ``{"value", "name", "confidence"}`` for templates."""
    table = names.get(suggestion.target, {})
    rows = suggestion.alternatives or [{"value": suggestion.predicted, "confidence": suggestion.confidence}]
    return [{**row, "name": table.get(str(row["value"]), "?")} for row in rows]


@dataclass
class AccuracyRow:
    """Decided suggestions of one target, month and model version, with the shares dispatchers confirmed."""

    target: str
    month: str
    model: str  # "v3", or "keywords" for cold-start suggestions
    decided: int = 0
    accepted: int = 0
    top3: int = 0

    @property
    def accepted_share(self) -> float | None:
        return self.accepted / self.decided if self.decided else None

    @property
    def top3_share(self) -> float | None:
        return self.top3 / self.decided if self.decided else None


def accuracy_in_production(*, zone_id: int) -> list[AccuracyRow]:
    """Per target, month (of the decision, in the zone's time zone) and model version, newest month first.

    Top-3 hit: the chosen value was among the (up to three) candidates shown. One query.
    """
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = (
        Suggestion.objects.filter(demand__zone_id=zone_id)
        .exclude(outcome=Suggestion.Outcome.PENDING)
        .values_list("target", "decided_at", "router__version", "source", "outcome", "chosen", "alternatives")
    )
    groups: dict[tuple[str, str, str], AccuracyRow] = {}
    for target, decided_at, version, source, outcome, chosen, alternatives in rows:
        month = (decided_at or dt.datetime.now(tz=dt.UTC)).astimezone(local).strftime("%Y-%m")
        model = f"v{version}" if version else ("keywords" if source == "keywords" else "?")
        row = groups.setdefault((target, month, model), AccuracyRow(target=target, month=month, model=model))
        row.decided += 1
        row.accepted += outcome == Suggestion.Outcome.ACCEPTED
        row.top3 += chosen in {str(a.get("value")) for a in (alternatives or [])[:3]}
    return sorted(groups.values(), key=lambda r: (r.target, _desc(r.month), r.model))


def _desc(month: str) -> str:
    year, mon = month.split("-")
    return f"{9999 - int(year):04d}-{99 - int(mon):02d}"


def router_models(*, zone_id: int) -> QuerySet[RouterModel]:
    """The zone's routers without their blobs, the ones in use first, newest versions first."""
    return (
        RouterModel.objects.filter(zone_id=zone_id)
        .defer("blob")
        .select_related("created_by")
        .order_by("target", "-is_active", "-version")
    )


def per_target(rows: list[AccuracyRow]) -> dict[str, list[AccuracyRow]]:
    grouped: dict[str, list[AccuracyRow]] = defaultdict(list)
    for row in rows:
        grouped[row.target].append(row)
    return dict(grouped)


def departments_for_keywords(*, zone_id: int) -> QuerySet[Department]:
    return Department.objects.filter(zone_id=zone_id).order_by("sort_name", "id")


def dispatch_suggestions(*, demand: Demand) -> dict:
    """What the dispatch form shows: the candidates of each target with names, the top values to pre-fill,
    and whether the demand is in the manual triage queue (department suggestion missing or too weak)."""
    names = label_names(zone_id=demand.zone_id)
    by_target = {s.target: s for s in Suggestion.objects.filter(demand=demand)}
    department = by_target.get(T.DEPARTMENT)
    category = by_target.get(T.CATEGORY)
    return {
        "department": with_names(department, names) if department else [],
        "category": with_names(category, names) if category else [],
        "initial": {
            key: int(s.predicted)
            for key, s in (("department", department), ("category", category))
            if s is not None and s.predicted.isdigit()
        },
        "needs_triage": department is None or department.confidence < threshold(),
        "source": next((s.source for s in (department, category) if s is not None), ""),
    }


# --- likely duplicates ---------------------------------------------------------------------------------

# A campaign (one estate's parking, one plant's dust) brings a dozen or more demands in a month. The page shows
# the best five and folds the rest: on the 4,326 real messages of bench/duplicates_quality.py, looking up 20
# instead of 5 finds 35 more same-matter pairs for 26 others.
DUPLICATES_LOOKED_UP = 20
DUPLICATES_SHOWN = 5


def likely_duplicates(*, demand: Demand, limit: int = DUPLICATES_LOOKED_UP) -> list[tuple[Demand, float]]:
    """Open demands of the same zone that are likely the same matter, best first, with their similarity.

    For whoever may merge ``demand`` (the zone's dispatchers); ``find_duplicates`` never leaves the zone."""
    matches = find_duplicates(demand=demand, limit=limit)
    found = Demand.objects.in_bulk([pk for pk, _ in matches])
    return [(found[pk], similarity) for pk, similarity in matches if pk in found]


def routing_for_demand(*, demand: Demand) -> dict:
    """The dispatcher's view of one demand for API clients: the suggestions and triage flag of
    ``dispatch_suggestions`` and the likely duplicates. The caller has checked that the user dispatches here."""
    return {
        **dispatch_suggestions(demand=demand),
        "duplicates": [
            {"demand": other, "similarity": similarity}
            for other, similarity in likely_duplicates(demand=demand)
        ],
    }


# --- reply review statistics ------------------------------------------------------------------------------

# The zone's latest final replies: a few hundred already settle its term frequencies and stock phrases.
REPLY_STATS_SAMPLE = 1000
# Below this many replies the built-in background serves the review better than the zone's own.
REPLY_STATS_MIN = 50
# The nightly task rebuilds the statistics; the time-out only bounds how stale they can get without it.
REPLY_STATS_TTL = 12 * 3600


def _reply_stats_key(zone_id: int) -> str:
    return f"routing:reply-stats:{zone_id}"


def zone_reply_stats(*, zone_id: int, refresh: bool = False) -> CorpusStats | None:
    """What the zone's own past final replies tell the reply review (term frequencies for relevance, sentences
    that recur across replies for boilerplate), or None while the zone has too few replies to say.

    Kept in the cache (Redis in production) so that a review costs no query; built on a miss from the latest
    ``REPLY_STATS_SAMPLE`` replies (about a second of segmentation), and ahead of the day by the nightly task."""
    key = _reply_stats_key(zone_id)
    stats = None if refresh else cache.get(key)
    if stats is None:
        replies = (
            DemandEvent.objects.filter(demand__zone_id=zone_id, kind=DemandEvent.Kind.REPLIED)
            .exclude(text="")
            .order_by("-created_at", "-id")
            .values_list("text", flat=True)[:REPLY_STATS_SAMPLE]
        )
        stats = corpus_stats_from(replies)
        cache.set(key, stats, REPLY_STATS_TTL)
    return stats if stats.n_docs >= REPLY_STATS_MIN else None


def review_for_demand(*, demand: Demand, text: str) -> ReplyReview:
    """The review of a draft final reply to ``demand``, measured against its zone's own past replies."""
    return review_demand_reply(
        demand=demand, text=text, corpus_stats=zone_reply_stats(zone_id=demand.zone_id)
    )
