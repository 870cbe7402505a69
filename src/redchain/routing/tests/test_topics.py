"""Hot topics: clustering a month's demands, heat ordering, adopting the month's theme, and the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from redchain.audit.models import AuditEntry
from redchain.demands.models import Demand
from redchain.demands.permissions import NotPermitted, TransitionNotAllowed
from redchain.demands.services import demand_submit
from redchain.routing.models_topics import Topic
from redchain.routing.topics import Cluster, Doc, adopt_topic, build_topics, cluster_documents, heat_score

THEMES = {
    "lights": [
        "星辰路路灯不亮，晚上职工下班骑车很危险，请维修星辰路路灯",
        "星辰路东段路灯坏了多日，夜间照明不足，希望尽快修复路灯",
        "反映星辰路路灯损坏，晚上道路漆黑，请求维修路灯",
        "星辰路路灯一到晚上就不亮，请安排维修星辰路路灯",
        "星辰路的路灯损坏严重，晚上照明很差，请维修",
    ],
    "parking": [
        "云帆产业园停车位不足，员工车辆只能停在路边，希望增加停车位",
        "云帆产业园停车难，停车位太少，请规划新的停车场",
        "产业园内停车位紧张，云帆产业园员工停车困难",
        "云帆产业园停车场车位不够，希望扩建停车场增加停车位",
        "请解决云帆产业园停车难问题，停车位严重不足",
    ],
    "recruit": [
        "企业招工难，普工长期缺人，希望组织招聘会帮助企业招工",
        "招工难问题突出，技术工人招不到，希望组织招聘会",
        "我司招工难，普工缺口大，希望开发区举办招聘会帮助招工",
        "春节后招工难，缺少技术工人，请求组织招聘会",
        "希望组织专场招聘会，缓解企业招工难和普工短缺",
    ],
}


def _month_start() -> dt.date:
    return timezone.localdate().replace(day=1)


def _submit(world, text, firm, *, zone=None):
    return demand_submit(actor=None, zone=zone or world.zone, title=text[:12], body=text, enterprise=firm)


@pytest.fixture
def themed(world):
    firms = [world.firm_x, world.firm_y, world.firm_z]
    for name, texts in THEMES.items():
        for i, text in enumerate(texts):
            # Spread: every firm asks about recruitment, only firm X about the lights.
            firm = world.firm_x if name == "lights" else firms[i % 3]
            _submit(world, text, firm)
    return world


def test_three_obvious_themes_give_three_topics(themed):
    topics = build_topics(zone=themed.zone, month=_month_start())
    assert len(topics) == 3
    by_keyword = {kw: t for t in topics for kw in t.keywords}
    assert "路灯" in by_keyword and "停车位" in by_keyword and "招聘会" in by_keyword
    assert "星辰路" in by_keyword["路灯"].places
    assert "云帆产业园" in by_keyword["停车位"].places
    assert {t.volume for t in topics} == {5}
    assert by_keyword["路灯"].demands.count() == 5


def test_spread_across_enterprises_ranks_higher(themed):
    topics = build_topics(zone=themed.zone, month=_month_start())
    lights = next(t for t in topics if "路灯" in t.keywords)
    assert lights.enterprises == 1
    assert topics[-1] == lights
    assert [t.rank for t in topics] == [1, 2, 3]
    assert [t.heat for t in topics] == sorted((t.heat for t in topics), reverse=True)


def test_a_name_one_demand_repeats_is_no_keyword_and_a_road_it_passes_is_no_place():
    texts = [text for theme in THEMES.values() for text in theme]
    texts[2] += "。物业经理王德发说王德发不管，王德发让找王德发的上级，王德发态度很差，途经锦华路时也很黑"
    clusters = cluster_documents([Doc(i, text) for i, text in enumerate(texts)])
    lights = next(c for c in clusters if 2 in c.doc_ids)
    assert set(lights.doc_ids) == {0, 1, 2, 3, 4}
    assert "路灯" in lights.keywords and "王德发" not in lights.keywords
    assert "星辰路" in lights.places and not any("锦华路" in place for place in lights.places)
    assert lights.label.startswith("星辰路：")


def test_the_label_names_a_place_only_when_half_the_topic_names_it():
    def topic(named_by: int) -> Cluster:
        return Cluster(
            [1, 2, 3, 4, 5],
            ["食堂", "饭菜", "价格"],
            ["A3区", "星辰路"],
            [],
            5,
            extra={"named_by": {"A3区": 5, "星辰路": named_by}},
        )

    assert topic(named_by=2).label == "食堂·饭菜·价格"
    assert topic(named_by=3).label == "星辰路：食堂·饭菜·价格"


def test_heat_rises_with_volume_growth_likes_and_spread():
    base = heat_score(volume=5, previous=5, likes=0, enterprises=1)
    assert heat_score(volume=10, previous=5, likes=0, enterprises=1) > base
    assert heat_score(volume=5, previous=1, likes=0, enterprises=1) > base
    assert heat_score(volume=5, previous=5, likes=30, enterprises=1) > base
    assert heat_score(volume=5, previous=5, likes=0, enterprises=4) > base


def test_rebuilding_is_idempotent_and_keeps_the_adopted_theme(themed):
    month = _month_start()
    first = build_topics(zone=themed.zone, month=month)
    adopt_topic(actor=themed.leo, topic=first[0], department=themed.dept_a1)
    again = build_topics(zone=themed.zone, month=month)
    assert Topic.objects.filter(zone=themed.zone, month=month).count() == 3 == len(again)
    assert Topic.objects.get(adopted_at__isnull=False).pk == first[0].pk


def test_other_months_and_rejected_demands_are_left_out(themed):
    Demand.objects.filter(zone=themed.zone).update(created_at=timezone.now() - dt.timedelta(days=70))
    assert build_topics(zone=themed.zone, month=_month_start()) == []


def test_leader_adopts_a_topic_with_an_audit_row(themed):
    topic = build_topics(zone=themed.zone, month=_month_start())[0]
    adopt_topic(actor=themed.leo, topic=topic, department=themed.dept_a2)
    topic.refresh_from_db()
    assert topic.adopted_by == themed.leo and topic.department == themed.dept_a2
    assert AuditEntry.objects.filter(action="topic.adopt", object_id=str(topic.pk)).exists()


def test_handler_cannot_adopt(themed):
    topic = build_topics(zone=themed.zone, month=_month_start())[0]
    with pytest.raises(NotPermitted):
        adopt_topic(actor=themed.hannah, topic=topic, department=themed.dept_a1)
    topic.refresh_from_db()
    assert topic.adopted_at is None


def test_only_one_theme_a_month(themed):
    first, second, _third = build_topics(zone=themed.zone, month=_month_start())
    adopt_topic(actor=themed.leo, topic=first, department=themed.dept_a1)
    with pytest.raises(TransitionNotAllowed):
        adopt_topic(actor=themed.leo, topic=second, department=themed.dept_a1)


def test_department_of_another_zone_is_refused(themed):
    topic = build_topics(zone=themed.zone, month=_month_start())[0]
    with pytest.raises(NotPermitted):
        adopt_topic(actor=themed.leo, topic=topic, department=themed.other_department)


# ---------------------------------------------------------------------------------------------- the page


def _url(month: dt.date) -> str:
    return f"/topics/?month={month:%Y-%m}"


def test_anonymous_visitor_is_sent_to_login(client, themed):
    response = client.get(_url(_month_start()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_handler_without_permission_gets_403(login, themed):
    topic = build_topics(zone=themed.zone, month=_month_start())[0]
    client = login(themed.hannah)
    assert client.get(_url(_month_start())).status_code == 403
    response = client.post(f"/topics/{topic.pk}/adopt/", {"department": themed.dept_a1.pk})
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.adopted_at is None


def test_leader_sees_topics_with_demand_links_and_adopts(login, themed, django_assert_max_num_queries):
    topics = build_topics(zone=themed.zone, month=_month_start())
    client = login(themed.leo)
    with django_assert_max_num_queries(20):
        response = client.get(_url(_month_start()))
    assert response.status_code == 200
    demand = topics[0].demands.first()
    assert f'href="/demands/{demand.pk}/"' in response.content.decode()
    response = client.post(f"/topics/{topics[0].pk}/adopt/", {"department": themed.dept_a1.pk})
    assert response.status_code == 302
    topics[0].refresh_from_db()
    assert topics[0].department == themed.dept_a1


def test_topic_of_another_zone_is_404(login, themed):
    topic = build_topics(zone=themed.zone, month=_month_start())[0]
    client = login(themed.zara)
    response = client.post(f"/topics/{topic.pk}/adopt/", {"department": themed.other_department.pk})
    assert response.status_code == 404


def test_leader_builds_the_month_from_the_page(login, themed):
    client = login(themed.leo)
    response = client.post("/topics/build/", {"month": f"{_month_start():%Y-%m}"})
    assert response.status_code == 302
    assert Topic.objects.filter(zone=themed.zone).count() == 3
