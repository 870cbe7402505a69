"""Hot topics on real messages: the production clustering of each month, its top topics, and how it compares
with named baselines measured in the same run.

Usage: ``.venv/bin/python bench/topics.py [--top N]`` (reads ``../shared/data/gov-messages/hot.csv`` or the
file named by ``REDCHAIN_HOT_CSV``; prints "skipped: ..." and exits 0 when it is absent).

Each month of 2019 with at least 100 messages is clustered by ``cluster_documents`` exactly as
``build_topics`` does for a zone (the month before as ``previous``; a writer counts as an enterprise for the
spread term; likes as likes), and its top ``N`` topics (default 5) are printed with heat, size, likes, writers,
keywords and places.

Clustering, top 10 topics of each month, against **k-means** (scikit-learn, k = ⌈messages ÷ 20⌉, seed 0) on
the same TF-IDF of jieba words, its clusters ranked by size:

* coherence: the mean pairwise cosine of a topic's messages in an independent space (TF-IDF of character
  bigrams of title and body, fitted on the whole file), averaged over the topics; beside it the same for
  random groups of the same sizes, the floor.
* same matter split: of the month's pairs of messages about the same matter (rules R1–R4 of
  ``bench/duplicates_quality.py``) whose two messages are both in the top 10 topics, the share that two
  different topics hold (lower is better).
* campaigns surfaced: groups of messages on one matter (connected by those pairs) from at least three
  writers, of which one top-10 topic holds at least half while they make at least a quarter of that topic
  (the topic is about it, not a large mixed cluster that happens to contain it).

Ranking, the same clusters (ours) ranked two ways, **heat** against the baseline **raw message count**:
Spearman's ρ with the topic's total likes (partly by construction: heat has a likes term) and with its
follow-ups, the messages of the next month whose character-bigram cosine to one of the topic's messages is
at least 0.5 (a matter that keeps coming; nothing in heat sees the next month).

Description, top 10 topics: how many of a topic's messages use each of its keywords, and how many of its
keywords no other top topic of the month has, for our c-TF-IDF keywords against the baseline of the six most
frequent words; and how many labels name a place that at least half of the topic's messages name.

Time: clustering one month, ours against k-means.
"""

from __future__ import annotations

import math
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "redchain-bench-only")
os.environ.setdefault("REDCHAIN_VAR_DIR", tempfile.mkdtemp(prefix="redchain-bench-"))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from gov_messages import Message, Pair, body_jaccard, day_gaps, hot_path, load_hot, reference  # noqa: E402

from redchain.routing.duplicates import places_in, words  # noqa: E402
from redchain.routing.topics import Cluster, Doc, cluster_documents  # noqa: E402

MIN_MONTH = 100
TOP = 10
FOLLOW_UP = 0.5
MESSAGES_PER_CLUSTER = 20  # k-means: k = ⌈n ÷ 20⌉


@dataclass
class Month:
    key: str
    messages: list[Message]


@dataclass
class Grouping:
    """One method's topics of one month, best first, as lists of message indexes."""

    groups: list[list[int]]
    seconds: float


# ---------------------------------------------------------------------------------------------- methods


def months_of(messages: list[Message]) -> list[Month]:
    by_key: dict[str, list[Message]] = defaultdict(list)
    for m in messages:
        by_key[m.at.strftime("%Y-%m")].append(m)
    return [Month(k, v) for k, v in sorted(by_key.items())]


def docs_of(month: Month | None, writer_ids: dict[str, int]) -> list[Doc]:
    if month is None:
        return []
    return [Doc(m.index, f"{m.title}。{m.body}", writer_ids[m.writer], m.likes) for m in month.messages]


def ours(month: Month, previous: Month | None, writer_ids: dict[str, int]) -> tuple[Grouping, list[Cluster]]:
    docs = docs_of(month, writer_ids)
    began = time.perf_counter()
    clusters = cluster_documents(docs, previous=docs_of(previous, writer_ids))
    seconds = time.perf_counter() - began
    return Grouping([c.doc_ids for c in clusters], seconds), clusters


def kmeans(month: Month) -> Grouping:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    began = time.perf_counter()
    tokens = [words(f"{m.title}。{m.body}") for m in month.messages]
    vectorizer = TfidfVectorizer(analyzer=lambda ws: ws, sublinear_tf=True, min_df=2, max_df=0.5)
    matrix = vectorizer.fit_transform(tokens)
    k = math.ceil(len(month.messages) / MESSAGES_PER_CLUSTER)
    labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(matrix)
    seconds = time.perf_counter() - began
    groups: dict[int, list[int]] = defaultdict(list)
    for m, label in zip(month.messages, labels, strict=True):
        groups[int(label)].append(m.index)
    ranked = sorted((g for g in groups.values() if len(g) >= 2), key=lambda g: (-len(g), g[0]))
    return Grouping(ranked, seconds)


# ---------------------------------------------------------------------------------------------- measures


