"""The missed-cadence list: which organisations held a kind of activity less often than their zone's rule asks.

A rule "every N months" is checked over the N calendar months ending with the month under review (a rolling
window): reviewing June 2025, a monthly theme day must fall in June, a quarterly general meeting in April to
June, a yearly appraisal in July 2024 to June 2025. The counts come from one grouped query over the
activities, never one query per organisation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Max, Q, QuerySet

from redchain.orgs.models import PartyOrg
from redchain.partylife.models import CadenceRule, PartyActivity

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str | None) -> date | None:
    """'2025-06' as the first day of that month; None when it is not a month."""
    match = MONTH_PATTERN.match((text or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1) if 1 <= month <= 12 and year >= 1949 else None


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def window(month: date, every_months: int) -> tuple[date, date]:
    """The first and last day of the ``every_months`` months ending with ``month``."""
    return add_months(month, 1 - every_months), month_end(month)


@dataclass(frozen=True)
class Miss:
    """One organisation that did not keep one rule in the window."""

    org: PartyOrg
    rule: CadenceRule
    held: int
    last_held_on: date | None
    window_start: date
    window_end: date


@dataclass
class Report:
    """The review of one month: the misses, and how many (org, rule) pairs were checked and missed per kind."""

    month: date
    misses: list[Miss] = field(default_factory=list)
    checked: Counter = field(default_factory=Counter)
    missed: Counter = field(default_factory=Counter)

    @property
    def checked_total(self) -> int:
        return sum(self.checked.values())

    @property
    def compliance_rate(self) -> float | None:
        total = self.checked_total
        return None if not total else (total - len(self.misses)) / total

    def per_kind(self) -> list[tuple[CadenceRule, int, int]]:
        """(rule, pairs checked, pairs missed) for every rule checked."""
        return [(rule, self.checked[rule.kind], self.missed[rule.kind]) for rule in self._rules]

    _rules: list[CadenceRule] = field(default_factory=list)


def review(*, orgs: QuerySet[PartyOrg], rules: list[CadenceRule], month: date) -> Report:
    """Check ``orgs`` (already scoped) against the active ``rules`` for ``month``: three queries in all."""
    report = Report(month=month, _rules=rules)
    if not rules:
        return report
    org_kinds = {kind for rule in rules for kind in rule.org_kinds}
    org_list = list(orgs.filter(kind__in=org_kinds).select_related("owner_enterprise", "owner_department"))
    stats = _grouped_counts(org_ids=[o.pk for o in org_list], rules=rules, month=month)
    for org in sorted(org_list, key=lambda o: (o.sort_name, o.pk)):
        for rule in rules:
            if org.kind not in rule.org_kinds:
                continue
            report.checked[rule.kind] += 1
            held, last = stats.get((org.pk, rule.kind), (0, None))
            if held < 1:
                report.missed[rule.kind] += 1
                start, end = window(month, rule.every_months)
                report.misses.append(Miss(org, rule, held, last, start, end))
    return report


def _grouped_counts(
    *, org_ids: list[int], rules: list[CadenceRule], month: date
) -> dict[tuple[int, str], tuple[int, date | None]]:
    """{(org id, kind): (activities in the rule's window, last held on or before the month's end)}."""
    if not org_ids:
        return {}
    in_window = reduce(
        or_, [Q(kind=rule.kind, held_on__gte=window(month, rule.every_months)[0]) for rule in rules]
    )
    rows = (
        PartyActivity.objects.filter(
            org_id__in=org_ids, kind__in=[rule.kind for rule in rules], held_on__lte=month_end(month)
        )
        .values("org_id", "kind")
        .annotate(held=Count("id", filter=in_window), last=Max("held_on"))
        .order_by()
    )
    return {(row["org_id"], row["kind"]): (row["held"], row["last"]) for row in rows}
