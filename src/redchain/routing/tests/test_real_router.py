"""The routing services with the real TextRouter (no fake): train, store, load and suggest."""

import pytest

from redchain.demands import services as demand_services
from redchain.routing import services
from redchain.routing.models import RouterModel, Suggestion

pytestmark = pytest.mark.django_db

POWER = [
    "厂区用电增容申请",
    "变压器容量不够需要扩容",
    "申请双回路供电保障生产",
    "电费偏高请核查计量",
    "停电频繁影响生产线",
]
LICENCE = [
    "营业执照变更登记",
    "办理食品经营许可证",
    "企业名称变更核准",
    "经营范围增项审批",
    "分公司设立登记手续",
]


def test_a_trained_department_router_suggests_the_right_department(world):
    texts = [f"{t}{i}\n{t}，请尽快协调办理。" for i in range(6) for t in POWER + LICENCE]
    labels = [
        str(world.dept_a1.pk) if t in POWER else str(world.dept_a2.pk)
        for _ in range(6)
        for t in POWER + LICENCE
    ]
    services._LOADED.clear()
    router = services.router_train(
        zone=world.zone, target=RouterModel.Target.DEPARTMENT, texts=texts, labels=labels
    )
    assert router.is_active and router.metrics["macro_f1"] > 0.8

    demand = demand_services.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="新车间用电增容",
        body="新车间投产，变压器容量不够，申请增容。",
        enterprise=world.firm_x,
    )
    services.suggest(demand=demand)
    suggestion = Suggestion.objects.get(demand=demand, target=RouterModel.Target.DEPARTMENT)
    assert suggestion.source == "model" and suggestion.predicted == str(world.dept_a1.pk)
    assert 0.5 < suggestion.confidence <= 1.0


def test_a_dispatch_through_the_api_records_the_outcome_of_the_suggestion(world, client):
    from redchain.accounts.services import api_token_issue
    from redchain.demands import services as demand_services

    demand = demand_services.demand_submit(
        actor=world.fiona, zone=world.zone, title="用电增容", body="新车间需要增容。", enterprise=world.firm_x
    )
    demand_services.demand_accept(actor=world.alice, demand=demand)
    Suggestion.objects.create(
        demand=demand, target=RouterModel.Target.DEPARTMENT, predicted=str(world.dept_a1.pk), confidence=0.9
    )
    token, _ = api_token_issue(user=world.alice)
    response = client.post(
        f"/api/v1/demands/{demand.pk}/dispatch",
        {"department": world.dept_a2.pk, "disposition": "immediate"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    suggestion = Suggestion.objects.get(demand=demand, target=RouterModel.Target.DEPARTMENT)
    assert suggestion.outcome == "corrected" and suggestion.chosen == str(world.dept_a2.pk)
