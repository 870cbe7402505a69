"""Hot topics (每月一题 / 未诉先办): cluster a month's demands, label, locate and rank them by heat.

Clustering: TF-IDF over jieba content words (sublinear tf), reduced to at most 100 dimensions with truncated
SVD when the vocabulary is larger, then average-linkage agglomerative clustering on cosine distance with a
distance threshold (``DISTANCE_THRESHOLD``), so the number of topics follows the data rather than a guessed
k. Clusters with fewer than ``MIN_SIZE`` demands are noise, not topics. Robust from about 100 to 5,000 demands
(the SVD keeps the pairwise step at n² × 100 floats).

Label: the top words by class-based TF-IDF over document frequencies (c-TF-IDF: the share of the topic's
demands that use a word × log(1 + mean words per topic ÷ the word's count over all topics)), so a name
repeated in one long demand does not become the topic's keyword. Places: masked districts and names ending in
路/街/村/社区/园区… (:func:`redchain.routing.duplicates.places_in`) that at least two of the topic's demands
and a fifth of them name, most named first; the label shows the first specific one that half of them name.
Times: dates and times of day the texts mention.

Heat score (documented weights, ``HEAT_WEIGHTS``)::

    heat = 1.0 · log(1 + volume)                   # demands in the topic this month
         + 0.5 · growth                            # (volume − previous) ÷ max(previous, 1), clamped to [−1, 3]
         + 0.3 · log(1 + likes)                    # likes on the topic's messages, where the channel has them
         + 0.8 · log(1 + distinct enterprises)     # spread: many firms asking beats one firm asking often

``previous`` counts last month's demands whose TF-IDF vector lies within the threshold of the topic's
centroid. Logs keep one very large topic from drowning every other signal.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone

from redchain.routing.duplicates import _DISTRICT, places_in, words

DISTANCE_THRESHOLD = 0.5
# Documents left in clusters too small to be a topic get a second, looser pass among themselves: short texts
# (招工难, 招聘会 …) share few words, and the strict cut splits them although people read them as one theme.
LOOSE_THRESHOLD = 0.8
# Clusters whose centres are this close (cosine distance) are one theme said in two ways, and are merged.
MERGE_THRESHOLD = 0.75
MIN_SIZE = 2
MAX_TOPICS = 20
PLACE_SUPPORT = 0.2  # a place is the topic's when at least two and this share of its demands name it
SVD_DIMENSIONS = 100
HEAT_WEIGHTS = {"volume": 1.0, "growth": 0.5, "likes": 0.3, "enterprises": 0.8}
_TIME = re.compile(
    r"\d{1,2}月\d{1,2}[日号]|\d{4}年\d{1,2}月|(?:凌晨|早上|上午|中午|下午|晚上|夜间|深夜)(?:\d{1,2}[点时])?|每天|周末|节假日"
)


@dataclass
class Doc:
    """One text to cluster, with what the heat score needs."""

    id: int
    text: str
    enterprise_id: int | None = None
    likes: int = 0


@dataclass
class Cluster:
    doc_ids: list[int]
    keywords: list[str]
    places: list[str]
    times: list[str]
    volume: int
    previous_volume: int = 0
    likes: int = 0
    enterprises: int = 0
    heat: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        named = self.extra.get("named_by", {})
        place = next(
            (p for p in self.places if not _DISTRICT.fullmatch(p) and named.get(p, 0) * 2 >= self.volume), ""
        )
        head = "·".join(self.keywords[:3])
        return f"{place}：{head}" if place else head


def heat_score(*, volume: int, previous: int, likes: int, enterprises: int) -> float:
    growth = max(-1.0, min(3.0, (volume - previous) / max(previous, 1)))
    w = HEAT_WEIGHTS
    return (
        w["volume"] * math.log1p(volume)
        + w["growth"] * growth
        + w["likes"] * math.log1p(likes)
        + w["enterprises"] * math.log1p(enterprises)
    )


# ---------------------------------------------------------------------------------------------- clustering


def cluster_documents(
    docs: list[Doc],
    *,
    previous: Sequence[Doc] = (),
    threshold: float = DISTANCE_THRESHOLD,
    min_size: int = MIN_SIZE,
) -> list[Cluster]:
    """Topics among ``docs``, hottest first. Pure: no database, so benchmarks and tests share it."""
    if len(docs) < min_size:
        return []
    tokens = [words(d.text) for d in docs]
    vectorizer, matrix = _tfidf(tokens)
    if matrix is None:
        return []
    dense, reducer = _reduce(matrix)
    labels = _two_pass(dense, threshold, min_size)
    previous_dense = _previous_vectors(previous, vectorizer, reducer)
    clusters = []
    for _label, members in _groups(labels, min_size):
        cluster = _describe(members, docs, tokens, labels)
        centroid = _unit(dense[members].mean(axis=0))
        if previous_dense is not None:
            cluster.previous_volume = int(((previous_dense @ centroid) >= 1 - threshold).sum())
        cluster.extra["coherence"] = float((dense[members] @ centroid).mean())
        cluster.heat = heat_score(
            volume=cluster.volume,
            previous=cluster.previous_volume,
            likes=cluster.likes,
            enterprises=cluster.enterprises,
        )
        clusters.append(cluster)
    _keywords(clusters, docs, tokens)
    clusters.sort(key=lambda c: (-c.heat, -c.volume, c.doc_ids[0]))
    return clusters[:MAX_TOPICS]


def _tfidf(tokens: list[list[str]]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer=lambda ws: ws, sublinear_tf=True, min_df=2 if len(tokens) >= 50 else 1, max_df=0.5
    )
    try:
        return vectorizer, vectorizer.fit_transform(tokens)
    except ValueError:  # an empty vocabulary
        return vectorizer, None


def _reduce(matrix):
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n, features = matrix.shape
    if features <= SVD_DIMENSIONS or n <= SVD_DIMENSIONS:
        return normalize(matrix.toarray()), None
    reducer = TruncatedSVD(n_components=SVD_DIMENSIONS, random_state=0)
    return normalize(reducer.fit_transform(matrix)), reducer


def _agglomerate(dense: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return model.fit_predict(dense)


def _two_pass(dense: np.ndarray, threshold: float, min_size: int) -> np.ndarray:
    """Strict clusters first; then the leftovers are clustered again, loosely, under fresh labels."""
    labels = _agglomerate(dense, threshold)
    sizes = Counter(labels.tolist())
    leftover = np.flatnonzero(np.array([sizes[label] < min_size for label in labels.tolist()]))
    if len(leftover) >= max(min_size, 2):
        second = _agglomerate(dense[leftover], max(threshold, LOOSE_THRESHOLD))
        labels = labels.copy()
        labels[leftover] = second + labels.max() + 1
    return _merge_close(dense, labels)


def _merge_close(dense: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Merge clusters whose centres lie within ``MERGE_THRESHOLD`` of each other."""
    names = sorted(set(labels.tolist()))
    if len(names) < 2:
        return labels
    centres = np.vstack([_unit(dense[labels == name].mean(axis=0)) for name in names])
    merged = _agglomerate(centres, MERGE_THRESHOLD)
    mapping = dict(zip(names, merged.tolist(), strict=True))
    return np.array([mapping[label] for label in labels.tolist()])


