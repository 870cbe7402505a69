"""GET /api/v1/demands/{id}/routing: the router's suggestions and the likely duplicates, for API dispatchers.

Tried four ways (anonymous 401; no membership, another zone, another department 404; personas who see the
demand but do not dispatch 404; the zone's dispatcher 200), and it changes nothing about the demand.
"""

import pytest

from redchain.api.tests.test_demands import handling, submitted
from redchain.audit.models import AuditEntry
from redchain.demands import services as s
from redchain.demands.defaults import ensure_defaults
from redchain.demands.models import Demand, DemandEvent
from redchain.routing import services as routing
from redchain.routing.models import Suggestion
from redchain.routing.selectors import DUPLICATES_LOOKED_UP

pytestmark = pytest.mark.django_db


@pytest.fixture
def keywords(world):
    """Cold-start rules: 供电/增容 is the first department's duty (the default demand asks for 用电增容)."""
    ensure_defaults(zone=world.zone)
    routing.department_update_responsibilities(actor=world.alice, department=world.dept_a1, text="供电\n增容")
    routing.department_update_responsibilities(actor=world.alice, department=world.dept_a2, text="营业执照")


def get_routing(api, demand: Demand, *, as_user=None):
    return api.get(f"demands/{demand.pk}/routing", as_user=as_user)


def snapshot(demand: Demand) -> tuple:
    demand.refresh_from_db()
    audited = AuditEntry.objects.exclude(action="api_token.issue").count()  # the test's own bearer tokens
    return demand.status, DemandEvent.objects.filter(demand=demand).count(), audited


def test_the_dispatcher_gets_the_suggested_department_and_category(api, world, keywords):
    demand = submitted(world)

    response = get_routing(api, demand, as_user=world.alice)

    assert response.status_code == 200, response.content
    body = response.json()
    top = body["department"][0]
    assert top["value"] == str(world.dept_a1.pk) and top["name"] == world.dept_a1.name
    assert 0 < top["confidence"] <= 1
    assert body["category"] and body["source"] == "keywords"
    assert body["duplicates"] == []


def test_a_demand_no_rule_matches_is_flagged_for_manual_triage(api, world, keywords):
    demand = submitted(world, title="你好", body="咨询")

    body = get_routing(api, demand, as_user=world.alice).json()

    assert body["department"] == [] and body["needs_triage"] is True and body["source"] == ""


def test_the_suggestion_is_stored_once_and_dispatching_through_the_api_records_the_choice(
    api, world, keywords
):
    demand = s.demand_accept(actor=world.alice, demand=submitted(world))
    get_routing(api, demand, as_user=world.alice)
    get_routing(api, demand, as_user=world.alice)
    assert Suggestion.objects.filter(demand=demand, target="department").count() == 1

    payload = {"department": world.dept_a1.pk, "disposition": "immediate"}
    response = api.post(
        f"demands/{demand.pk}/dispatch", payload, Authorization=f"Bearer {api.token(world.alice)}"
    )

    assert response.status_code == 200, response.content
    decided = Suggestion.objects.get(demand=demand, target="department")
    assert decided.outcome == Suggestion.Outcome.ACCEPTED


def test_likely_duplicates_come_best_first_with_their_similarity(
    api, world, django_capture_on_commit_callbacks
):
    title, body = "星辰路路灯损坏", "星辰路的路灯坏了好几盏，晚上很黑，请尽快维修。"
    with django_capture_on_commit_callbacks(execute=True):
        first = submitted(world, title=title, body=body)
        unrelated = submitted(world, title="研发费用加计扣除咨询", body="想了解研发费用加计扣除的申报材料。")
        again = submitted(world, title=title, body=body + "谢谢")

    duplicates = get_routing(api, again, as_user=world.alice).json()["duplicates"]

    assert [d["tracking_code"] for d in duplicates] == [first.tracking_code]
    assert duplicates[0]["id"] == first.pk and duplicates[0]["title"] == title
    assert 0.5 <= duplicates[0]["similarity"] <= 1
    assert unrelated.tracking_code not in str(duplicates)


def test_a_campaign_lists_up_to_the_lookup_limit(api, world, django_capture_on_commit_callbacks):
    title, body = "星辰路路灯损坏", "星辰路的路灯坏了好几盏，晚上很黑，请尽快维修。"
    with django_capture_on_commit_callbacks(execute=True):
        campaign = [
            submitted(world, title=title, body=body + "谢谢" * i) for i in range(DUPLICATES_LOOKED_UP + 2)
        ]

    duplicates = get_routing(api, campaign[-1], as_user=world.alice).json()["duplicates"]

    assert len(duplicates) == DUPLICATES_LOOKED_UP
    similarities = [d["similarity"] for d in duplicates]
    assert similarities == sorted(similarities, reverse=True)


def test_reading_the_routing_changes_nothing_about_the_demand(api, world, keywords):
    demand = submitted(world)
    before = snapshot(demand)

    get_routing(api, demand, as_user=world.alice)

    assert snapshot(demand) == before


@pytest.mark.parametrize("persona", ["fiona", "leo", "hannah"])
def test_who_sees_the_demand_but_does_not_dispatch_gets_404(api, world, keywords, persona):
    demand = handling(world)
    user = world.persona(persona)
    assert api.get(f"demands/{demand.pk}", as_user=user).status_code == 200

    response = get_routing(api, demand, as_user=user)

    assert response.status_code == 404
    assert response.json() == {"detail": "您无权执行此操作 / You may not take this step"}


@pytest.mark.parametrize("persona, status", [(None, 401), ("nora", 404), ("zara", 404), ("harry", 404)])
def test_outsiders(api, world, keywords, persona, status):
    demand = handling(world)
    before = snapshot(demand)

    response = get_routing(api, demand, as_user=world.persona(persona) if persona else None)

    assert response.status_code == status, response.content
    assert snapshot(demand) == before
    assert not Suggestion.objects.filter(demand=demand).exists()


def test_an_unknown_demand_is_404(api, world):
    assert api.get("demands/999999/routing", as_user=world.alice).status_code == 404


def test_the_endpoint_is_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operation = paths["/api/v1/demands/{id}/routing"]["get"]
    assert operation["operationId"] == "demand_routing" and operation["security"]
