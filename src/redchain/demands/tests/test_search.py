"""Chinese full-text search (demands.search): exactly "title or body contains every word", from the index."""

from __future__ import annotations

import pytest

from redchain.demands import search, selectors
from redchain.demands import services as s
from redchain.demands.models import Demand, DemandSearch


def _submit(world, title, body, enterprise=None):
    return s.demand_submit(actor=world.alice, zone=world.zone, title=title, body=body, enterprise=enterprise)


@pytest.fixture
def demands(world):
    return {
        "finance": _submit(world, "融资难题", "想申请贷款，解决融资难的问题。"),
        "apart": _submit(world, "资金周转", "融入产业链后，资难以为继。"),  # 融 资 难 apart: no 融资难
        "road": _submit(world, "A3区道路施工噪音扰民", "长江路夜间施工，噪音很大。"),
        "tax": _submit(
            world, "留抵退税进度", "申请的留抵退税尚未到账，请帮助查询。", enterprise=world.firm_x
        ),
        "english": _submit(world, "ERP系统对接", "希望园区协调ERP与税务系统的数据对接。"),
    }


def _found(world, q, user=None):
    return set(
        selectors.demand_list(user=user or world.alice, zone_id=world.zone.pk, q=q).values_list(
            "pk", flat=True
        )
    )


def test_terms_are_bigrams_of_chinese_and_words_of_letters_and_digits():
    assert search.bigrams("融资难，A3区ERP") == ["融资", "资难", "a3", "区", "erp"]
    assert search.phrases("A3区 融资难") == [["融资", "资难"]]
    assert search.phrases("区") == search.phrases("ERP") == []


def test_every_submitted_demand_has_its_terms(world, demands):
    for demand in demands.values():
        assert DemandSearch.objects.get(demand=demand).terms == search.terms_of(demand.title, demand.body)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("融资难", {"finance"}),  # the phrase, not its characters scattered (the "apart" demand)
        ("融资", {"finance"}),
        ("噪音", {"road"}),
        ("A3区", {"road"}),  # no Chinese pair: read from the rows
        ("3区道路", {"road"}),  # 区道路 from the index, the 3 confirmed on the row
        ("a3区道路", {"road"}),  # letters ignore case
        ("erp 税务", {"english"}),  # every word must occur
        ("erp 融资", set()),
        ("退税", {"tax"}),
        ("区", {"road", "english"}),  # one character: the icontains fallback (园区)
        ("100%", set()),  # LIKE wildcards are escaped
        ("_", set()),
    ],
)
def test_search_answers_exactly_what_contains_would(world, demands, q, expected):
    assert _found(world, q) == {demands[name].pk for name in expected}


def test_tracking_code_and_enterprise_name_still_find_demands(world, demands):
    assert _found(world, demands["road"].tracking_code.lower()) == {demands["road"].pk}
    assert demands["tax"].pk in _found(world, world.firm_x.name)


def test_search_stays_inside_the_readers_scope(world, demands):
    other = s.demand_submit(actor=world.zara, zone=world.other_zone, title="融资难题", body="另一个园区。")
    assert other.pk not in _found(world, "融资难")
    assert _found(world, "融资难", user=world.fiona) == set()  # firm X's contact: not its demand
    assert _found(world, "退税", user=world.fiona) == {demands["tax"].pk}


def test_matches_the_reference_on_every_substring_of_the_texts(world, demands):
    texts = {d.pk: f"{d.title}\n{d.body}".lower() for d in Demand.objects.filter(zone=world.zone)}
    for demand in demands.values():
        title = demand.title
        for start in range(len(title) - 1):
            q = title[start : start + 3]
            truth = {pk for pk, text in texts.items() if q.lower() in text}
            found = _found(world, q)
            assert truth <= found, q  # enterprise-name matches may add to the reference
            assert found - truth <= set(
                Demand.objects.filter(enterprise__name__icontains=q).values_list("pk", flat=True)
            ), q


def test_a_demand_deleted_leaves_no_search_row(world, demands):
    pk = demands["finance"].pk
    Demand.objects.filter(pk=pk).delete()
    assert not DemandSearch.objects.filter(demand_id=pk).exists()
    assert _found(world, "融资难") == set()


def test_many_candidates_go_to_the_database_as_a_subquery(world, demands, monkeypatch):
    monkeypatch.setattr(search, "INLINE_IDS", 0)  # every query now has "too many" candidates for a list
    assert _found(world, "融资难") == {demands["finance"].pk}
    assert _found(world, "3区道路") == {demands["road"].pk}
    assert _found(world, "erp 税务") == {demands["english"].pk}