def _previous_vectors(previous, vectorizer, reducer):
    from sklearn.preprocessing import normalize

    if not previous:
        return None
    matrix = vectorizer.transform([words(d.text) for d in previous])
    return normalize(reducer.transform(matrix) if reducer is not None else matrix.toarray())


def _groups(labels: np.ndarray, min_size: int):
    for label, count in Counter(labels.tolist()).items():
        if count >= min_size:
            yield label, np.flatnonzero(labels == label)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def _describe(members, docs, tokens, labels) -> Cluster:
    chosen = [docs[i] for i in members]
    places: Counter[str] = Counter()
    times: Counter[str] = Counter()
    for doc in chosen:
        places.update(set(places_in(doc.text)))
        times.update(set(_TIME.findall(doc.text)))
    needed = max(2, math.ceil(PLACE_SUPPORT * len(chosen)))
    supported = [(p, n) for p, n in places.most_common() if n >= needed][:5]
    return Cluster(
        doc_ids=[d.id for d in chosen],
        keywords=[],
        places=[p for p, _n in supported],
        times=[t for t, n in times.most_common(3)],
        volume=len(chosen),
        likes=sum(d.likes for d in chosen),
        enterprises=len({d.enterprise_id for d in chosen if d.enterprise_id is not None}),
        extra={"members": members, "named_by": dict(supported)},
    )


