"""Routing pages four ways, suggestions on the dispatch form and outcomes recorded by the dispatch view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from redchain.demands.defaults import ensure_defaults
from redchain.routing import services
from redchain.routing.models import RouterModel, Suggestion
from redchain.routing.tests.test_services import FakeRouter, accepted, closed_demands

pytestmark = pytest.mark.django_db
T = RouterModel.Target
PAGES = ["routing:triage", "routing:accuracy", "routing:keywords"]


@pytest.fixture(autouse=True)
def fake_router(monkeypatch):
    monkeypatch.setattr(services, "router_class", lambda: FakeRouter)
    services._LOADED.clear()


@pytest.fixture
def keywords(world):
    ensure_defaults(zone=world.zone)
    services.department_update_responsibilities(actor=None, department=world.dept_a1, text="贷款\n融资\n银行")
    services.department_update_responsibilities(actor=None, department=world.dept_a2, text="营业执照")


# ---------------------------------------------------------------------------------------------- four ways


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["nora", "hannah", "leo"])
def test_users_who_do_not_administer_the_zone_get_403(login, world, name, persona):
    assert login(world.persona(persona)).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_zone_admin_opens_the_routing_pages(login, world, name):
    assert login(world.alice).get(reverse(name)).status_code == 200


def test_retrain_is_for_zone_admins_only(client, login, world):
    assert client.post(reverse("routing:retrain")).status_code == 302  # to the login page
    assert login(world.hannah).post(reverse("routing:retrain")).status_code == 403
    assert not RouterModel.objects.exists()


def test_nav_shows_triage_to_zone_admins_only(login, world):
    assert b'id="nav-triage"' in login(world.alice).get(reverse("routing:triage")).content
    assert b'id="nav-triage"' not in login(world.hannah).get(reverse("demands:list")).content


def test_other_zone_admin_sees_only_her_zones_queue_and_departments(login, world, keywords):
    demand = accepted(world, title="你好", body="咨询")
    client = login(world.zara)
    assert f"triage-{demand.pk}" not in client.get(reverse("routing:triage")).content.decode()
    page = client.get(reverse("routing:keywords")).content.decode()
    assert f"keywords-{world.other_department.pk}" in page and f"keywords-{world.dept_a1.pk}" not in page


def test_zone_admin_cannot_edit_another_zones_department(login, world):
    response = login(world.alice).post(
        reverse("routing:keywords"), {"department": world.other_department.pk, "text": "贷款"}
    )
    assert response.status_code == 404
    world.other_department.refresh_from_db()
    assert world.other_department.responsibilities == ""


# ---------------------------------------------------------------------------------------------- keywords page


def test_zone_admin_saves_a_departments_responsibility_keywords(login, world):
    client = login(world.alice)
    response = client.post(
        reverse("routing:keywords"), {"department": world.dept_a2.pk, "text": "营业执照\n食品"}
    )
    assert response.status_code == 302
    world.dept_a2.refresh_from_db()
    assert world.dept_a2.responsibilities == "营业执照\n食品"


# ---------------------------------------------------------------------------------------------- dispatch form


def dispatch(client, demand, department, category=""):
    return client.post(
        reverse("demands:action", args=[demand.pk, "dispatch"]),
        {"department": department.pk, "disposition": "immediate", "category": category},
    )


def test_dispatcher_sees_suggestions_and_can_prefill_the_dispatch_form(login, world, keywords):
    demand = accepted(world)
    client = login(world.alice)
    page = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert 'id="routing-suggestions"' in page and "企业服务局" in page
    prefilled = client.get(reverse("demands:detail", args=[demand.pk]), {"suggested": "1"})
    form = next(a["form"] for a in prefilled.context["actions"] if a["name"] == "dispatch")
    assert form.initial["department"] == world.dept_a1.pk
    assert prefilled.context["open_action"] == "dispatch"


def test_handler_sees_no_suggestions(login, world, keywords):
    demand = accepted(world)
    page = login(world.hannah)
    assert page.get(reverse("demands:detail", args=[demand.pk])).status_code in (200, 404)
    assert not Suggestion.objects.filter(demand=demand).exists()


def test_dispatching_the_top_suggestion_records_accepted(login, world, keywords):
    demand = accepted(world)
    client = login(world.alice)
    client.get(reverse("demands:detail", args=[demand.pk]))
    assert dispatch(client, demand, world.dept_a1).status_code == 302
    suggestion = Suggestion.objects.get(demand=demand, target=T.DEPARTMENT)
    assert suggestion.outcome == Suggestion.Outcome.ACCEPTED and suggestion.chosen == str(world.dept_a1.pk)


def test_dispatching_another_department_records_corrected(login, world, keywords):
    demand = accepted(world)
    client = login(world.alice)
    client.get(reverse("demands:detail", args=[demand.pk]))
    categories = ensure_defaults(zone=world.zone)
    dispatch(client, demand, world.dept_a2, category=categories["other"].pk)
    outcomes = dict(Suggestion.objects.filter(demand=demand).values_list("target", "outcome"))
    assert outcomes == {T.DEPARTMENT: "corrected", T.CATEGORY: "corrected"}


# ---------------------------------------------------------------------------------------------- triage


def test_triage_queue_lists_low_confidence_and_unsuggested_demands_oldest_first(login, world, keywords):
    weak = accepted(world, title="贷款咨询", body="请尽快联系")  # one keyword: confidence 0.5
    none = accepted(world, title="你好", body="咨询一下")
    strong = accepted(world, title="银行贷款融资", body="申请")  # three keywords: 0.875
    for demand in (weak, none, strong):
        services.suggest(demand=demand)
    client = login(world.alice)
    response = client.get(reverse("routing:triage"))
    listed = [row["demand"].pk for row in response.context["rows"]]
    assert listed == [weak.pk, none.pk]
    assert "企业服务局" in response.content.decode()


def test_triage_queue_query_count_does_not_grow_with_rows(login, world, keywords):
    client = login(world.alice)
    accepted(world)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("routing:triage"))
    for _ in range(4):
        services.suggest(demand=accepted(world))
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("routing:triage"))
    assert len(five) == len(one)


# ---------------------------------------------------------------------------------------------- accuracy


def decided(demand, target, *, predicted, chosen, alternatives, router=None, when=None):
    return Suggestion.objects.create(
        demand=demand,
        target=target,
        router=router,
        source="model" if router else "keywords",
        predicted=predicted,
        confidence=0.9,
        alternatives=[{"value": v, "confidence": 0.3} for v in alternatives],
        outcome="accepted" if predicted == chosen else "corrected",
        chosen=chosen,
        decided_at=when or timezone.now(),
    )


def test_accuracy_page_computes_shares_per_target_month_and_model(login, world):
    closed_demands(world, n_each=15)
    router = services.router_train(zone=world.zone, target=T.DEPARTMENT)
    may = dt.datetime(2025, 5, 10, 3, tzinfo=dt.UTC)
    june = dt.datetime(2025, 5, 31, 17, tzinfo=dt.UTC)  # 01:00 on 1 June in Asia/Shanghai
    demands = [accepted(world) for _ in range(4)]
    decided(demands[0], T.DEPARTMENT, predicted="1", chosen="1", alternatives="123", router=router, when=may)
    decided(demands[1], T.DEPARTMENT, predicted="1", chosen="2", alternatives="123", router=router, when=may)
    decided(demands[2], T.DEPARTMENT, predicted="1", chosen="9", alternatives="123", router=router, when=may)
    decided(demands[3], T.DEPARTMENT, predicted="1", chosen="1", alternatives="1", when=june)
    Suggestion.objects.create(demand=demands[3], target=T.CATEGORY, predicted="5", confidence=0.2)  # pending
    response = login(world.alice).get(reverse("routing:accuracy"))
    rows = {t["value"]: t["rows"] for t in response.context["targets"]}
    department = [(r.month, r.model, r.decided, r.accepted, r.top3) for r in rows["department"]]
    assert department == [("2025-06", "keywords", 1, 1, 1), ("2025-05", "v1", 3, 1, 2)]
    assert rows["category"] == []
    assert "33%" in response.content.decode() and "67%" in response.content.decode()
    assert [m.version for m in response.context["models"]] == [1]


def test_other_zone_admin_does_not_see_this_zones_accuracy(login, world):
    decided(accepted(world), T.DEPARTMENT, predicted="1", chosen="1", alternatives="1")
    response = login(world.zara).get(reverse("routing:accuracy"))
    assert all(t["rows"] == [] for t in response.context["targets"])


def test_retrain_now_trains_both_targets_or_says_why_not(login, world):
    client = login(world.alice)
    response = client.post(reverse("routing:retrain"), follow=True)
    assert not RouterModel.objects.exists()
    assert "30" in response.content.decode()  # the minimum number of examples is named
    closed_demands(world)
    client.post(reverse("routing:retrain"))
    assert RouterModel.objects.filter(zone=world.zone, is_active=True).count() == 2