def bigram_space(messages: list[Message]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True)
    return vectorizer.fit_transform([f"{m.title}。{m.body}" for m in messages]).toarray().astype(np.float32)


def coherence(group: list[int], space: np.ndarray) -> float:
    """Mean pairwise cosine of the group's rows (unit vectors): (‖Σ‖² − n) ÷ (n(n − 1))."""
    total = space[group].sum(axis=0)
    n = len(group)
    return float((total @ total - n) / (n * (n - 1)))


def random_floor(groups: list[list[int]], month: Month, space: np.ndarray, seed: int) -> float:
    rng = random.Random(seed)
    pool = [m.index for m in month.messages]
    return float(np.mean([coherence(rng.sample(pool, len(g)), space) for g in groups]))


def split(groups: list[list[int]], pairs: set[Pair]) -> float:
    """Of the same-matter pairs whose two messages are both in the top topics, the share split between two."""
    topic_of = {i: t for t, group in enumerate(groups) for i in group}
    both = [(a, b) for a, b in pairs if a in topic_of and b in topic_of]
    return sum(topic_of[a] != topic_of[b] for a, b in both) / len(both) if both else float("nan")


def campaigns(pairs: set[Pair], messages: list[Message]) -> list[set[int]]:
    """Connected groups of messages on one matter from at least three writers (one writer repeating
    himself is a duplicate, not a hot topic)."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, set[int]] = defaultdict(set)
    for x in list(parent):
        groups[root(x)].add(x)
    return [g for g in groups.values() if len({messages[i].writer for i in g}) >= 3]


def surfaced(groups: list[list[int]], found: list[set[int]]) -> int:
    """Campaigns of which one topic holds at least half, and which make at least a quarter of that topic."""
    return sum(1 for c in found if any(_about(c, set(g)) for g in groups))


def _about(campaign: set[int], topic: set[int]) -> bool:
    shared = len(campaign & topic)
    return shared * 2 >= len(campaign) and shared * 4 >= len(topic)


def follow_ups(clusters: list[Cluster], following: Month | None, space: np.ndarray) -> list[int]:
    if following is None:
        return []
    later = space[[m.index for m in following.messages]]
    return [int(((later @ space[c.doc_ids].T).max(axis=1) >= FOLLOW_UP).sum()) for c in clusters]


def describing(clusters: list[Cluster], month: Month) -> dict:
    """How well the top topics' keywords and label places describe them, against raw-frequency keywords."""
    text_of = {m.index: f"{m.title}。{m.body}" for m in month.messages}
    words_of = {i: set(words(t)) for i, t in text_of.items()}
    top = clusters[:TOP]
    frequent = [_most_frequent([w for i in c.doc_ids for w in words(text_of[i])]) for c in top]
    ours = [c.keywords[:6] for c in top]
    labelled = [c for c in top if "：" in c.label]
    supported = sum(
        sum(c.label.split("：")[0] in places_in(text_of[i]) for i in c.doc_ids) * 2 >= c.volume
        for c in labelled
    )
    return {
        "kw_cover": _coverage(ours, top, words_of),
        "freq_cover": _coverage(frequent, top, words_of),
        "kw_distinct": _distinct(ours),
        "freq_distinct": _distinct(frequent),
        "labels": len(labelled),
        "labels_supported": supported,
    }


def _most_frequent(tokens: list[str]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for token in tokens:
        counts[token] += 1
    return [w for w, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]]


def _coverage(keywords: list[list[str]], top: list[Cluster], words_of: dict[int, set[str]]) -> float:
    """Mean share of a topic's messages that use each of its keywords."""
    shares = [
        sum(w in words_of[i] for i in c.doc_ids) / c.volume
        for kws, c in zip(keywords, top, strict=True)
        for w in kws
    ]
    return float(np.mean(shares)) if shares else float("nan")


def _distinct(keywords: list[list[str]]) -> float:
    """Share of the keywords that no other top topic of the month has."""
    seen: dict[str, int] = defaultdict(int)
    for kws in keywords:
        for w in set(kws):
            seen[w] += 1
    flat = [w for kws in keywords for w in kws]
    return sum(seen[w] == 1 for w in flat) / len(flat) if flat else float("nan")


def spearman(a: list[float], b: list[float]) -> float:
    from scipy.stats import spearmanr

    if len(a) < 3 or len(set(a)) < 2 or len(set(b)) < 2:
        return float("nan")
    return float(spearmanr(a, b).statistic)


# ---------------------------------------------------------------------------------------------- report


def show_month(month: Month, clusters: list[Cluster], shown: int, seconds: float) -> None:
    print(
        f"\n{month.key}: {len(month.messages)} messages, {len(clusters)} topics, clustered in {seconds:.2f} s"
    )
    for rank, c in enumerate(clusters[:shown], start=1):
        print(
            f"  {rank}. heat {c.heat:5.2f}  {c.volume:3d} msgs  {c.likes:5d} likes  {c.enterprises:3d} writers  "
            f"{c.label}  |  {' '.join(c.keywords[:6])}  |  {' '.join(c.places[:3])}"
        )


