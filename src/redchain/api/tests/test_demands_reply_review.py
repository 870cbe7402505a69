"""POST /api/v1/demands/{id}/reply-review: the review of a draft final reply, before it goes out.

Tried four ways (anonymous 401; no membership, another zone, another department 404; a persona who sees the
demand but may not reply 404; the lead handler 200), in the wrong state (409), and it never writes anything.
"""

import pytest
from django.conf import settings

from redchain.api.tests.test_demands import handling, post, replied
from redchain.demands import services as s
from redchain.demands.models import Demand, DemandEvent

pytestmark = pytest.mark.django_db

REFERRAL = "您反映的问题已转交相关部门调查处理。"
GOOD = (
    "经核实，新厂房用电增容需由供电公司现场勘查。根据《供电营业规则》，我局已协调供电公司于5月20日上门勘查，"
    "将在10个工作日内完成800千伏安增容方案并与企业确认，施工期间安排专人跟进。"
)


def review(api, demand: Demand, text: str, *, as_user=None):
    return post(api, f"demands/{demand.pk}/reply-review", {"text": text}, as_user=as_user)


def snapshot(demand: Demand) -> tuple:
    demand.refresh_from_db()
    return demand.status, DemandEvent.objects.filter(demand=demand).count(), demand.replied_at


def test_lead_handler_gets_the_score_and_what_to_add(api, world):
    demand = handling(world)

    response = review(api, demand, REFERRAL, as_user=world.hannah)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["referral_only"] is True and body["score"] < 30
    codes = [w["code"] for w in body["warnings"]]
    assert {"too_short", "referral_only", "no_time"} <= set(codes)
    assert "转交" in body["warnings"][codes.index("referral_only")]["message"]  # zh-hans unless chosen


def test_a_reply_that_explains_itself_scores_higher_with_fewer_warnings(api, world):
    demand = handling(world)

    weak = review(api, demand, REFERRAL, as_user=world.hannah).json()
    good = review(api, demand, GOOD, as_user=world.hannah).json()

    assert good["has_basis"] and good["has_measures"] and good["has_time"] and good["completeness"] == 1.0
    assert good["score"] > weak["score"] + 30
    assert len(good["warnings"]) < len(weak["warnings"])


def test_warnings_follow_the_chosen_language(api, world):
    demand = handling(world)
    api.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = review(api, demand, REFERRAL, as_user=world.hannah).json()

    messages = {w["code"]: w["message"] for w in body["warnings"]}
    assert messages["too_short"].startswith("The reply is too short to explain anything")


def test_reviewing_writes_nothing(api, world):
    demand = handling(world)
    before = snapshot(demand)

    review(api, demand, GOOD, as_user=world.hannah)

    assert snapshot(demand) == before


def test_the_lead_may_review_while_the_clock_is_paused(api, world):
    demand = handling(world)
    s.assignment_pause(actor=world.hannah, demand=demand, reason="等待企业补充材料")

    assert review(api, demand, GOOD, as_user=world.hannah).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "leo", "fiona"])
def test_who_sees_the_demand_but_may_not_reply_gets_404(api, world, persona):
    demand = handling(world)
    user = world.persona(persona)
    assert api.get(f"demands/{demand.pk}", as_user=user).status_code == 200

    response = review(api, demand, GOOD, as_user=user)

    assert response.status_code == 404
    assert response.json() == {"detail": "您无权执行此操作 / You may not take this step"}


def test_a_co_handler_may_not_review_the_final_reply(api, world):
    demand = s.demand_accept(
        actor=world.alice,
        demand=s.demand_submit(
            actor=world.fiona,
            zone=world.zone,
            title="用电增容",
            body="请协调供电公司",
            enterprise=world.firm_x,
        ),
    )
    s.demand_dispatch(
        actor=world.alice,
        demand=demand,
        department=world.dept_a1,
        disposition="coordinated",
        co_departments=[world.dept_a2],
    )

    assert review(api, demand, GOOD, as_user=world.harry).status_code == 404
    assert review(api, demand, GOOD, as_user=world.hannah).status_code == 200


@pytest.mark.parametrize("persona, status", [(None, 401), ("nora", 404), ("zara", 404), ("harry", 404)])
def test_outsiders(api, world, persona, status):
    demand = handling(world)
    before = snapshot(demand)

    response = review(api, demand, GOOD, as_user=world.persona(persona) if persona else None)

    assert response.status_code == status, response.content
    assert snapshot(demand) == before


def test_after_the_reply_went_out_reviewing_is_409(api, world):
    demand = replied(world)

    response = review(api, demand, GOOD, as_user=world.hannah)

    assert response.status_code == 409
    assert "不能执行此操作" in response.json()["detail"]


def test_an_empty_draft_is_422(api, world):
    demand = handling(world)

    assert review(api, demand, "", as_user=world.hannah).status_code == 422
