"""Cold-start keyword rules."""

import pytest

from redchain.routing import keywords


def test_responsibility_lists_split_on_lines_and_commas_without_blanks_or_duplicates():
    assert keywords.split_keywords("融资\n\n 贷款 ，担保、融资\n") == ["融资", "贷款", "担保"]


def test_one_matching_keyword_is_only_half_sure():
    assert keywords.score("申请贷款", {"1": ["贷款"], "2": ["用电"]}) == [("1", 0.5)]


def test_more_matches_for_one_label_raise_its_confidence_and_rank_it_first():
    top = keywords.score("贷款担保与用电", {"1": ["贷款", "担保"], "2": ["用电"]})
    assert [label for label, _p in top] == ["1", "2"]
    assert top[0][1] == pytest.approx(2 / 3 * 0.875, abs=1e-4)


def test_no_matching_keyword_gives_no_suggestion():
    assert keywords.score("你好", {"1": ["贷款"]}) == []


def test_top_level_category_collects_its_childrens_names_and_hints(world):
    from redchain.demands.defaults import ensure_defaults

    categories = ensure_defaults(zone=world.zone)
    words = keywords.category_keywords(world.zone.pk)
    utilities = words[str(categories["utilities"].pk)]
    assert "用电" in utilities and "水电气" in utilities
    assert str(categories["electricity"].pk) not in words
