"""/api/v1/ meetings, pacts, pact-commitments, alliance-activities and places: scoped lists, details and the
workflow steps, four ways each (anonymous 401, no membership, in scope, outside scope 404)."""

import datetime as dt

import pytest

from redchain.mechanisms.models import ActionItem, Commitment, Meeting, Pact
from redchain.mechanisms.tests import factories as fx

pytestmark = pytest.mark.django_db

LISTS = ["meetings", "pacts", "alliance-activities", "places"]


@pytest.fixture
def records(world):
    return fx.build_records(world)


def post(api, path: str, payload: dict, *, as_user=None):
    headers = {"Authorization": f"Bearer {api.token(as_user)}"} if as_user is not None else {}
    return api.post(path, payload, **headers)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_anonymous_calls_are_401(api, world, records):
    for path in [*LISTS, f"meetings/{records.meeting1.pk}", f"pacts/{records.pact1.pk}"]:
        assert api.get(path).status_code == 401, path
    assert post(api, "meetings", {}).status_code == 401
    assert post(api, f"pact-commitments/{records.commitment_x.pk}/fulfil", {}).status_code == 401


def test_user_without_membership_sees_empty_lists_and_404s(api, world, records):
    for path in LISTS:
        assert ids(api.get(path, as_user=world.nora)) == set(), path
    assert api.get(f"meetings/{records.meeting1.pk}", as_user=world.nora).status_code == 404


def test_lists_are_scoped_four_ways(api, world, records):
    expected = {
        "alice": {records.meeting1.pk, records.meeting2.pk},
        "hannah": {records.meeting1.pk},
        "harry": set(),
        "ivan": {records.meeting1.pk},
        "fiona": {records.meeting1.pk},
        "frank": set(),
        "zara": {records.other_meeting.pk},
    }
    for persona, meetings in expected.items():
        assert ids(api.get("meetings", as_user=world.persona(persona))) == meetings, persona
    assert ids(api.get("pacts", as_user=world.fiona)) == {records.pact1.pk}
    assert ids(api.get("alliance-activities", as_user=world.ivan)) == {records.activity1.pk}
    assert ids(api.get("places", as_user=world.frank)) == {records.zone_place.pk}


def test_list_filters_and_pagination(api, world, records):
    response = api.get("meetings", as_user=world.alice, alliance=world.alliance2.pk, limit=1)
    assert response.json()["count"] == 1 and ids(response) == {records.meeting2.pk}
    assert ids(api.get("alliance-activities", as_user=world.alice, action="relief")) == {records.activity2.pk}
    assert ids(api.get("meetings", as_user=world.alice, overdue=True)) == set()
    assert api.get("meetings", as_user=world.alice, status="nonsense").status_code == 422


def test_details_show_attendance_items_and_commitments(api, world, records):
    meeting = api.get(f"meetings/{records.meeting1.pk}", as_user=world.hannah).json()
    assert meeting["status"] == "held" and meeting["present_count"] >= 1
    assert {item["id"] for item in meeting["action_items"]} == {records.item_x.pk, records.item_dept.pk}
    assert all(item["overdue"] for item in meeting["action_items"])
    pact = api.get(f"pacts/{records.pact1.pk}", as_user=world.fiona).json()
    assert pact["commitment_count"] == 2 and pact["fulfilment_rate"] == 0.0
    assert {c["member"]["name"] for c in pact["commitments"]} == {world.firm_x.name, world.dept_a1.name}


def test_details_outside_scope_are_404(api, world, records):
    for persona, path in [
        ("zara", f"meetings/{records.meeting1.pk}"),
        ("ivan", f"meetings/{records.meeting2.pk}"),
        ("harry", f"pacts/{records.pact1.pk}"),
        ("frank", f"pacts/{records.pact1.pk}"),
        ("alice", f"pacts/{records.other_pact.pk}"),
    ]:
        assert api.get(path, as_user=world.persona(persona)).status_code == 404, (persona, path)