def _keywords(clusters: list[Cluster], docs, tokens, top: int = 6) -> None:
    """c-TF-IDF over document frequencies: words many of this topic's demands use and other topics rarely do."""
    if not clusters:
        return
    counts = [Counter(w for i in c.extra.pop("members") for w in set(tokens[i])) for c in clusters]
    overall: Counter[str] = Counter()
    for counter in counts:
        overall.update(counter)
    mean_words = sum(overall.values()) / len(clusters)
    for cluster, counter in zip(clusters, counts, strict=True):
        scores = {w: (n / cluster.volume) * math.log1p(mean_words / overall[w]) for w, n in counter.items()}
        cluster.keywords = [w for w, _s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


# ---------------------------------------------------------------------------------------------- Django


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first and next month's first midnight, in the current time zone (Asia/Shanghai)."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=zone),
        dt.datetime.combine(following, dt.time(), tzinfo=zone),
    )


def _docs(zone, start, end) -> list[Doc]:
    from redchain.demands.models import Demand

    demands = (
        Demand.objects.filter(zone=zone, created_at__gte=start, created_at__lt=end)
        .exclude(status=Demand.Status.REJECTED)
        .order_by("pk")
        .values_list("pk", "title", "body", "enterprise_id")
    )
    return [Doc(pk, f"{title}。{body}", enterprise_id) for pk, title, body, enterprise_id in demands]


@transaction.atomic
def build_topics(*, zone, month: dt.date) -> list:
    """Cluster the zone's demands of ``month`` into ranked :class:`Topic` rows. Idempotent: a rebuild
    replaces the month's topics, except an adopted one, which stays (with its demands) as the month's theme."""
    from redchain.routing.models_topics import Topic

    month = month.replace(day=1)
    start, end = month_bounds(month)
    previous_start, _ = month_bounds(month - dt.timedelta(days=1))
    clusters = cluster_documents(_docs(zone, start, end), previous=_docs(zone, previous_start, start))
    Topic.objects.filter(zone=zone, month=month, adopted_at__isnull=True).delete()
    kept = list(Topic.objects.filter(zone=zone, month=month).prefetch_related("demands"))
    taken = {t.rank for t in kept}
    adopted_ids = {d.pk for t in kept for d in t.demands.all()}
    ranks = (r for r in range(1, 1000) if r not in taken)
    built = []
    for cluster in clusters:
        if adopted_ids and len(adopted_ids & set(cluster.doc_ids)) * 2 > len(cluster.doc_ids):
            continue  # the adopted theme already stands for this cluster
        topic = Topic.objects.create(
            zone=zone,
            month=month,
            rank=next(ranks),
            label=cluster.label[:120],
            keywords=cluster.keywords,
            places=cluster.places,
            times=cluster.times,
            volume=cluster.volume,
            previous_volume=cluster.previous_volume,
            likes=cluster.likes,
            enterprises=cluster.enterprises,
            heat=round(cluster.heat, 4),
        )
        topic.demands.set(cluster.doc_ids)
        built.append(topic)
    return sorted(kept + built, key=lambda t: t.rank)


def may_adopt(user, zone_id: int) -> bool:
    """Leaders adopt the month's theme; zone admins may do it on their behalf."""
    from redchain.accounts.models import Role
    from redchain.accounts.scope import scope_for

    if scope_for(user).administers(zone_id):
        return True
    return user.is_authenticated and user.memberships.filter(zone_id=zone_id, role=Role.LEADER).exists()


@transaction.atomic
def adopt_topic(*, actor, topic, department):
    """Adopt ``topic`` as its month's theme (每月一题) and assign it to ``department``; one theme a month."""
    from redchain.audit.services import audit_record
    from redchain.demands.permissions import NotPermitted, TransitionNotAllowed
    from redchain.routing.models_topics import Topic

    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not may_adopt(actor, topic.zone_id):
        raise NotPermitted("您无权采纳主题", "You may not adopt a topic")
    if department.zone_id != topic.zone_id:
        raise NotPermitted("部门不属于该园区", "The department belongs to another zone")
    other = Topic.objects.filter(zone_id=topic.zone_id, month=topic.month, adopted_at__isnull=False)
    if other.exclude(pk=topic.pk).exists():
        raise TransitionNotAllowed("本月已采纳主题", "This month already has an adopted theme")
    before = topic.department_id
    topic.adopted_by, topic.adopted_at, topic.department = actor, timezone.now(), department
    topic.save(update_fields=["adopted_by", "adopted_at", "department"])
    audit_record(
        actor=actor,
        action="topic.adopt",
        obj=topic,
        changes={"department": [before and str(before), str(department.pk)]},
    )
    return topic
