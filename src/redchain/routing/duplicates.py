"""Likely duplicates at intake: the same or a similar demand from the same enterprise or the same place.

How it works
------------
* Every demand gets a :class:`~redchain.routing.models_topics.DemandFingerprint` after it is submitted: a
  64-bit SimHash over its words (jieba, weight 2) and character 3-grams (weight 1) of title and body, split
  into four 16-bit bands kept in indexed integer columns, plus its distinct words and its main place.
* :func:`find_duplicates` gathers candidates in the same zone and time window by three indexed look-ups:
  equality on any band (locality-sensitive hashing: two fingerprints at Hamming distance ≤ 3 always share a
  band, by the pigeonhole principle), the same enterprise, and the same place. Nothing scans the window.
* :func:`confirms` decides whether a candidate is a likely duplicate (the one rule, also run by
  ``bench/duplicates_quality.py`` on real messages): word Jaccard ≥ ``JACCARD_SAME`` whatever the bits;
  Hamming distance ≤ ``HAMMING_MAX`` and word Jaccard ≥ ``JACCARD_NEAR``; or, for the same enterprise or
  place, word Jaccard ≥ ``JACCARD_RELATED`` or title-word Jaccard ≥ ``TITLE_RELATED`` (with word Jaccard
  ≥ ``TITLE_FLOOR``). Real rewordings sit 7–20 bits apart, so the bits alone only vouch for near-copies,
  and a repeated complaint keeps its title's words while its body changes. ``similarity`` is the larger of
  the word and title-word Jaccard; ties prefer the same enterprise, then the same place.

Wiring (done by the demand app's owner)
---------------------------------------
In ``demands.services.demand_submit``, after the demand is saved and before returning::

    from redchain.routing.duplicates import fingerprint_demand_on_commit
    fingerprint_demand_on_commit(demand)

On the demand page, for users who administer the zone and while the demand is open::

    from redchain.routing.duplicates import find_duplicates
    duplicates = find_duplicates(demand=demand)  # [(demand_id, similarity), ...]

and for each a "merge into" button posting to the existing ``merge`` step, which calls
``demands.services.demand_merge(actor=..., demand=demand, into=<the older demand>)``.
Run ``redchain shell -c "from redchain.routing.duplicates import backfill; backfill()"`` once for demands
submitted before the hook existed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from django.db import transaction
from django.utils import timezone

from redchain.routing.segment import lcut

HAMMING_MAX = 6
JACCARD_NEAR = 0.3
JACCARD_SAME = 0.5
JACCARD_RELATED = 0.45
TITLE_RELATED = 0.5
TITLE_FLOOR = 0.1
RELATED_LIMIT = 200  # newest same-enterprise / same-place candidates looked at
MAX_TOKENS = 300

_MASK64 = (1 << 64) - 1
_BIT_SHIFTS = np.arange(64, dtype=np.uint64)
_CLEAN = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# Masked districts ("A市", "A3区") and names ending in a place suffix, longest suffix first.
_DISTRICT = re.compile(r"[A-Z]\d*[市区县]")
PLACE_SUFFIXES = (
    "产业园", "工业园", "科技园", "开发区", "园区", "小区", "社区", "街道", "大道", "大街", "花园", "广场",
    "公寓", "新城", "家园", "公园", "大厦", "路", "街", "村", "镇", "乡", "巷", "苑", "府",
)  # fmt: skip
_SUFFIX = re.compile("(" + "|".join(PLACE_SUFFIXES) + ")(?![民灯面况费线上边过人子头])")
# A place name's own characters stop at a function word or at a larger unit's suffix (A3区|联丰路).
_NAME_STOP = re.compile(
    r".*(?:[^\u4e00-\u9fff]|[的在系是了和与及到从对向于为把被就都也还又个位区市县镇省州村路街我你他们这那而以给往])"
)
# A place name keeps at most four characters before its suffix. Writers prefix an estate differently
# (五矿沁园金城小区 / 沁园金城小区), so the cut also normalises; on the real messages of
# bench/duplicates_quality.py, 3 / 4 / 6 characters give F1 0.714 / 0.720 / 0.712.
PLACE_NAME_CHARS = 4
_LEADING_VERB = re.compile(r"^(?:反映|关于|咨询|请问|希望|位于|地处|投诉|举报)")
_GENERIC_PLACES = frozenset(
    {"道路", "马路", "公路", "农村", "乡村", "城乡", "出路", "一路", "走路", "思路", "城镇", "线路"}
)
# Words that end like a place but name none (广铁集团铁路, 不要套路, 人民政府).
_GENERIC_ENDINGS = ("铁路", "马路", "公路", "线路", "道路", "套路", "门路", "网路", "政府")
STOPWORDS = frozenset(
    """
    我们 你们 他们 这个 那个 一个 没有 什么 怎么 如何 可以 因为 所以 但是 而且 已经 还是 就是 不是 现在 目前 问题
    希望 请问 领导 政府 相关 部门 有关 情况 反映 关于 进行 要求 这样 这些 那些 以及 自己 非常 严重 尽快 解决
    能否 是否 请求 咨询 您好 你好 谢谢 感谢 为什么 时候 一下 一些 很多 不能 需要 出现 存在 工作 处理 要求 建议
    投诉 举报 何时 加快 力度 步伐 刻不容缓
    """.split()
)


class Duplicate(NamedTuple):
    demand_id: int
    similarity: float


class Fingerprint(NamedTuple):
    simhash: int  # unsigned 64 bits
    tokens: frozenset[str]
    place: str
    title_tokens: frozenset[str] = frozenset()

    @property
    def bands(self) -> tuple[int, int, int, int]:
        return bands_of(self.simhash)


# ---------------------------------------------------------------------------------------------- text


def words(text: str) -> list[str]:
    """Content words of ``text``: jieba tokens of two or more characters that are not stopwords or numbers."""
    out = []
    for token in lcut(text):
        token = token.strip()
        if len(token) >= 2 and token not in STOPWORDS and _HAS_WORD.search(token):
            out.append(token)
    return out


def places_in(text: str) -> list[str]:
    """Places named in ``text``, most frequent first: masked districts (A3区) and names ending in 路/街/村/
    社区/园区… with at most four characters of their own (春华镇金鼎村 gives 春华镇 and 金鼎村).

    jieba's ``ns`` tags miss most road and estate names (it cuts 区联|丰路), tag common nouns, and cost ten
    times a plain cut, so names are read off the suffixes instead.
    """
    found: Counter[str] = Counter(_DISTRICT.findall(text))
    for place in _suffixed_places(text):
        found[place] += 1
    return [name for name, _count in found.most_common()]


def _suffixed_places(text: str) -> list[str]:
    """Names ending in a place suffix, in reading order. A name never reaches back into the place before
    it, so 星沙街道凉塘路 gives 星沙街道 and 凉塘路, not 道凉塘路."""
    out = []
    floor = 0
    for match in _SUFFIX.finditer(text):
        before = text[max(floor, match.start() - PLACE_NAME_CHARS) : match.start()]
        stop = _NAME_STOP.match(before)
        name = before[stop.end() :] if stop else before
        name = _LEADING_VERB.sub("", name)
        place = name + match.group(1)
        if len(name) >= 2 and place not in _GENERIC_PLACES and not place.endswith(_GENERIC_ENDINGS):
            out.append(place)
            floor = match.end()
    return out


def main_place(places: list[str], *, title: str = "") -> str:
    """The place a demand is about, or "" when only a district is named (too coarse to call two demands
    alike): the last place the title names (titles go from the large to the small: A7县星沙街道凉塘路),
    else the text's most frequent specific place."""
    in_title = _suffixed_places(title) if title else []
    specific = in_title[-1:] or [p for p in places if not _DISTRICT.fullmatch(p)]
    return (specific or [""])[0][:60]