def test_instructor_plans_holds_and_adds_decisions(api, world, records):
    created = post(
        api,
        "meetings",
        {"alliance": world.alliance1.pk, "kind": "bimonthly", "planned_on": f"{fx.LAST_YEAR}-05-20"},
        as_user=world.ivan,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["slot"] == 3 and body["overdue"] and "双月工作例会" in body["title"]
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    held = post(
        api,
        f"meetings/{body['id']}/held",
        {
            "held_on": f"{fx.LAST_YEAR}-05-21",
            "minutes": "通报工作",
            "attendance": [{"member": x.pk, "present": True, "representative": "李总"}],
        },
        as_user=world.ivan,
    )
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert held.json()["attendance"][0]["representative"] == "李总"
    item = post(
        api,
        f"meetings/{body['id']}/action-items",
        {"decision": "组织供需对接", "owner": x.pk, "due_on": f"{fx.LAST_YEAR}-07-01"},
        as_user=world.ivan,
    )
    assert item.status_code == 201 and item.json()["owner"]["id"] == x.pk


def test_steps_refused_by_state_are_409_and_bad_values_422(api, world, records):
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    again = post(
        api,
        f"meetings/{records.meeting1.pk}/held",
        {"held_on": fx.PAST.isoformat(), "minutes": "m", "attendance": [{"member": x.pk, "present": True}]},
        as_user=world.alice,
    )
    assert again.status_code == 409 and " / " in again.json()["detail"]
    future = fx.planned(world.alliance1, on=dt.date.today() + dt.timedelta(days=30))  # noqa: DTZ011
    assert post(api, f"meetings/{future.pk}/missed", {"reason": "r"}, as_user=world.alice).status_code == 409
    foreign = fx.unit(world.alliance2, enterprise=world.firm_z)
    bad = post(
        api,
        f"meetings/{records.meeting1.pk}/action-items",
        {"decision": "d", "owner": foreign.pk, "due_on": "2099-01-01"},
        as_user=world.alice,
    )
    assert bad.status_code == 422 and "owner" in bad.json()["errors"]
    assert not ActionItem.objects.filter(decision="d").exists()


def test_overdue_meeting_marked_missed(api, world, records):
    overdue = fx.planned(world.alliance1, on=dt.date(fx.LAST_YEAR, 9, 9))
    response = post(api, f"meetings/{overdue.pk}/missed", {"reason": "防汛"}, as_user=world.ivan)
    assert response.status_code == 200 and response.json()["status"] == "missed"


def test_readers_and_outsiders_cannot_write(api, world, records):
    payload = {
        "alliance": world.alliance1.pk,
        "kind": "consultation",
        "planned_on": fx.PAST.isoformat(),
        "title": "t",
    }
    for persona in ("hannah", "fiona", "harry", "zara", "nora"):
        assert post(api, "meetings", payload, as_user=world.persona(persona)).status_code == 404, persona
    pact = {
        "alliance": world.alliance2.pk,
        "title": "t",
        "signed_on": fx.PAST.isoformat(),
        "valid_until": "2099-01-01",
        "text": "t",
    }
    assert post(api, "pacts", pact, as_user=world.ivan).status_code == 404
    assert not Meeting.objects.filter(title="t").exists() and not Pact.objects.filter(title="t").exists()


def test_pact_commitment_and_fulfilment(api, world, records):
    created = post(
        api,
        "pacts",
        {
            "alliance": world.alliance1.pk,
            "title": "结盟公约",
            "signed_on": fx.PAST.isoformat(),
            "valid_until": "2099-01-01",
            "text": "共建",
        },
        as_user=world.ivan,
    )
    assert created.status_code == 201
    pact_id = created.json()["id"]
    branch = fx.unit(world.alliance1, party_org=world.branch_x)
    added = post(
        api,
        f"pacts/{pact_id}/commitments",
        {"member": branch.pk, "content": "开放阵地", "due_on": (fx.PAST + dt.timedelta(days=60)).isoformat()},
        as_user=world.ivan,
    )
    assert added.status_code == 201
    fulfil = {"fulfilled": True, "assessed_on": fx.PAST.isoformat(), "evidence": "照片"}
    # The contact of firm X records it for X's branch; frank (firm Y) does not even see it.
    assert (
        post(api, f"pact-commitments/{added.json()['id']}/fulfil", fulfil, as_user=world.frank).status_code
        == 404
    )
    done = post(api, f"pact-commitments/{added.json()['id']}/fulfil", fulfil, as_user=world.fiona)
    assert done.status_code == 200 and done.json()["status"] == "fulfilled"
    assert (
        post(
            api, f"pact-commitments/{records.commitment_dept.pk}/fulfil", fulfil, as_user=world.fiona
        ).status_code
        == 404
    )
    assert Commitment.objects.get(pk=records.commitment_dept.pk).status == "pending"


def test_activity_create_and_validation(api, world, records):
    payload = {
        "alliance": world.alliance1.pk,
        "action": "demonstration",
        "title": "示范点推进会",
        "held_on": fx.PAST.isoformat(),
        "participant_count": 40,
        "summary": "现场观摩",
        "place": records.place1.pk,
    }
    created = post(api, "alliance-activities", payload, as_user=world.ivan)
    assert created.status_code == 201 and created.json()["place"] == records.place1.name
    assert (
        post(
            api, "alliance-activities", {**payload, "place": records.place2.pk}, as_user=world.ivan
        ).status_code
        == 422
    )
    assert (
        post(api, "alliance-activities", {**payload, "participant_count": 0}, as_user=world.ivan).status_code
        == 422
    )
    assert (
        post(
            api, "alliance-activities", {**payload, "alliance": world.other_alliance.pk}, as_user=world.ivan
        ).status_code
        == 404
    )