def main(argv: list[str]) -> int:
    path = hot_path()
    if not path.is_file():
        print(f"skipped: {path} is absent")
        return 0
    shown = int(argv[argv.index("--top") + 1]) if "--top" in argv else 5
    messages = load_hot(path)
    truth, _far = reference(messages, day_gaps(messages), body_jaccard(messages))
    space = bigram_space(messages)
    writer_ids = {w: i for i, w in enumerate(sorted({m.writer for m in messages}))}
    all_months = months_of(messages)
    rows = []
    for position, month in enumerate(all_months):
        if not month.key.startswith("2019") or len(month.messages) < MIN_MONTH:
            continue
        previous = all_months[position - 1] if position else None
        following = all_months[position + 1] if position + 1 < len(all_months) else None
        grouping, clusters = ours(month, previous, writer_ids)
        show_month(month, clusters, shown, grouping.seconds)
        rows.append(measure(month, grouping, clusters, kmeans(month), truth, space, following, messages))
    summarise(rows)
    return 0


def measure(month, grouping, clusters, baseline, truth, space, following, messages) -> dict:
    inside = {m.index for m in month.messages}
    pairs = {p for p in truth if p[0] in inside and p[1] in inside}
    found = campaigns(pairs, messages)
    row: dict = {"pairs": len(pairs), "campaigns": len(found)}
    for name, g in (("ours", grouping), ("base", baseline)):
        top = g.groups[:TOP]
        row[f"{name}_coherence"] = float(np.mean([coherence(t, space) for t in top]))
        row[f"{name}_floor"] = random_floor(top, month, space, seed=len(month.messages))
        row[f"{name}_split"] = split(top, pairs)
        row[f"{name}_surfaced"] = surfaced(top, found)
        row[f"{name}_share"] = sum(len(t) for t in top) / len(month.messages)
        row[f"{name}_seconds"] = g.seconds
    heat = [c.heat for c in clusters]
    volume = [float(c.volume) for c in clusters]
    likes = [float(c.likes) for c in clusters]
    later = [float(n) for n in follow_ups(clusters, following, space)]
    row.update(describing(clusters, month))
    row["heat_likes"], row["count_likes"] = spearman(heat, likes), spearman(volume, likes)
    row["heat_follow"] = spearman(heat, later) if later else float("nan")
    row["count_follow"] = spearman(volume, later) if later else float("nan")
    return row


def summarise(rows: list[dict]) -> None:
    def mean(key: str) -> float:
        values = [r[key] for r in rows if not math.isnan(r[key])]
        return float(np.mean(values)) if values else float("nan")

    def total(key: str) -> int:
        return int(sum(r[key] for r in rows))

    print(f"\n{len(rows)} months; means over months unless a total is given; top {TOP} topics per month\n")
    print(f"{'':44} {'ours':>10} {'k-means':>10}")
    print(
        f"{'coherence (char-bigram cosine)':44} {mean('ours_coherence'):10.3f} {mean('base_coherence'):10.3f}"
    )
    print(f"{'  random groups of the same sizes':44} {mean('ours_floor'):10.3f} {mean('base_floor'):10.3f}")
    print(
        f"{'same-matter pairs split between two topics':44} {mean('ours_split'):10.3f} {mean('base_split'):10.3f}"
    )
    surfaced_line = f"{total('ours_surfaced')} / {total('campaigns')}"
    base_line = f"{total('base_surfaced')} / {total('campaigns')}"
    print(f"{'campaigns surfaced (total)':44} {surfaced_line:>10} {base_line:>10}")
    print(
        f"{'share of the month in the top topics':44} {mean('ours_share'):10.3f} {mean('base_share'):10.3f}"
    )
    print(f"{'time per month (s)':44} {mean('ours_seconds'):10.2f} {mean('base_seconds'):10.2f}")
    print(f"\n{'keywords of our top topics':44} {'c-TF-IDF':>10} {'frequent':>10}")
    print(f"{'  share of the topic using a keyword':44} {mean('kw_cover'):10.3f} {mean('freq_cover'):10.3f}")
    print(
        f"{'  share of keywords no other topic has':44} {mean('kw_distinct'):10.3f} {mean('freq_distinct'):10.3f}"
    )
    print(
        f"labels naming a place: {total('labels')}, of which half the topic's messages name it: "
        f"{total('labels_supported')}"
    )
    print(f"\n{'ranking of our clusters, Spearman ρ with':44} {'heat':>10} {'count':>10}")
    print(
        f"{'  total likes (heat has a likes term)':44} {mean('heat_likes'):10.3f} {mean('count_likes'):10.3f}"
    )
    print(f"{'  follow-ups next month':44} {mean('heat_follow'):10.3f} {mean('count_follow'):10.3f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