@lru_cache(maxsize=65536)
def _feature_hash(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")


def simhash(features: Counter[str]) -> int:
    """Charikar's SimHash: each bit is the sign of the weighted vote of the features' hash bits."""
    if not features:
        return 0
    hashes = np.array([_feature_hash(f) for f in features], dtype=np.uint64)
    weights = np.array(list(features.values()), dtype=np.int64)
    bits = ((hashes[:, None] >> _BIT_SHIFTS) & np.uint64(1)).astype(np.int64)
    votes = weights @ (2 * bits - 1)
    return sum(1 << int(bit) for bit in np.flatnonzero(votes > 0))


def fingerprint_text(text: str, *, title: str = "") -> Fingerprint:
    """The fingerprint of ``text`` (title and body); ``title`` again on its own gives the title's words."""
    raw = lcut(text)
    content = [t for t in raw if len(t) >= 2 and t not in STOPWORDS and _HAS_WORD.search(t)]
    clean = _CLEAN.sub("", text)
    features: Counter[str] = Counter()
    for token in content:
        features["w:" + token] += 2
    for i in range(len(clean) - 2):
        features[clean[i : i + 3]] += 1
    tokens = frozenset(list(dict.fromkeys(content))[:MAX_TOKENS])
    title_tokens = frozenset(words(title)) if title else frozenset()
    return Fingerprint(simhash(features), tokens, main_place(places_in(text), title=title), title_tokens)


def stored_tokens(fp: Fingerprint) -> str:
    """The words, then a line with the title's words (rows written before titles were kept have one line)."""
    body = " ".join(sorted(fp.tokens))
    return f"{body}\n{' '.join(sorted(fp.title_tokens))}" if fp.title_tokens else body


def read_tokens(stored: str) -> tuple[frozenset[str], frozenset[str]]:
    words_line, _newline, title_line = stored.partition("\n")
    return frozenset(words_line.split()), frozenset(title_line.split())


def bands_of(value: int) -> tuple[int, int, int, int]:
    return tuple((value >> (16 * i)) & 0xFFFF for i in range(4))  # type: ignore[return-value]


def to_signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK64).bit_count()


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def demand_text(demand) -> str:
    return f"{demand.title}。{demand.body}"


