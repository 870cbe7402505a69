"""The matcher: which open resources could serve a need, and how well (0–100 points).

Score of a need N against a resource R (documented in docs/work/exchange.md):

* kind — 40 when R is of N's kind (same kind first), 10 when either is "other", else 0;
* place — 25 when both are posted in the same alliance, 10 when R is elsewhere on N's chain;
* chain segment — for a firm's need and a firm's resource on the same chain: 15 when R's owner sits upstream
  of N's owner (a supplier serving its buyer), 8 in the same segment, 0 when R sits downstream;
  resources of departments and institutes serve every segment and get 8;
* text — 20 × the Dice coefficient of the character bigrams of title and description.

Candidates are open resources of the zone on N's chain or in N's alliance, still valid on the day, not of
N's own owner and not already paired with N. Scores below :data:`THRESHOLD` are not proposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from redchain.exchange.models import Kind, ListingStatus, Need, Resource

THRESHOLD = 45
TOP = 3
_SEGMENT_ORDER = {"upstream": 0, "midstream": 1, "downstream": 2}
_NOT_TEXT = re.compile(r"[\s\d\W_]+")


@dataclass(frozen=True)
class Candidate:
    resource: Resource
    score: int
    reasons: dict[str, int]


def bigrams(text: str) -> set[str]:
    """Character bigrams of the text's runs of letters (Chinese needs no word splitting for this)."""
    grams: set[str] = set()
    for run in _NOT_TEXT.split(text.lower()):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' bigram sets, 0.0–1.0."""
    left, right = bigrams(a), bigrams(b)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def _kind_points(need: Need, resource: Resource) -> int:
    if need.kind == resource.kind:
        return 40
    return 10 if Kind.OTHER in (need.kind, resource.kind) else 0


def _place_points(need: Need, resource: Resource) -> int:
    if need.alliance_id and need.alliance_id == resource.alliance_id:
        return 25
    return 10 if need.chain_id == resource.chain_id else 0


def _segment_points(need: Need, resource: Resource) -> int:
    buyer, supplier = need.owner_enterprise, resource.owner_enterprise
    if supplier is None:
        return 8
    if buyer is None or buyer.chain_id != supplier.chain_id:
        return 0
    if buyer.segment not in _SEGMENT_ORDER or supplier.segment not in _SEGMENT_ORDER:
        return 0
    step = _SEGMENT_ORDER[buyer.segment] - _SEGMENT_ORDER[supplier.segment]
    return 15 if step > 0 else 8 if step == 0 else 0


def score(need: Need, resource: Resource) -> Candidate:
    text = round(
        20 * similarity(f"{need.title} {need.description}", f"{resource.title} {resource.description}")
    )
    reasons = {
        "kind": _kind_points(need, resource),
        "place": _place_points(need, resource),
        "segment": _segment_points(need, resource),
        "text": text,
    }
    return Candidate(resource=resource, score=sum(reasons.values()), reasons=reasons)


def candidates(need: Need, *, on: date, top: int = TOP) -> list[Candidate]:
    """The best open resources for ``need`` on day ``on``, best first (ties: the older posting first)."""
    pool = Resource.objects.filter(
        Q(chain_id=need.chain_id) | Q(alliance_id=need.alliance_id, alliance__isnull=False),
        zone_id=need.zone_id,
        status=ListingStatus.OPEN,
        valid_until__gte=on,
        posted_on__lte=on,
    ).exclude(id__in=need.matches.values("resource_id"))
    if need.owner_enterprise_id:
        pool = pool.exclude(owner_enterprise_id=need.owner_enterprise_id)
    if need.owner_department_id:
        pool = pool.exclude(owner_department_id=need.owner_department_id)
    scored = [score(need, resource) for resource in pool.select_related("owner_enterprise")]
    scored = [c for c in scored if c.score >= THRESHOLD]
    scored.sort(key=lambda c: (-c.reasons["kind"], -c.score, c.resource.posted_on, c.resource.pk))
    return scored[:top]
