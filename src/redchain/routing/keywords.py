"""Cold-start routing from keyword rules, used while a zone has no trained router for a target.

Departments are scored by the keywords of their responsibility list (职责清单, one keyword per line);
categories by their own names, their children's names and a few built-in hints per default category code.
A keyword counts once when it occurs anywhere in the text (plain substring: Chinese needs no tokenising to
find a keyword, and a substring never misses one that jieba would cut differently).

The confidence of a candidate is its share of all matches, damped by how much evidence there is at all:
``share × (1 − 0.5 ** total_matches)``. One matching keyword gives 0.5, which is below the default threshold,
so a demand routed on a single word still goes to the manual triage queue; two matches for the same
department give 0.75.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from redchain.demands.models import Category
from redchain.orgs.models import Department

# Words that point at a default category (``demands.defaults.CATEGORY_TREE``) beyond its own name.
CATEGORY_HINTS: dict[str, tuple[str, ...]] = {
    "tax-finance": ("税", "发票", "奖补", "补贴", "财政"),
    "land-premises": ("用地", "用房", "厂房", "土地", "租金"),
    "financing": ("融资", "贷款", "担保", "银行", "授信"),
    "labour": ("招聘", "用工", "社保", "人才", "员工"),
    "approvals": ("审批", "许可", "证照", "备案", "办证"),
    "utilities": ("用电", "用水", "用气", "供电", "增容", "停电", "燃气", "自来水"),
    "environment": ("环评", "排污", "环保", "噪声", "废水"),
    "work-safety": ("安全生产", "消防", "隐患"),
    "intellectual-property": ("专利", "商标", "知识产权"),
    "logistics-traffic": ("交通", "物流", "道路", "停车", "货车"),
    "market-regulation": ("市场监管", "食品", "质量", "计量", "营业执照"),
}


def split_keywords(text: str) -> list[str]:
    """The keywords of a responsibility list: one a line (commas and 、 also separate), blanks dropped."""
    for separator in ("，", ",", "、", ";", "；"):
        text = text.replace(separator, "\n")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        if line.strip():
            seen.setdefault(line.strip(), None)
    return list(seen)


def score(
    text: str, keywords_by_label: Mapping[str, Iterable[str]], *, k: int = 3
) -> list[tuple[str, float]]:
    """The ``k`` best labels with their confidence, best first; empty when no keyword occurs."""
    counts = {
        label: sum(1 for word in set(words) if word and word in text)
        for label, words in keywords_by_label.items()
    }
    counts = {label: n for label, n in counts.items() if n}
    total = sum(counts.values())
    if not total:
        return []
    evidence = 1 - 0.5**total
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(label, round(n / total * evidence, 4)) for label, n in ranked[:k]]


def department_keywords(zone_id: int) -> dict[str, list[str]]:
    """Each active department's keywords (its name counts as one), keyed by its id as text."""
    rows = Department.objects.filter(zone_id=zone_id, is_active=True).values_list(
        "id", "name", "responsibilities"
    )
    return {str(pk): [name, *split_keywords(text)] for pk, name, text in rows}


def category_keywords(zone_id: int) -> dict[str, list[str]]:
    """Each top-level category's words: its name, its children's names and the hints of its code."""
    rows = list(Category.objects.filter(zone_id=zone_id).values_list("id", "parent_id", "name", "code"))
    words: dict[str, list[str]] = {}
    for pk, parent_id, name, code in rows:
        if parent_id is None:
            words.setdefault(str(pk), []).extend([name, *CATEGORY_HINTS.get(code, ())])
    for _pk, parent_id, name, code in rows:
        if parent_id is not None and str(parent_id) in words:
            words[str(parent_id)].extend([name, *CATEGORY_HINTS.get(code, ())])
    return words
