"""/api/v1/pairings and its workflow steps: scoping four ways, creation, and each step's refusals."""

import pytest

from redchain.api.tests.helpers import BASE
from redchain.pairings.models import Pairing, PairingProject, PairingPromise
from redchain.pairings.tests.factories import pairing_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairings(world):
    return pairing_set(world)


def post(api, path, payload, user):
    return api.client.post(
        BASE + path,
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(user)}"},
    )


def test_anonymous_gets_401(api, world, pairings):
    assert api.get("pairings").status_code == 401
    assert api.get(f"pairings/{pairings.with_x.pk}").status_code == 401
    assert api.post("pairings", {}).status_code == 401


def test_user_without_membership_sees_an_empty_list_and_404s(api, world, pairings):
    assert api.get("pairings", as_user=world.nora).json() == {"count": 0, "items": []}
    assert api.get(f"pairings/{pairings.with_x.pk}", as_user=world.nora).status_code == 404


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("alice", 4),
        ("leo", 4),
        ("hannah", 3),
        ("harry", 1),
        ("ivan", 1),
        ("fiona", 1),
        ("frank", 1),
        ("zara", 1),
    ],
)
def test_list_is_scoped(api, world, pairings, persona, count):
    body = api.get("pairings", as_user=world.persona(persona)).json()
    assert body["count"] == count


def test_list_filters_and_counts(api, world, pairings):
    body = api.get("pairings", as_user=world.alice, department=world.dept_a2.pk).json()
    assert [item["id"] for item in body["items"]] == [pairings.a2_with_community.pk]
    item = api.get("pairings", as_user=world.fiona).json()["items"][0]
    assert (item["promise_count"], item["project_count"], item["partner"]) == (1, 1, "星辰汽车有限公司")
    assert item["agency_department"]["name"] == "企业服务局"


@pytest.mark.parametrize(
    ("persona", "status"), [("ivan", 200), ("fiona", 200), ("frank", 404), ("harry", 404), ("zara", 404)]
)
def test_detail_is_404_outside_scope(api, world, pairings, persona, status):
    response = api.get(f"pairings/{pairings.with_x.pk}", as_user=world.persona(persona))
    assert response.status_code == status
    if status == 200:
        assert [p["id"] for p in response.json()["promises"]] == [pairings.promise.pk]


def test_handler_creates_a_pairing_for_own_branch(api, world):
    payload = {
        "agency_org": world.branch_a1.pk,
        "partner_kind": "enterprise",
        "partner_enterprise": world.firm_z.pk,
        "started_on": "2025-02-01",
    }
    response = post(api, "pairings", payload, world.hannah)
    assert response.status_code == 201, response.content
    assert response.json()["partner"] == "智算科技有限公司"


@pytest.mark.parametrize("persona", ["harry", "fiona", "ivan", "zara"])
def test_others_cannot_create_for_a_departments_branch(api, world, persona):
    payload = {
        "agency_org": world.branch_a1.pk,
        "partner_kind": "village",
        "partner_name": "龙泉村",
        "started_on": "2025-02-01",
    }
    assert post(api, "pairings", payload, world.persona(persona)).status_code == 404
    assert not Pairing.objects.exists()


def test_bad_values_are_422_with_the_field(api, world):
    payload = {"agency_org": world.branch_a1.pk, "partner_kind": "branch", "started_on": "2025-02-01"}
    response = post(api, "pairings", payload, world.alice)
    assert response.status_code == 422
    assert "partner_party_org" in response.json()["errors"]
    payload = {**payload, "partner_kind": "planet"}
    assert post(api, "pairings", payload, world.alice).status_code == 422
    assert not Pairing.objects.exists()


def test_workflow_steps(api, world, pairings):
    pk = pairings.with_x.pk
    promise = post(
        api,
        f"pairings/{pk}/promises",
        {
            "kind": "expertise",
            "description": "选派骨干驻点指导",
            "promised_on": "2025-02-01",
            "due_on": "2025-05-01",
        },
        world.hannah,
    )
    assert promise.status_code == 201, promise.content
    delivered = post(
        api, f"pairing-promises/{promise.json()['id']}/deliver", {"delivered_on": "2025-03-01"}, world.hannah
    )
    assert delivered.json()["status"] == "delivered"
    funds = post(
        api,
        f"pairing-promises/{pairings.promise.pk}/deliver",
        {"delivered_on": "2025-03-01", "amount_wan": "5"},
        world.alice,
    )
    assert funds.json()["status"] == "partly_delivered"
    project = post(
        api, f"pairings/{pk}/projects", {"title": "长者饭堂", "kind": "public_service"}, world.hannah
    )
    assert project.status_code == 201
    moved = post(
        api,
        f"pairing-projects/{project.json()['id']}/status",
        {"status": "in_progress", "on": "2025-03-02"},
        world.hannah,
    )
    assert moved.json()["status"] == "in_progress"
    ended = post(api, f"pairings/{pk}/end", {"ended_on": "2025-06-01", "note": "期满"}, world.hannah)
    assert ended.json()["status"] == "ended"


def test_wrong_state_is_409(api, world, pairings):
    response = post(
        api,
        f"pairing-projects/{pairings.project.pk}/status",
        {"status": "done", "on": "2025-03-02", "outcome": "x"},
        world.hannah,
    )
    assert response.status_code == 409
    post(api, f"pairings/{pairings.with_x.pk}/end", {"ended_on": "2025-06-01"}, world.alice)
    again = post(api, f"pairings/{pairings.with_x.pk}/end", {"ended_on": "2025-06-02"}, world.alice)
    assert again.status_code == 409


@pytest.mark.parametrize("persona", ["fiona", "ivan", "harry", "zara"])
def test_readers_and_outsiders_cannot_take_steps(api, world, pairings, persona):
    user = world.persona(persona)
    calls = [
        (
            f"pairings/{pairings.with_x.pk}/promises",
            {"kind": "policy", "description": "x", "promised_on": "2025-02-01", "due_on": "2025-03-01"},
        ),
        (
            f"pairing-promises/{pairings.promise.pk}/deliver",
            {"delivered_on": "2025-03-01", "amount_wan": "1"},
        ),
        (f"pairings/{pairings.with_x.pk}/projects", {"title": "x", "kind": "other"}),
        (f"pairing-projects/{pairings.project.pk}/status", {"status": "in_progress", "on": "2025-03-01"}),
        (f"pairings/{pairings.with_x.pk}/end", {"ended_on": "2025-06-01"}),
    ]
    for path, payload in calls:
        assert post(api, path, payload, user).status_code == 404, path
    assert PairingPromise.objects.count() == 1 and PairingProject.objects.count() == 1
    assert Pairing.objects.get(pk=pairings.with_x.pk).status == "active"