def confirms(*, distance: int, similarity: float, title_similarity: float, related: bool) -> bool:
    """Whether a candidate is a likely duplicate: ``distance`` in SimHash bits, ``similarity`` the word
    Jaccard, ``title_similarity`` the title-word Jaccard, ``related`` same enterprise or same place."""
    if similarity >= JACCARD_SAME:
        return True
    if distance <= HAMMING_MAX and similarity >= JACCARD_NEAR:
        return True
    if not related:
        return False
    return similarity >= JACCARD_RELATED or (title_similarity >= TITLE_RELATED and similarity >= TITLE_FLOOR)


# ---------------------------------------------------------------------------------------------- writes


def fingerprint_demand(*, demand):
    """Write (or rewrite) the demand's fingerprint. Idempotent: derived data, so no audit row."""
    from redchain.routing.models_topics import DemandFingerprint

    fp = fingerprint_text(demand_text(demand), title=demand.title)
    b0, b1, b2, b3 = fp.bands
    row, _created = DemandFingerprint.objects.update_or_create(
        demand=demand,
        defaults={
            "zone_id": demand.zone_id,
            "enterprise_id": demand.enterprise_id,
            "place": fp.place,
            "simhash": to_signed(fp.simhash),
            "band0": b0,
            "band1": b1,
            "band2": b2,
            "band3": b3,
            "tokens": stored_tokens(fp),
            "created_at": demand.created_at or timezone.now(),
        },
    )
    return row


def fingerprint_demand_on_commit(demand) -> None:
    """The intake hook: fingerprint after the submitting transaction commits, never inside it."""
    transaction.on_commit(lambda: fingerprint_demand(demand=demand))


def backfill(*, zone_id: int | None = None, batch: int = 500, rewrite: bool = False) -> int:
    """Fingerprint every demand that has none yet (with ``rewrite``, every demand again, e.g. to add the
    title words to fingerprints written before they were kept); returns how many were written."""
    from redchain.demands.models import Demand

    missing = Demand.objects.order_by("pk")
    if not rewrite:
        missing = missing.filter(fingerprint__isnull=True)
    if zone_id is not None:
        missing = missing.filter(zone_id=zone_id)
    count = 0
    fields = ("pk", "zone_id", "enterprise_id", "title", "body", "created_at")
    for demand in missing.only(*fields).iterator(batch):
        fingerprint_demand(demand=demand)
        count += 1
    return count


# ---------------------------------------------------------------------------------------------- reads


