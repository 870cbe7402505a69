"""The reply review learns a zone's own stock phrases and vocabulary from its past final replies."""

import pytest
from django.core.cache import cache

from redchain.demands import services as demand_services
from redchain.demands.models import DemandEvent
from redchain.routing import selectors
from redchain.routing.selectors import REPLY_STATS_MIN, review_for_demand, zone_reply_stats
from redchain.routing.tasks import refresh_reply_stats

pytestmark = pytest.mark.django_db

# A sign-off this zone's departments put under every reply; no built-in list knows it.
HOUSE_STYLE = "本局将一如既往做好园区企业服务保障工作。"


def past_replies(world, zone_demand, n: int) -> None:
    for i in range(n):
        DemandEvent.objects.create(
            demand=zone_demand,
            kind=DemandEvent.Kind.REPLIED,
            text=f"经核查，第{i}号厂房用电增容已按《供电营业规则》办理，供电公司于{i % 28 + 1}日完成接电。{HOUSE_STYLE}",
        )


@pytest.fixture
def demand(world):
    return demand_services.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="厂房用电增容",
        body="新厂房需要增容，请协调。",
        enterprise=world.firm_x,
    )


def test_a_zone_with_too_few_replies_keeps_the_built_in_background(world, demand):
    past_replies(world, demand, REPLY_STATS_MIN - 1)
    assert zone_reply_stats(zone_id=world.zone.pk) is None


def test_the_zones_own_stock_sentence_counts_as_boilerplate(world, demand):
    draft = f"经核查，厂房用电增容已按规定办理，下周完成接电。{HOUSE_STYLE}"
    before = review_for_demand(demand=demand, text=draft)
    past_replies(world, demand, REPLY_STATS_MIN)
    cache.clear()
    after = review_for_demand(demand=demand, text=draft)
    assert after.boilerplate > before.boilerplate
    assert after.substance_chars < before.substance_chars


def test_statistics_are_read_from_the_cache_until_refreshed(world, demand, django_assert_num_queries):
    past_replies(world, demand, REPLY_STATS_MIN)
    first = zone_reply_stats(zone_id=world.zone.pk)
    with django_assert_num_queries(0):
        assert zone_reply_stats(zone_id=world.zone.pk) == first
    past_replies(world, demand, 10)
    assert zone_reply_stats(zone_id=world.zone.pk).n_docs == REPLY_STATS_MIN  # cached
    assert zone_reply_stats(zone_id=world.zone.pk, refresh=True).n_docs == REPLY_STATS_MIN + 10


def test_another_zones_replies_do_not_count(world, demand):
    past_replies(world, demand, REPLY_STATS_MIN)
    assert zone_reply_stats(zone_id=world.other_zone.pk) is None


def test_the_nightly_task_rebuilds_every_zone(world, demand):
    past_replies(world, demand, REPLY_STATS_MIN)
    zone_reply_stats(zone_id=world.zone.pk)  # cached with these replies
    past_replies(world, demand, 5)
    counts = refresh_reply_stats()
    assert counts[str(world.zone.pk)] == REPLY_STATS_MIN + 5 and counts[str(world.other_zone.pk)] == 0
    assert selectors.zone_reply_stats(zone_id=world.zone.pk).n_docs == REPLY_STATS_MIN + 5
