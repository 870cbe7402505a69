"""Likely duplicates at intake: near-duplicate texts are found in the zone and window, nothing else is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from redchain.demands.models import Demand
from redchain.demands.services import demand_reject, demand_submit
from redchain.routing.duplicates import (
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