def find_duplicates(
    *,
    demand=None,
    text: str | None = None,
    title: str = "",
    zone_id: int | None = None,
    enterprise_id: int | None = None,
    place: str | None = None,
    at: dt.datetime | None = None,
    window_days: int = 30,
    limit: int = 5,
) -> list[Duplicate]:
    """Likely duplicates of ``demand`` (or of ``text`` about to be submitted, with its ``title`` when known)
    in the same zone, within ``window_days`` either side of its submission, best first. Never crosses zones."""
    fp, zone_id, enterprise_id, at, own_id = _query_of(demand, text, title, zone_id, enterprise_id, at)
    if zone_id is None:
        raise ValueError("find_duplicates needs a zone")
    place = fp.place if place is None else place
    window = (at - dt.timedelta(days=window_days), at + dt.timedelta(days=window_days))
    rows = _candidates(fp, zone_id=zone_id, enterprise_id=enterprise_id, place=place, window=window)
    scored = []
    for demand_id, other_hash, other_enterprise, other_place, stored in rows.values():
        if demand_id == own_id:
            continue
        tokens, title_tokens = read_tokens(stored)
        similarity = jaccard(fp.tokens, tokens)
        title_similarity = jaccard(fp.title_tokens, title_tokens)
        same_firm = enterprise_id is not None and other_enterprise == enterprise_id
        same_place = bool(place) and other_place == place
        distance = hamming(fp.simhash, other_hash)
        if confirms(
            distance=distance,
            similarity=similarity,
            title_similarity=title_similarity,
            related=same_firm or same_place,
        ):
            scored.append((max(similarity, title_similarity), same_firm, same_place, -demand_id))
    scored.sort(reverse=True)
    best = [Duplicate(-neg_id, round(sim, 3)) for sim, _f, _p, neg_id in scored[: limit * 2]]
    return _without_closed_out(best)[:limit]


def _query_of(demand, text, title, zone_id, enterprise_id, at):
    if demand is not None:
        stored = getattr(demand, "fingerprint", None) if _has_fingerprint(demand) else None
        if stored is not None:
            tokens, title_tokens = read_tokens(stored.tokens)
            fp = Fingerprint(stored.simhash & _MASK64, tokens, stored.place, title_tokens)
        else:
            fp = fingerprint_text(demand_text(demand), title=demand.title)
        return fp, demand.zone_id, demand.enterprise_id, demand.created_at or timezone.now(), demand.pk
    if text is None:
        raise ValueError("find_duplicates needs a demand or a text")
    return fingerprint_text(text, title=title), zone_id, enterprise_id, at or timezone.now(), None


def _has_fingerprint(demand) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        demand.fingerprint  # noqa: B018 - the look-up is the test
    except ObjectDoesNotExist:
        return False
    return True


def _candidates(fp: Fingerprint, *, zone_id, enterprise_id, place, window) -> dict[int, tuple]:
    """Band matches, same-enterprise and same-place rows in the window: each an indexed look-up."""
    from redchain.routing.models_topics import DemandFingerprint

    fields = ("demand_id", "simhash", "enterprise_id", "place", "tokens")
    in_window = DemandFingerprint.objects.filter(created_at__range=window)
    in_zone = in_window.filter(zone_id=zone_id)
    queries = [in_zone.filter(**{f"band{i}": band}).values_list(*fields) for i, band in enumerate(fp.bands)]
    if enterprise_id is not None:
        same_firm = in_window.filter(enterprise_id=enterprise_id, zone_id=zone_id).order_by("-created_at")
        queries.append(same_firm.values_list(*fields)[:RELATED_LIMIT])
    if place:
        same_place = in_zone.filter(place=place).order_by("-created_at")
        queries.append(same_place.values_list(*fields)[:RELATED_LIMIT])
    rows: dict[int, tuple] = {}
    for query in queries:
        for row in query:
            rows[row[0]] = (row[0], row[1] & _MASK64, row[2], row[3], row[4])
    return rows


def _without_closed_out(found: list[Duplicate]) -> list[Duplicate]:
    """Drop demands already merged away or not accepted: a dispatcher cannot merge into those."""
    if not found:
        return found
    from redchain.demands.models import Demand

    gone = set(
        Demand.objects.filter(
            pk__in=[d.demand_id for d in found], status__in=[Demand.Status.MERGED, Demand.Status.REJECTED]
        ).values_list("pk", flat=True)
    )
    return [d for d in found if d.demand_id not in gone]


def similarity_bits(a: int, b: int) -> float:
    """1 for identical fingerprints, about 0.5 for unrelated texts."""
    return 1 - hamming(a, b) / 64


__all__ = [
    "Duplicate",
    "backfill",
    "confirms",
    "find_duplicates",
    "fingerprint_demand",
    "fingerprint_demand_on_commit",
    "fingerprint_text",
]
