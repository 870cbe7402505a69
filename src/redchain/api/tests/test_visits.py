"""/api/v1/visits and /api/v1/visit-findings: scoped like the pages, findings turned into demands once."""

import datetime as dt

import pytest
from django.utils import timezone

from redchain.api import errors
from redchain.demands.models import Demand
from redchain.visits.models import Visit, VisitFinding
from redchain.visits.tests.factories import build_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    return build_scene(world)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def post_as(api, user, path, payload=None):
    return api.post(path, payload or {}, Authorization=f"Bearer {api.token(user)}")


# --- reading, four ways -----------------------------------------------------------------------------------


def test_anonymous_gets_401(api, world, scene):
    assert api.get("visits").status_code == 401
    assert api.get(f"visits/{scene.a1_x.pk}").status_code == 401
    assert api.post(f"visit-findings/{scene.finding_x.pk}/demand", {}).status_code == 401
    assert not Demand.objects.exists()


def test_user_without_membership_sees_nothing(api, world, scene):
    assert api.get("visits", as_user=world.nora).json() == {"count": 0, "items": []}
    detail = api.get(f"visits/{scene.a1_x.pk}", as_user=world.nora)
    assert detail.status_code == 404
    assert detail.json() == {"detail": errors.NOT_FOUND}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", {"a1_x", "a2_y", "a2_z"}),
        ("hannah", {"a1_x"}),
        ("harry", {"a2_y", "a2_z"}),
        ("ivan", {"a1_x"}),
        ("fiona", {"a1_x"}),
        ("zara", {"other"}),
    ],
)
def test_list_is_scoped(api, world, scene, persona, expected):
    want = {getattr(scene, name).pk for name in expected}
    assert ids(api.get("visits", as_user=world.persona(persona))) == want


@pytest.mark.parametrize("persona", ["hannah", "ivan", "fiona", "zara"])
def test_detail_outside_scope_is_404(api, world, scene, persona):
    outside = scene.a2_z if persona != "zara" else scene.a1_x
    assert api.get(f"visits/{outside.pk}", as_user=world.persona(persona)).status_code == 404


def test_detail_has_findings_and_hides_the_note_from_the_contact(api, world, scene):
    body = api.get(f"visits/{scene.a1_x.pk}", as_user=world.hannah).json()
    assert body["enterprise"] == {"id": world.firm_x.pk, "name": "星辰汽车有限公司"}
    assert body["visitor"]["id"] == world.hannah.pk
    assert body["department"]["id"] == world.dept_a1.pk
    assert body["internal_note"] == "企业负责人对园区道路有意见。"
    assert [f["title"] for f in body["findings"]] == ["新厂房用电增容"]
    assert body["findings"][0]["urgency"] == "urgent"
    assert body["findings"][0]["demand"] is None

    assert api.get(f"visits/{scene.a1_x.pk}", as_user=world.fiona).json()["internal_note"] is None


def test_filters(api, world, scene):
    alice = world.alice
    assert ids(api.get("visits", as_user=alice, department=world.dept_a2.pk)) == {
        scene.a2_y.pk,
        scene.a2_z.pk,
    }
    assert ids(api.get("visits", as_user=alice, enterprise=world.firm_x.pk)) == {scene.a1_x.pk}
    assert ids(api.get("visits", as_user=alice, open_findings="true")) == {scene.a1_x.pk, scene.a2_y.pk}
    month = scene.a2_z.visited_on.strftime("%Y-%m")
    assert scene.a2_z.pk in ids(api.get("visits", as_user=alice, month=month))
    assert api.get("visits", as_user=alice, month="2025-13").status_code == 422
    page = api.get("visits", as_user=alice, limit=1).json()
    assert page["count"] == 3 and len(page["items"]) == 1


# --- writing ----------------------------------------------------------------------------------------------


def visit_payload(world, **fields):
    payload = {
        "enterprise": world.firm_y.pk,
        "visited_on": timezone.localdate().isoformat(),
        "purpose": "policy",
        "summary": "宣讲稳岗补贴政策。",
        "findings": [{"title": "不了解研发费用加计扣除", "urgency": "low"}],
    }
    return payload | fields


