"""/api/v1/party-activities, compliance, branch-brands and branch-ratings: scoped, paginated, and writable
only by those who may record for the organisation."""

from datetime import date

import pytest

from redchain.partylife.models import PartyActivity
from redchain.partylife.tests import factories

pytestmark = pytest.mark.django_db

ZONE_A = {"企业服务局党支部", "星辰汽车党支部", "云帆电池党支部"}


@pytest.fixture
def records(world):
    factories.monthly_theme_day_rule(world.zone)
    out = {}
    for name in ("branch_a1", "branch_x", "branch_y", "other_branch"):
        org = getattr(world, name)
        out[name] = factories.activity(
            org, title=f"{org.name}主题党日", attendance={m.pk: "present" for m in org.members.all()}
        )
        factories.brand(org, name=f"{org.name}品牌")
        factories.rating(org)
    return out


def orgs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["org"]["name"] for item in response.json()["items"]}


ENDPOINTS = ["party-activities", "compliance", "branch-brands", "branch-ratings"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_callers_get_401(api, records, path):
    assert api.get(path).status_code == 401


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("alice", ZONE_A),
        ("hannah", {"企业服务局党支部"}),
        ("harry", set()),
        ("ivan", {"星辰汽车党支部"}),
        ("fiona", {"星辰汽车党支部"}),
        ("frank", {"云帆电池党支部"}),
        ("nora", set()),
        ("zara", {"远方制造党支部"}),
    ],
)
@pytest.mark.parametrize("path", ["party-activities", "branch-brands", "branch-ratings"])
def test_collections_follow_the_callers_scope(api, world, records, persona, visible, path):
    assert orgs(api.get(path, as_user=world.persona(persona))) == visible


def test_activity_list_fields_and_filters(api, world, records):
    factories.activity(world.branch_x, kind="lecture", title="五月党课", held_on=date(2025, 5, 6))
    body = api.get("party-activities", as_user=world.fiona, kind="theme_day").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["org"] == {"id": world.branch_x.pk, "name": "星辰汽车党支部"}
    assert item["roll_count"] == 1 and item["attendance_rate"] == 1.0
    assert api.get("party-activities", as_user=world.fiona, month="2025-05").json()["count"] == 1
    assert api.get("party-activities", as_user=world.fiona, month="May").status_code == 422


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 200), ("ivan", 200), ("hannah", 404), ("zara", 404)]
)
def test_activity_detail_with_attendance(api, world, records, persona, status):
    response = api.get(f"party-activities/{records['branch_x'].pk}", as_user=world.persona(persona))
    assert response.status_code == status
    if status == 200:
        assert response.json()["attendance"] == [
            {"member_id": world.member_x.pk, "name": "张三", "status": "present"}
        ]


def _payload(world, org, **extra):
    return {
        "org_id": org.pk,
        "kind": "committee_meeting",
        "title": "6月支部委员会",
        "held_on": "2025-06-20",
        "attendance": [{"member_id": m.pk, "status": "excused"} for m in org.members.all()],
        **extra,
    }


def test_an_enterprise_contact_records_for_their_branch(api, world):
    response = api.post("party-activities", _payload(world, world.branch_x), **_auth(api, world.fiona))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attendance"][0]["status"] == "excused" and body["attendance_rate"] == 0.0
    assert PartyActivity.objects.get().recorded_by == world.fiona


@pytest.mark.parametrize(
    ("persona", "org", "status"),
    [
        ("ivan", "branch_x", 404),
        ("frank", "branch_x", 404),
        ("hannah", "branch_x", 404),
        ("zara", "branch_x", 404),
    ],
)
def test_recording_outside_write_scope_is_404(api, world, persona, org, status):
    response = api.post(
        "party-activities", _payload(world, getattr(world, org)), **_auth(api, world.persona(persona))
    )
    assert response.status_code == status
    assert not PartyActivity.objects.exists()


def test_bad_input_is_422_in_chinese_and_writes_nothing(api, world):
    auth = _auth(api, world.fiona)
    future = api.post("party-activities", _payload(world, world.branch_x, held_on="2999-01-01"), **auth)
    assert future.status_code == 422 and "held_on" in future.json()["errors"]
    stranger = _payload(
        world, world.branch_x, attendance=[{"member_id": world.member_y.pk, "status": "present"}]
    )
    assert api.post("party-activities", stranger, **auth).status_code == 422
    assert (
        api.post("party-activities", _payload(world, world.branch_x, kind="picnic"), **auth).status_code
        == 422
    )
    assert not PartyActivity.objects.exists()


def test_anonymous_cannot_record(api, world):
    assert api.post("party-activities", _payload(world, world.branch_x)).status_code == 401


def test_compliance_lists_missed_theme_days_paginated(api, world, records):
    factories.activity(world.branch_x, held_on=date(2025, 7, 3))
    body = api.get("compliance", as_user=world.alice, month="2025-07", limit=1).json()
    assert body["month"] == "2025-07" and body["checked"] == 3
    assert body["count"] == 2 and len(body["items"]) == 1
    assert body["counts_by_kind"] == {"theme_day": 2}
    item = body["items"][0]
    assert item["kind"] == "theme_day" and item["last_held_on"] == "2025-06-12"
    assert item["window_start"] == "2025-07-01"
    second = api.get("compliance", as_user=world.alice, month="2025-07", limit=1, offset=1).json()
    assert {item["org"]["name"], second["items"][0]["org"]["name"]} == {"企业服务局党支部", "云帆电池党支部"}


def test_compliance_follows_scope_and_defaults_to_the_latest_month(api, world, records):
    body = api.get("compliance", as_user=world.frank, month="2025-07").json()
    assert orgs_of(body) == {"云帆电池党支部"}
    assert api.get("compliance", as_user=world.frank).json()["month"] == "2025-06"
    assert api.get("compliance", as_user=world.zara, month="2025-07", zone=world.zone.pk).status_code == 422
    # A caller who is a member of no zone sees an empty list, as in every other collection.
    empty = api.get("compliance", as_user=world.nora, month="2025-07").json()
    assert empty == {"month": "2025-07", "checked": 0, "count": 0, "counts_by_kind": {}, "items": []}


def orgs_of(body) -> set[str]:
    return {item["org"]["name"] for item in body["items"]}


def test_ratings_and_brands_fields(api, world, records):
    rating = api.get("branch-ratings", as_user=world.fiona).json()["items"][0]
    assert rating["year"] == 2024 and rating["level"] == 5 and rating["score"] == "92.5"
    brand = api.get("branch-brands", as_user=world.fiona, status="cultivating").json()["items"][0]
    assert brand["name"] == "星辰汽车党支部品牌" and brand["established_year"] == 2021
    assert api.get("branch-brands", as_user=world.fiona, status="named").json()["count"] == 0


def _auth(api, user) -> dict:
    return {"Authorization": f"Bearer {api.token(user)}"}
