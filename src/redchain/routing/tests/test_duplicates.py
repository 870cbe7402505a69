"""Likely duplicates at intake: near-duplicate texts are found in the zone and window, nothing else is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from redchain.demands.models import Demand
from redchain.demands.services import demand_reject, demand_submit
from redchain.routing.duplicates import (
    backfill,
    confirms,
    find_duplicates,
    fingerprint_demand,
    fingerprint_demand_on_commit,
    fingerprint_text,
    hamming,
    places_in,
)
from redchain.routing.models_topics import DemandFingerprint

ROAD = (
    "园区星辰路路灯不亮",
    "星辰路从东门到三号厂房一段的路灯已经坏了两周，晚上下班职工骑车经过非常危险，请尽快维修星辰路路灯。",
)
ROAD_AGAIN = (
    "星辰路路灯坏了",
    "星辰路东门到三号厂房一段的路灯已经坏了两周，晚上下班职工骑车经过很危险，请尽快维修星辰路路灯！",
)
TAX = ("研发费用加计扣除咨询", "我司今年研发投入较大，想了解研发费用加计扣除政策的申报材料和办理时限。")
# The same complaint a month later in new words: the bodies share few words, the titles most of theirs.
FLOODING = (
    "星辰路三号厂房门口积水",
    "每逢下雨，三号厂房门口就积水半尺深，货车进出困难，职工只能绕行，已经持续一个月。",
)
FLOODING_AGAIN = (
    "再次反映星辰路三号厂房门口积水",
    "上个月说过的事至今没有人管，昨天暴雨后门前又淹了，叉车开不出去，耽误发货。",
)
# Two different requests in one enterprise's template ("请加快……建设力度").
CANTEEN = ("请加快食堂建设力度", "园区职工越来越多，食堂座位不够，午饭排队要半小时，请加快新食堂建设。")
DORMITORY = ("请加快宿舍建设力度", "园区职工越来越多，新招工人没有宿舍，只能在外面租房，请加快职工宿舍建设。")


def _demand(world, title_body, *, enterprise=None, zone=None, days_ago=0):
    title, body = title_body
    demand = demand_submit(actor=None, zone=zone or world.zone, title=title, body=body, enterprise=enterprise)
    if days_ago:
        Demand.objects.filter(pk=demand.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
        demand.refresh_from_db()
    fingerprint_demand(demand=demand)
    return demand


def test_place_names_are_read_off_their_suffixes():
    assert places_in("座落在A市A3区联丰路米兰春天")[:3] == ["A市", "A3区", "联丰路"]
    assert places_in("本人系春华镇金鼎村七里组村民") == ["春华镇", "金鼎村"]


def test_a_place_name_does_not_reach_into_the_place_before_it():
    assert places_in("A7县星沙街道凉塘路旧城改造") == ["A7县", "星沙街道", "凉塘路"]


def test_words_that_end_like_places_are_not_places():
    assert places_in("广铁集团铁路职工购房，不要套路，请人民政府答复") == []


def test_the_place_the_title_names_last_is_the_main_place():
    text = "星沙街道凉塘路旧城改造。星沙街道居民多次反映，星沙街道答复说等待规划。"
    assert fingerprint_text(text).place == "星沙街道"
    assert fingerprint_text(text, title="A7县星沙街道凉塘路旧城改造").place == "凉塘路"


def test_word_overlap_of_one_half_confirms_whatever_the_bits():
    assert confirms(distance=20, similarity=0.5, title_similarity=0.0, related=False)
    assert not confirms(distance=20, similarity=0.45, title_similarity=1.0, related=False)
    assert confirms(distance=6, similarity=0.3, title_similarity=0.0, related=False)


def test_title_words_confirm_only_for_the_same_enterprise_or_place():
    assert confirms(distance=22, similarity=0.18, title_similarity=0.8, related=True)
    assert not confirms(distance=22, similarity=0.18, title_similarity=0.8, related=False)
    assert not confirms(distance=22, similarity=0.05, title_similarity=0.8, related=True)


def test_a_light_edit_keeps_the_fingerprint_within_a_few_bits():
    a = fingerprint_text("".join(ROAD))
    b = fingerprint_text("".join(ROAD) + "谢谢")
    assert hamming(a.simhash, b.simhash) <= 6
    assert a.place == "星辰路"


def test_near_duplicate_from_the_same_enterprise_is_found(world):
    first = _demand(world, ROAD, enterprise=world.firm_x, days_ago=3)
    second = _demand(world, ROAD_AGAIN, enterprise=world.firm_x)
    found = find_duplicates(demand=second)
    assert [d.demand_id for d in found] == [first.pk]
    assert found[0].similarity > 0.5


def test_same_place_from_another_enterprise_is_found(world):
    first = _demand(world, ROAD, enterprise=world.firm_x)
    found = find_duplicates(text="".join(ROAD_AGAIN), zone_id=world.zone.pk, enterprise_id=world.firm_y.pk)
    assert [d.demand_id for d in found] == [first.pk]


def test_a_complaint_repeated_in_new_words_under_its_title_is_found(world):
    first = _demand(world, FLOODING, enterprise=world.firm_x, days_ago=20)
    again = _demand(world, FLOODING_AGAIN, enterprise=world.firm_x)
    found = find_duplicates(demand=again)
    assert [d.demand_id for d in found] == [first.pk]
    assert found[0].similarity >= 0.8  # the title words, the closer of the two overlaps


def test_an_enterprises_template_titles_are_not_duplicates(world):
    _demand(world, CANTEEN, enterprise=world.firm_x, days_ago=2)
    dormitory = _demand(world, DORMITORY, enterprise=world.firm_x)
    assert find_duplicates(demand=dormitory) == []


def test_a_draft_with_its_title_is_matched_on_the_title_too(world):
    first = _demand(world, FLOODING, enterprise=world.firm_x)
    draft = "".join(FLOODING_AGAIN)
    assert find_duplicates(text=draft, zone_id=world.zone.pk, enterprise_id=world.firm_x.pk) == []
    found = find_duplicates(
        text=draft, title=FLOODING_AGAIN[0], zone_id=world.zone.pk, enterprise_id=world.firm_x.pk
    )
    assert [d.demand_id for d in found] == [first.pk]


def test_fingerprints_written_before_titles_were_kept_are_rewritten_by_backfill(world):
    first = _demand(world, FLOODING, enterprise=world.firm_x, days_ago=20)
    again = _demand(world, FLOODING_AGAIN, enterprise=world.firm_x)
    # A row of the earlier format: the words only, no line of title words.
    old_format = DemandFingerprint.objects.get(demand=first).tokens.split("\n")[0]
    DemandFingerprint.objects.filter(demand=first).update(tokens=old_format)
    assert find_duplicates(demand=again) == []

    assert backfill(zone_id=world.zone.pk) == 0
    assert backfill(zone_id=world.zone.pk, rewrite=True) == 2

    assert "\n" in DemandFingerprint.objects.get(demand=first).tokens
    assert [d.demand_id for d in find_duplicates(demand=again)] == [first.pk]


def test_different_texts_are_not_duplicates(world):
    _demand(world, ROAD, enterprise=world.firm_x)
    assert find_duplicates(text="".join(TAX), zone_id=world.zone.pk, enterprise_id=world.firm_x.pk) == []


def test_other_zones_never_match(world):
    _demand(world, ROAD, enterprise=world.other_firm, zone=world.other_zone)
    found = find_duplicates(text="".join(ROAD), zone_id=world.zone.pk, enterprise_id=None)
    assert found == []


def test_window_is_respected(world):
    _demand(world, ROAD, enterprise=world.firm_x, days_ago=45)
    recent = _demand(world, ROAD_AGAIN, enterprise=world.firm_x)
    assert find_duplicates(demand=recent) == []
    assert len(find_duplicates(demand=recent, window_days=60)) == 1


def test_demands_not_accepted_are_not_offered(world):
    first = _demand(world, ROAD, enterprise=world.firm_x)
    demand_reject(actor=world.alice, demand=first, reason="重复")
    assert find_duplicates(text="".join(ROAD), zone_id=world.zone.pk, enterprise_id=world.firm_x.pk) == []


def test_fingerprinting_twice_keeps_one_row(world):
    demand = _demand(world, ROAD, enterprise=world.firm_x)
    fingerprint_demand(demand=demand)
    assert DemandFingerprint.objects.filter(demand=demand).count() == 1


@pytest.mark.django_db(transaction=True)
def test_intake_hook_fingerprints_after_commit(world):
    demand = demand_submit(actor=None, zone=world.zone, title=ROAD[0], body=ROAD[1], enterprise=world.firm_x)
    fingerprint_demand_on_commit(demand)  # outside a transaction, on_commit runs at once
    assert DemandFingerprint.objects.filter(demand=demand, place="星辰路").exists()


def test_the_demand_page_offers_likely_duplicates_to_the_dispatcher(
    world, login, django_capture_on_commit_callbacks
):
    from redchain.demands import services as svc

    texts = ("星辰路路灯损坏", "星辰路的路灯坏了好几盏，晚上很黑，请尽快维修。")
    with django_capture_on_commit_callbacks(execute=True):
        first = svc.demand_submit(
            actor=world.fiona, zone=world.zone, title=texts[0], body=texts[1], enterprise=world.firm_x
        )
        again = svc.demand_submit(
            actor=world.fiona,
            zone=world.zone,
            title=texts[0],
            body=texts[1] + "谢谢",
            enterprise=world.firm_x,
        )
    page = login(world.alice).get(f"/demands/{again.pk}/").content.decode()
    assert 'id="duplicates"' in page and first.tracking_code in page
    assert 'id="duplicates"' not in login(world.fiona).get(f"/demands/{again.pk}/").content.decode()


def test_a_campaign_beyond_five_demands_is_folded_under_the_best_five(
    world, login, django_capture_on_commit_callbacks
):
    from redchain.demands import services as svc
    from redchain.routing.selectors import DUPLICATES_SHOWN

    title, body = "星辰路路灯损坏", "星辰路的路灯坏了好几盏，晚上很黑，请尽快维修。"
    with django_capture_on_commit_callbacks(execute=True):
        campaign = [
            svc.demand_submit(
                actor=world.fiona,
                zone=world.zone,
                title=title,
                body=body + "谢谢" * i,
                enterprise=world.firm_x,
            )
            for i in range(DUPLICATES_SHOWN + 3)
        ]
    latest = campaign[-1]
    page = login(world.alice).get(f"/demands/{latest.pk}/").content.decode()
    shown, _, folded = page.partition('class="more-duplicates"')
    others = [demand.tracking_code for demand in campaign[:-1]]
    assert sum(code in shown for code in others) == DUPLICATES_SHOWN
    assert sum(code in folded for code in others) == 2
    assert "另有 2 条相似诉求" in folded
