"""Duplicate detection on real near-duplicates: precision, recall and F1 of ``find_duplicates`` against named
baselines, measured in the same run.

Usage: ``.venv/bin/python bench/duplicates_quality.py [--show N]`` (reads ``../shared/data/gov-messages/hot.csv``
or the file named by ``REDCHAIN_HOT_CSV``; prints "skipped: ..." and exits 0 when it is absent). ``--show N``
also prints, for reading, N seeded samples of the pairs ours flags outside the reference and of the reference
pairs it misses (titles only, on the terminal).

What runs: every message becomes a demand of one zone in an embedded SQLite database (created at its posting
time; its writer becomes its enterprise, since a firm's contact is the nearest thing to a citizen's user id),
is fingerprinted by ``fingerprint_demand`` and then looked up with ``find_duplicates(demand=...)``, the
production path (band, enterprise and place candidates, then the production confirmation), with the limit
the dispatcher's panel looks up (``routing.selectors.DUPLICATES_LOOKED_UP``, 20: the best five shown, the rest
folded); a second line keeps only the best five. A pair is flagged when either message's look-up returns the
other. A second pass clears the enterprises, as for citizens' demands imported from 12345, where only the place
links two writers.

The reference: pairs of messages at most 30 days apart (the production window; pairs further apart are
counted but out of reach by design) that satisfy at least one rule, each computed from the data alone:

* R1 "same title": the titles are equal once everything but Chinese characters, letters and digits is removed.
* R2 "copied text": the bodies' sets of character 4-grams have a Jaccard index of at least 0.5.
* R3 "same writer, same named thing": one writer, and the two titles share a run of at least four Chinese
  characters (masked districts such as A3区 removed first) that also appears in both bodies and appears in
  the titles of at most five writers of the file (a name, not a phrase everybody writes).
* R4 "two writers, same title in other words": the titles' sets of character bigrams (districts removed)
  have a Dice coefficient of at least 0.5, and the titles share a run of at least four Chinese characters
  that also appears in both bodies (a neighbourhood's campaign against one mixing plant, in its own words).

The rules are heuristics read off the data, not labels: reading 40 seeded pairs of each, R3 holds for about
34 (a prolific writer's template titles, "请加快……建设力度", are its typical error) and R4 for about 38. They
still miss same-matter pairs worded differently in both title and body, so precision against the reference
is a lower bound; ``--show`` prints the disagreements to read. R1, R3 and R4 look at titles, so a matcher
that reads titles gains on this reference partly by construction.

Baselines (same window): exact normalised title match, and TF-IDF cosine over character bigrams of title and
body (scikit-learn, sublinear tf) at 0.6, plus the same baseline at its best threshold chosen in hindsight.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "redchain-bench-only")
os.environ.setdefault("REDCHAIN_VAR_DIR", tempfile.mkdtemp(prefix="redchain-bench-"))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from gov_messages import (  # noqa: E402
    WINDOW_DAYS,
    Message,
    Pair,
    body_jaccard,
    day_gaps,
    hot_path,
    load_hot,
    normal_title,
    pair,
    pairs_of,
    reference,
)

from redchain.demands.models import Demand  # noqa: E402
from redchain.orgs.models import Enterprise, Zone  # noqa: E402
from redchain.routing.duplicates import find_duplicates, fingerprint_demand  # noqa: E402
from redchain.routing.models_topics import DemandFingerprint  # noqa: E402
from redchain.routing.selectors import DUPLICATES_LOOKED_UP, DUPLICATES_SHOWN  # noqa: E402

TFIDF_THRESHOLD = 0.6
RULES = ("R1", "R2", "R3", "R4")

# ---------------------------------------------------------------------------------------------- ours


def fill(messages: list[Message]) -> tuple[list[Demand], dict[int, int]]:
    """Every message as a demand of one zone, its writer as its enterprise, fingerprinted by production code."""
    zone = Zone.objects.create(name="问政基准", code="gov-bench")
    writers = sorted({m.writer for m in messages})
    firms = Enterprise.objects.bulk_create(
        [Enterprise(zone=zone, name=w, uscc=f"B{i:017d}") for i, w in enumerate(writers)]
    )
    firm_of = {w: f.pk for w, f in zip(writers, firms, strict=True)}
    with transaction.atomic():
        demands = Demand.objects.bulk_create(
            [
                Demand(
                    zone=zone,
                    title=m.title[:200],
                    body=m.body,
                    enterprise_id=firm_of[m.writer],
                    tracking_code=f"H{m.index:010d}",
                )
                for m in messages
            ]
        )
        for demand, m in zip(demands, messages, strict=True):
            demand.created_at = m.at
        Demand.objects.bulk_update(demands, ["created_at"], batch_size=500)
        for demand in demands:
            fingerprint_demand(demand=demand)
    return demands, {d.pk: m.index for d, m in zip(demands, messages, strict=True)}


def flagged_by_ours(
    demands: list[Demand], index_of: dict[int, int], *, limit: int
) -> tuple[set[Pair], list[float]]:
    flagged, took = set(), []
    for demand in demands:
        began = time.perf_counter()
        found = find_duplicates(demand=demand, limit=limit)
        took.append((time.perf_counter() - began) * 1000)
        flagged |= {pair(index_of[demand.pk], index_of[d.demand_id]) for d in found}
    return flagged, took


def without_enterprises(demands: list[Demand]) -> None:
    Demand.objects.filter(pk__in=[d.pk for d in demands]).update(enterprise=None)
    DemandFingerprint.objects.filter(demand__in=demands).update(enterprise=None)
    for demand in demands:
        demand.enterprise_id = None


# ---------------------------------------------------------------------------------------------- baselines


def exact_title(messages: list[Message], gaps: np.ndarray) -> set[Pair]:
    by_title: dict[str, list[int]] = defaultdict(list)
    for m in messages:
        by_title[normal_title(m.title)].append(m.index)
    return {p for group in by_title.values() for p in pairs_of(group) if gaps[p] <= WINDOW_DAYS}


def tfidf_cosines(messages: list[Message]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform([f"{m.title}。{m.body}" for m in messages])
    return (matrix @ matrix.T).toarray()


def above(cosines: np.ndarray, gaps: np.ndarray, threshold: float) -> set[Pair]:
    rows, cols = np.nonzero(np.triu((cosines >= threshold) & (gaps <= WINDOW_DAYS), 1))
    return {(int(i), int(j)) for i, j in zip(rows, cols, strict=True)}


# ---------------------------------------------------------------------------------------------- report


def scores(flagged: set[Pair], truth: dict[Pair, set[str]]) -> tuple[float, float, float, int]:
    hits = len(flagged & truth.keys())
    precision = hits / len(flagged) if flagged else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1, hits


def served(flagged: set[Pair], truth: dict[Pair, set[str]]) -> float:
    """Of the messages that have a duplicate in the reference, the share shown at least one of them."""
    having = {m for p in truth for m in p}
    shown = {m for p in flagged & truth.keys() for m in p}
    return len(shown) / len(having)


def line(name: str, flagged: set[Pair], truth: dict[Pair, set[str]], totals: Counter) -> tuple:
    precision, recall, f1, hits = scores(flagged, truth)
    per_rule = Counter(rule for p in flagged & truth.keys() for rule in truth[p])
    by_rule = "  ".join(f"{per_rule[r] / totals[r]:.2f}" for r in RULES)
    print(
        f"{name:<50} {len(flagged):6d} {hits:5d}  {precision:.3f}  {recall:.3f}  {f1:.3f}  "
        f"{served(flagged, truth):.3f}   {by_rule}"
    )
    return precision, recall, f1


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def show(title: str, pairs: set[Pair], messages: list[Message], count: int) -> None:
    print(f"\n{title} ({len(pairs)}; {min(count, len(pairs))} shown, seed 0)")
    for a, b in random.Random(0).sample(sorted(pairs), min(count, len(pairs))):
        same = "same writer" if messages[a].writer == messages[b].writer else "two writers"
        print(f"  [{same}] {messages[a].title[:40]}  ||  {messages[b].title[:40]}")


def main(argv: list[str]) -> int:
    path = hot_path()
    if not path.is_file():
        print(f"skipped: {path} is absent")
        return 0
    count = int(argv[argv.index("--show") + 1]) if "--show" in argv else 0
    messages = load_hot(path)
    gaps = day_gaps(messages)
    truth, far = reference(messages, gaps, body_jaccard(messages))
    totals = Counter(rule for rules in truth.values() for rule in rules)
    print(
        f"{len(messages):,} messages of {path.name}; reference: {len(truth)} pairs within ±{WINDOW_DAYS} days "
        f"(R1 same title {totals['R1']}, R2 copied text {totals['R2']}, R3 same writer and named thing "
        f"{totals['R3']}, R4 two writers and same title in other words {totals['R4']});\n"
        f"{far} more pairs lie further apart (out of reach by design)\n"
    )
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    demands, index_of = fill(messages)
    print(f"stored and fingerprinted {len(demands):,} demands in {time.perf_counter() - began:.1f} s\n")

    print(
        f"{'method':<50} {'pairs':>6} {'hits':>5}  {'prec.':5}  {'recall':6} {'F1':5}  {'msgs':5}"
        "   recall R1 / R2 / R3 / R4"
    )
    ours, took = flagged_by_ours(demands, index_of, limit=DUPLICATES_LOOKED_UP)
    line(f"find_duplicates (limit {DUPLICATES_LOOKED_UP}), writer as enterprise", ours, truth, totals)
    shown, _took = flagged_by_ours(demands, index_of, limit=DUPLICATES_SHOWN)
    line(f"  the same, only the best {DUPLICATES_SHOWN} (unfolded)", shown, truth, totals)
    without_enterprises(demands)
    ours_places, _took = flagged_by_ours(demands, index_of, limit=DUPLICATES_LOOKED_UP)
    line(
        f"find_duplicates (limit {DUPLICATES_LOOKED_UP}), no enterprise (place only)",
        ours_places,
        truth,
        totals,
    )
    line("baseline: exact title match", exact_title(messages, gaps), truth, totals)
    began = time.perf_counter()
    cosines = tfidf_cosines(messages)
    tfidf_seconds = time.perf_counter() - began
    line(
        f"baseline: TF-IDF char-bigram cosine ≥ {TFIDF_THRESHOLD}",
        above(cosines, gaps, TFIDF_THRESHOLD),
        truth,
        totals,
    )
    best = max(np.arange(0.3, 0.91, 0.05), key=lambda t: scores(above(cosines, gaps, t), truth)[2])
    line(
        f"baseline: TF-IDF at its best threshold in hindsight ({best:.2f})",
        above(cosines, gaps, best),
        truth,
        totals,
    )
    print(
        "\npairs: flagged pairs; hits: in the reference; msgs: share of the messages with a duplicate in the "
        "reference that are shown at least one"
    )
    print(
        f"find_duplicates per look-up over {len(demands):,} rows: p50 {percentile(took, 50):.2f} ms, "
        f"p95 {percentile(took, 95):.2f} ms; baseline TF-IDF: all {len(messages):,}² cosines in {tfidf_seconds:.1f} s"
    )
    same_writer = {p for p in truth if messages[p[0]].writer == messages[p[1]].writer}
    print(
        f"reference pairs by one writer: {len(same_writer)}, found {len(ours & same_writer)}; "
        f"by two writers: {len(truth) - len(same_writer)}, found {len((ours & truth.keys()) - same_writer)}"
    )
    if count:
        show("flagged by ours, not in the reference", ours - truth.keys(), messages, count)
        show("in the reference, missed by ours", truth.keys() - ours, messages, count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
