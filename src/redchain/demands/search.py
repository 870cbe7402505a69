"""Chinese full-text search over demand titles and bodies, the same on PostgreSQL and SQLite.

A text becomes its terms: every overlapping pair of Chinese characters (二元切分, 融资难 → 融资 资难), and each run
of letters or digits as one lower-case word. A query is searched as phrases: its own bigrams, adjacent and in
order, which is exactly "the text contains the query" (what ``icontains`` answered, and what a user typing a
word expects), but from an index instead of reading every row. Words of a query separated by spaces must all
occur. ``bench/search_quality.py`` measured bigrams against jieba word segmentation on 5,150 real messages:
bigram phrases matched the substring reference on every query, jieba found 0.97 of the matches for common
desk words and 0.49 for runs of title text, and indexed 20 times slower.

A query of one Chinese character has no bigram; it falls back to ``icontains`` (slow on millions of rows, and
rarely what anyone searches for). The index only proposes candidates: each is confirmed on its own row, so the
answer is exactly "contains" (see :func:`condition`).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from redchain.demands.models import TRACKING_ALPHABET, DemandSearch
from redchain.orgs.models import Enterprise

FTS_TABLE = "demands_demandsearch_fts"  # SQLite's FTS5 index of DemandSearch.terms (migration 0005)

RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
INLINE_IDS = 5000  # up to this many candidates are handed to the page's query as a list of ids
MAX_PHRASES = 8  # words of one query; more is a pasted paragraph, and every one costs an index probe


def _is_han(text: str) -> bool:
    return not text[0].isascii()


def bigrams(text: str) -> list[str]:
    """The terms of a text, in order."""
    terms: list[str] = []
    for run in RUNS.findall(text):
        if not _is_han(run):
            terms.append(run.lower())
        elif len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def terms_of(title: str, body: str) -> str:
    """What ``DemandSearch.terms`` holds: the terms of title and body, space-separated, in order.

    A newline between title and body keeps no phrase from spanning the two (both indexes treat it as a gap
    only of tokens, so a phrase could still join the title's last and the body's first term: harmless).
    """
    return " ".join(bigrams(title)) + "\n" + " ".join(bigrams(body))


def phrases(query: str) -> list[list[str]]:
    """The index phrases of a query: each run of two or more Chinese characters as its bigrams in order.

    Runs of letters or digits are left to the confirmation: in the query they may be part of a longer word of
    the text (``3`` of ``A3``), which the index holds only whole; a lone Chinese character has no bigram.
    """
    found = [bigrams(run) for run in RUNS.findall(query) if _is_han(run) and len(run) > 1]
    return found[:MAX_PHRASES]


def condition(query: str) -> Q:
    """Demands whose title or body contains every space-separated word of ``query``, or whose tracking code is
    the query, or whose enterprise's name contains it.

    The index finds candidates by phrases; each candidate is then confirmed with ``icontains`` on its own row, so
    the answer is exactly "contains" whatever the segmentation. A query without two Chinese characters in a row
    (``区``, ``ERP``) has nothing for the index and reads the rows with ``icontains``, as before.
    """
    query = query.strip()
    words = query.split()[:MAX_PHRASES]
    found = phrases(query)
    if not found:
        return (
            Q(title__icontains=query)
            | Q(body__icontains=query)
            | Q(tracking_code=query.upper())
            | Q(enterprise__name__icontains=query)
        )
    index_sql, index_params = _index_sql(found)
    ids = _few_ids(index_sql, index_params)
    if ids is not None:
        matched = Q(pk__in=ids)
    else:
        matched = Q(pk__in=RawSQL(index_sql, index_params))  # noqa: S611 - names are ours, values parameters
    for word in words:
        # Confirmed on the row the page reads anyway: exact "contains", whatever the segmentation.
        matched &= Q(title__icontains=word) | Q(body__icontains=word)
    # The other two alternatives only when they can match: an OR with a branch that finds nothing still
    # misleads the planner into reading every demand.
    if _looks_like_tracking_code(query):
        matched |= Q(tracking_code=query.upper())
    firms = Enterprise.objects.filter(name__icontains=query)
    if firms.exists():
        matched |= Q(enterprise_id__in=firms.values("pk"))
    return matched


def _few_ids(sql: str, params: list[str]) -> list[int] | None:
    """The index's candidates as a list when there are at most ``INLINE_IDS`` of them, else None.

    The planner cannot estimate how many rows a text query matches; joined with a reader's scope (a
    department's work orders) it guessed a handful, scanned every demand and probed the index per row
    (1.7 s at a million demands for a word in 0.1 % of them). A short list of ids it looks up by key.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {INLINE_IDS + 1}", params)
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= INLINE_IDS else None


def _looks_like_tracking_code(query: str) -> bool:
    return len(query) == 12 and set(query.upper()) <= set(TRACKING_ALPHABET)


def _index_sql(found: list[list[str]]) -> tuple[str, list[str]]:
    table = connection.ops.quote_name(DemandSearch._meta.db_table)
    if connection.vendor == "postgresql":
        # Terms hold only Chinese characters, letters and digits, so quoting each is enough; the tsquery
        # still travels as a parameter.
        tsquery = " & ".join("(" + " <-> ".join(f"'{t}'" for t in terms) + ")" for terms in found)
        # ``vector`` is the generated column of migration 0005: to_tsvector('simple', terms), GIN-indexed.
        return f"SELECT demand_id FROM {table} WHERE vector @@ to_tsquery('simple', %s)", [tsquery]  # noqa: S608
    match = " ".join('"' + " ".join(terms) + '"' for terms in found)
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]  # noqa: S608
