"""Reading the real citizen messages of ``../shared/data/gov-messages/hot.csv`` for the benchmarks.

The file stays outside the project (see its README); a benchmark calls :func:`hot_path` and prints
"skipped: ..." when it is absent. Times in the file come in two spellings (``2019/2/28 11:25:05`` and
``2019-08-01 00:00:00``); both are read as Asia/Shanghai wall-clock times.

:func:`reference` builds the pairs of messages about the same matter from the data alone (rules R1–R4,
described in ``bench/duplicates_quality.py``); ``bench/topics.py`` reuses them.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW_DAYS = 30  # the duplicate check's window
BODY_COPY = 0.5  # R2
MIN_RUN = 4  # R3
MAX_WRITERS = 5  # R3
TITLE_DICE = 0.5  # R4
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_MASKED = re.compile(r"[A-Z]\d*[市区县]")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Message:
    """One row of hot.csv; ``index`` is its position in the file."""

    index: int
    number: str
    writer: str
    title: str
    body: str
    at: dt.datetime
    likes: int


def hot_path() -> Path:
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "gov-messages" / "hot.csv"
    return Path(os.environ.get("REDCHAIN_HOT_CSV", default))


def parse_time(text: str) -> dt.datetime | None:
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    return None


def load_hot(path: Path) -> list[Message]:
    """The messages with a readable time (all 4,326 of the published file), in file order."""
    messages = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            at = parse_time(row["留言时间"])
            if at is None:
                continue
            messages.append(
                Message(
                    index=len(messages),
                    number=row["留言编号"].strip(),
                    writer=row["留言用户"].strip(),
                    title=row["留言主题"].strip(),
                    body=row["留言详情"].strip(),
                    at=at,
                    likes=int(row["点赞数"] or 0),
                )
            )
    return messages


# ---------------------------------------------------------------------------------------------- same matter

Pair = tuple[int, int]


def pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


# ---------------------------------------------------------------------------------------------- reference


def normal_title(title: str) -> str:
    """The title without punctuation and spaces (rule R1 compares these)."""
    return _KEEP.sub("", title)


def day_gaps(messages: list[Message]) -> np.ndarray:
    seconds = np.array([m.at.timestamp() for m in messages])
    return np.abs(seconds[:, None] - seconds[None, :]) / 86400


def body_jaccard(messages: list[Message]) -> np.ndarray:
    from sklearn.feature_extraction.text import CountVectorizer

    bodies = [_KEEP.sub("", m.body) or "。" for m in messages]
    grams = CountVectorizer(analyzer="char", ngram_range=(4, 4), binary=True, lowercase=False)
    matrix = grams.fit_transform(bodies).astype(np.float32)
    shared = (matrix @ matrix.T).toarray()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    return shared / np.maximum(1, sizes[:, None] + sizes[None, :] - shared)


def title_runs(title: str) -> set[str]:
    runs = _CJK.findall(_MASKED.sub(" ", title))
    return {run[i:j] for run in runs for i in range(len(run)) for j in range(i + MIN_RUN, len(run) + 1)}


def reference(messages: list[Message], gaps: np.ndarray, copies: np.ndarray) -> tuple[dict, int]:
    """Pairs of messages about the same matter at most ``WINDOW_DAYS`` apart, each with the rules it satisfies
    (R1–R4, described in ``bench/duplicates_quality.py``), and how many such pairs lie further apart."""
    rules: dict[Pair, set[str]] = defaultdict(set)
    far: set[Pair] = set()

    def add(i: int, j: int, rule: str) -> None:
        if gaps[i, j] <= WINDOW_DAYS:
            rules[pair(i, j)].add(rule)
        else:
            far.add(pair(i, j))

    by_title: dict[str, list[int]] = defaultdict(list)
    for m in messages:
        by_title[normal_title(m.title)].append(m.index)
    for group in by_title.values():
        for a, b in pairs_of(group):
            add(a, b, "R1")
    for i, j in zip(*np.nonzero(np.triu(copies >= BODY_COPY, 1)), strict=True):
        add(int(i), int(j), "R2")
    runs = [title_runs(m.title) for m in messages]
    writers_of: dict[str, set[str]] = defaultdict(set)
    for m, found in zip(messages, runs, strict=True):
        for run in found:
            writers_of[run].add(m.writer)
    by_writer: dict[str, list[int]] = defaultdict(list)
    for m in messages:
        by_writer[m.writer].append(m.index)
    for group in by_writer.values():
        for a, b in pairs_of(group):
            if _named_in_bodies(messages[a], messages[b], runs[a] & runs[b], writers_of, MAX_WRITERS):
                add(a, b, "R3")
    for a, b in _two_writers_same_title(messages, runs, writers_of):
        add(a, b, "R4")
    return dict(rules), len(far - set(rules))


def _named_in_bodies(a: Message, b: Message, shared: set[str], writers_of, most: int) -> bool:
    return any(len(writers_of[run]) <= most and run in a.body and run in b.body for run in shared)


def _two_writers_same_title(messages: list[Message], runs: list[set[str]], writers_of) -> set[Pair]:
    holders: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(runs):
        for run in found:
            holders[run].append(index)
    sharing = {p for group in holders.values() for p in pairs_of(group)}
    bigrams = [_bigrams(m.title) for m in messages]
    found = set()
    for a, b in sharing:
        if messages[a].writer == messages[b].writer or not bigrams[a] or not bigrams[b]:
            continue
        dice = 2 * len(bigrams[a] & bigrams[b]) / (len(bigrams[a]) + len(bigrams[b]))
        if dice >= TITLE_DICE and _named_in_bodies(
            messages[a], messages[b], runs[a] & runs[b], writers_of, 10**9
        ):
            found.add((a, b))
    return found


def _bigrams(title: str) -> set[str]:
    return {run[i : i + 2] for run in _CJK.findall(_MASKED.sub(" ", title)) for i in range(len(run) - 1)}


def pairs_of(group: list[int]) -> Iterable[Pair]:
    for x in range(len(group)):
        for y in range(x + 1, len(group)):
            yield pair(group[x], group[y])
