"""Chinese search over demand texts: character bigrams against jieba word segmentation, measured in one run.

Usage: ``.venv/bin/python bench/search_quality.py`` (reads ``../shared/data/gov-messages/labelled.csv`` and
``hot.csv``, or the files named by ``REDCHAIN_LABELLED_CSV`` / ``REDCHAIN_HOT_CSV``; prints "skipped: ..." and
exits 0 when they are absent; the jieba lines are skipped when jieba is not installed).

The reference is what the demand list's ``q=`` filter answers today and what a user typing a word expects:
the messages whose title or body *contains* the query (``icontains``). Every method is an inverted index over
title + body, queried with AND of the query's terms, as a full-text index would be:

* ``bigram`` — every overlapping pair of Chinese characters (single characters for one-character queries);
  letters and digits as whole tokens. Recall is 1 by construction; precision is lost where the bigrams occur
  apart. ``bigram+phrase`` also requires them adjacent (a positional index: PostgreSQL's ``<->``, FTS5 phrases),
  which gives exactly the reference.
* ``jieba`` — ``jieba.cut_for_search`` words of the text and of the query.

Queries come in three sets, so that neither method picks its own: 40 words an enterprise service desk searches
for (fixed list below), 300 random 2–4 character runs of titles (seeded), and 300 random jieba words of titles
of 2+ characters (seeded). Prints, per method and set, mean recall and precision against the reference, the
terms per message (index size) and the indexing speed.
"""

from __future__ import annotations

import csv
import os
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "gov-messages"
DESK_WORDS = (
    "融资 贷款 退税 留抵 补贴 奖补 用地 厂房 停电 供电 用水 燃气 招工 用工 社保 公积金 工资 拖欠 噪音 停车 "
    "道路 施工 物业 排水 污水 环保 消防 审批 办证 营业执照 专利 人才 子女入学 学校 公交 网络 扰民 安置 拆迁 税务"
).split()
HAN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")


def load() -> list[str]:
    texts = []
    for variable, name in (("REDCHAIN_LABELLED_CSV", "labelled.csv"), ("REDCHAIN_HOT_CSV", "hot.csv")):
        path = Path(os.environ.get(variable, SHARED / name))
        if not path.exists():
            print(f"skipped: {path} is absent")
            sys.exit(0)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                texts.append(f"{row['留言主题']}\n{row['留言详情']}")
    return texts


def bigrams(text: str) -> list[str]:
    terms = []
    for run in HAN.findall(text):
        if not "\u4e00" <= run[0] <= "\u9fff":
            terms.append(run.lower())
        elif len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def query_bigrams(query: str) -> list[str]:
    return bigrams(query) if len(query) > 1 else [query]


class Index:
    def __init__(self, docs_terms: list[list[str]]) -> None:
        self.postings: dict[str, set[int]] = defaultdict(set)
        for doc, terms in enumerate(docs_terms):
            for term in set(terms):
                self.postings[term].add(doc)

    def all_of(self, terms: list[str]) -> set[int]:
        if not terms:
            return set()
        sets = sorted((self.postings.get(term, set()) for term in terms), key=len)
        found = set(sets[0])
        for other in sets[1:]:
            found &= other
        return found


def unigram_index(texts):
    return Index([[c for c in text if "\u4e00" <= c <= "\u9fff"] for text in texts])


def score(found: set[int], truth: set[int]) -> tuple[float, float]:
    recall = len(found & truth) / len(truth) if truth else 1.0
    precision = len(found & truth) / len(found) if found else (1.0 if not truth else 0.0)
    return recall, precision


def main() -> None:
    texts = load()
    lowered = [text.lower() for text in texts]
    rng = random.Random(2026)
    titles = [text.split("\n", 1)[0] for text in texts]
    runs = []
    while len(runs) < 300:
        chars = [run for run in re.findall(r"[\u4e00-\u9fff]+", rng.choice(titles)) if len(run) >= 2]
        if chars:
            run = rng.choice(chars)
            size = rng.randint(2, min(4, len(run)))
            start = rng.randrange(len(run) - size + 1)
            runs.append(run[start : start + size])
    sets = {"desk words": list(DESK_WORDS), "title runs": runs}

    started = time.perf_counter()
    bigram_terms = [bigrams(text) for text in texts]
    bigram_seconds = time.perf_counter() - started
    methods = {"bigram": (Index(bigram_terms), query_bigrams, bigram_seconds, bigram_terms)}
    singles = unigram_index(texts)
    try:
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        started = time.perf_counter()
        jieba_terms = [[w.lower() for w in jieba.cut_for_search(text) if w.strip()] for text in texts]
        jieba_seconds = time.perf_counter() - started
        methods["jieba"] = (
            Index(jieba_terms),
            lambda q: [w.lower() for w in jieba.cut_for_search(q) if w.strip()],
            jieba_seconds,
            jieba_terms,
        )
        words = [w for t in titles for w in jieba.cut(t) if len(w) >= 2 and HAN.fullmatch(w)]
        sets["jieba words"] = [rng.choice(words) for _ in range(300)]
    except ImportError:
        print("jieba is not installed: its lines are skipped (pip install jieba)")

    print(f"{len(texts):,} messages; reference = substring match (icontains) on title + body")
    print(f"{'method':<15}{'index terms/msg':>16}{'msgs/s':>10}")
    for name, (_index, _q, seconds, terms) in methods.items():
        print(
            f"{name:<15}{sum(len(set(t)) for t in terms) / len(texts):>16.0f}{len(texts) / seconds:>10,.0f}"
        )
    print()
    print(f"{'query set':<13}{'method':<15}{'recall':>8}{'precision':>11}{'exact':>8}")
    for set_name, queries in sets.items():
        truths = [{i for i, text in enumerate(lowered) if q.lower() in text} for q in queries]
        rows = [(name, index, to_terms) for name, (index, to_terms, _s, _t) in methods.items()]
        rows.insert(1, ("bigram+phrase", None, None))
        for name, index, to_terms in rows:
            recalls, precisions, exact = [], [], 0
            for query, truth in zip(queries, truths, strict=True):
                if index is None:  # positional: the bigram candidates confirmed as a phrase
                    candidates = methods["bigram"][0].all_of(query_bigrams(query))
                    found = {i for i in candidates if query.lower() in lowered[i]}
                else:
                    found = index.all_of(to_terms(query)) if len(query) > 1 else singles.all_of([query])
                recall, precision = score(found, truth)
                recalls.append(recall)
                precisions.append(precision)
                exact += found == truth
            mean_r, mean_p = sum(recalls) / len(recalls), sum(precisions) / len(precisions)
            print(f"{set_name:<13}{name:<15}{mean_r:>8.3f}{mean_p:>11.3f}{exact / len(queries):>8.2f}")


if __name__ == "__main__":
    main()
