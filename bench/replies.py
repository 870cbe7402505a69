"""Reply review measured against a manual label on real replies, beside named baselines in the same run.

Usage: ``.venv/bin/python bench/replies.py`` (reads ``../shared/data/gov-messages/replies.csv``, or the file
named by ``REDCHAIN_REPLIES_CSV``; skips when absent). Prints the AUC of each figure against the
``可解释性`` label (1 = the reply explains itself), the same for the reply's length and for a random score,
and the latency of one review (p50/p99).

The zone statistics (IDF and recurring sentences) are built out of fold: the replies are split in two halves
by row number and each half is reviewed with the statistics of the other, so no reply counts its own
sentences as "recurring".
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "redchain-bench-only")
os.environ.setdefault("REDCHAIN_VAR_DIR", tempfile.mkdtemp(prefix="redchain-bench-"))

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from redchain.routing.replies import ReplyReview, corpus_stats_from, review_reply  # noqa: E402

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "gov-messages" / "replies.csv"
LABEL = "可解释性"


def auc(scores: list[float], labels: list[int]) -> float:
    """Area under the ROC curve (Mann–Whitney U with average ranks for ties)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row.get(LABEL) in ("0", "1")]


def review_all(rows: list[dict[str, str]], *, with_stats: bool) -> tuple[list[ReplyReview], list[float]]:
    halves = [rows[0::2], rows[1::2]]
    stats = (
        [corpus_stats_from(r["答复意见"] for r in half) for half in halves] if with_stats else [None, None]
    )
    reviews: list[ReplyReview | None] = [None] * len(rows)
    latencies = []
    for index, row in enumerate(rows):
        start = time.perf_counter()
        reviews[index] = review_reply(
            demand_title=row["留言主题"],
            demand_body=row["留言详情"],
            reply=row["答复意见"],
            corpus_stats=stats[1 - index % 2],  # the other half's statistics
        )
        latencies.append((time.perf_counter() - start) * 1000)
    return [r for r in reviews if r is not None], latencies


def figures(reviews: list[ReplyReview]) -> dict[str, list[float]]:
    return {
        "score": [r.score for r in reviews],
        "relevance": [r.relevance for r in reviews],
        "has_basis": [float(r.has_basis) for r in reviews],
        "has_measures": [float(r.has_measures) for r in reviews],
        "has_time": [float(r.has_time) for r in reviews],
        "completeness": [r.completeness for r in reviews],
        "1 - boilerplate": [1 - r.boilerplate for r in reviews],
        "not referral_only": [float(not r.referral_only) for r in reviews],
        "no warnings (−count)": [-len(r.warnings) for r in reviews],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    path = Path(os.environ.get("REDCHAIN_REPLIES_CSV", DEFAULT_CSV))
    if not path.exists():
        print(f"skipped: {path} not found")
        return 0
    rows = load(path)
    labels = [int(r[LABEL]) for r in rows]
    print(
        f"{len(rows)} replies, label 1 (explains itself): {sum(labels)}, label 0: {len(labels) - sum(labels)}"
    )
    rng = random.Random(20250101)
    lengths = [float(len(r["答复意见"])) for r in rows]
    print("\nbaselines                     AUC")
    print(f"  random score                {auc([rng.random() for _ in rows], labels):.3f}")
    print(f"  reply length (chars)        {auc(lengths, labels):.3f}")
    translation.activate("zh-hans")
    review_reply(demand_title="预热", demand_body="加载分词词典", reply="预热")  # jieba loads its dictionary
    for with_stats in (False, True):
        reviews, latencies = review_all(rows, with_stats=with_stats)
        title = "with zone statistics (out of fold)" if with_stats else "built-in background only"
        print(f"\nreview_reply, {title}      AUC")
        for name, values in figures(reviews).items():
            print(f"  {name:<28}{auc(values, labels):.3f}")
        substance = [len(r["答复意见"]) * (1 - v.boilerplate) for r, v in zip(rows, reviews, strict=True)]
        print(f"  {'(substance length)':<28}{auc(substance, labels):.3f}")
        warned = [bool(r.warnings) for r in reviews]
        for name, flags in (("any warning", warned), ("score < 50", [r.score < 50 for r in reviews])):
            caught = sum(f for f, y in zip(flags, labels, strict=True) if not y) / labels.count(0)
            false = sum(f for f, y in zip(flags, labels, strict=True) if y) / sum(labels)
            print(f"  {name:<28}flags {caught:.0%} of label 0, {false:.0%} of label 1")
        print(
            f"  latency per review          p50 {statistics.median(latencies):.2f} ms, "
            f"p99 {percentile(latencies, 0.99):.2f} ms, max {max(latencies):.2f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