def test_handler_logs_a_visit_with_findings(api, world):
    response = post_as(api, world.hannah, "visits", visit_payload(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["department"]["id"] == world.dept_a1.pk
    assert body["place"] == world.firm_y.address
    assert [f["status"] for f in body["findings"]] == ["open"]


def test_refused_visits_write_nothing(api, world):
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = post_as(api, world.hannah, "visits", visit_payload(world, visited_on=future))
    assert response.status_code == 422
    assert "visited_on" in response.json()["errors"]

    bad_finding = post_as(
        api, world.hannah, "visits", visit_payload(world, findings=[{"title": "x", "urgency": "?"}])
    )
    assert bad_finding.status_code == 422

    assert (
        post_as(api, world.fiona, "visits", visit_payload(world)).status_code == 422
    )  # firm Y not in her scope
    assert post_as(api, world.frank, "visits", visit_payload(world)).status_code == 404  # contacts never log
    assert post_as(api, world.zara, "visits", visit_payload(world)).status_code == 422
    assert not Visit.objects.exists()
    assert not VisitFinding.objects.exists()


def test_add_finding(api, world, scene):
    path = f"visits/{scene.a1_x.pk}/findings"
    created = post_as(api, world.hannah, path, {"title": "停车位不足"})
    assert created.status_code == 201
    assert created.json()["status"] == "open"
    assert post_as(api, world.harry, path, {"title": "x"}).status_code == 404
    assert post_as(api, world.fiona, path, {"title": "x"}).status_code == 404
    assert post_as(api, world.hannah, path, {"title": ""}).status_code == 422
    assert VisitFinding.objects.filter(visit=scene.a1_x).count() == 2


def test_turn_into_demand_once(api, world, scene):
    path = f"visit-findings/{scene.finding_x.pk}/demand"
    first = post_as(api, world.hannah, path)
    assert first.status_code == 201, first.content
    demand = Demand.objects.get()
    assert first.json() == {
        "finding_id": scene.finding_x.pk,
        "demand_id": demand.pk,
        "tracking_code": demand.tracking_code,
        "created": True,
    }
    again = post_as(api, world.hannah, path)
    assert again.status_code == 200
    assert again.json()["demand_id"] == demand.pk and again.json()["created"] is False
    assert Demand.objects.count() == 1

    detail = api.get(f"visits/{scene.a1_x.pk}", as_user=world.hannah).json()
    assert detail["findings"][0]["demand"]["tracking_code"] == demand.tracking_code
    # Ivan sees the visit, and the demand too (firm X is his alliance's member).
    assert (
        api.get(f"visits/{scene.a1_x.pk}", as_user=world.ivan).json()["findings"][0]["demand"]["id"]
        == demand.pk
    )


@pytest.mark.parametrize("persona", ["harry", "fiona", "ivan", "zara"])
def test_others_cannot_turn_a_finding_into_a_demand(api, world, scene, persona):
    response = post_as(api, world.persona(persona), f"visit-findings/{scene.finding_x.pk}/demand")
    assert response.status_code == 404
    assert not Demand.objects.exists()


def test_resolve_then_demand_is_409(api, world, scene):
    base = f"visit-findings/{scene.finding_x.pk}"
    assert post_as(api, world.hannah, f"{base}/resolve", {"note": ""}).status_code == 422
    resolved = post_as(api, world.hannah, f"{base}/resolve", {"note": "现场讲解政策。"})
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert post_as(api, world.hannah, f"{base}/resolve", {"note": "again"}).status_code == 409
    refused = post_as(api, world.hannah, f"{base}/demand")
    assert refused.status_code == 409
    assert "当场解决" in refused.json()["detail"]
    assert post_as(api, world.fiona, f"{base}/resolve", {"note": "x"}).status_code == 404
    assert not Demand.objects.exists()


def test_findings_outside_scope_are_404(api, world, scene):
    path = f"visit-findings/{scene.finding_other.pk}"
    assert post_as(api, world.alice, f"{path}/demand").status_code == 404
    assert post_as(api, world.alice, f"{path}/resolve", {"note": "x"}).status_code == 404
    assert post_as(api, world.alice, f"visits/{scene.other.pk}/findings", {"title": "x"}).status_code == 404
