"""Every /api/v1/ endpoint of the task forces and suggestions, four ways: anonymous (401), signed in without a
membership (an empty list, 404 on anything else), with permission (fiona, who runs firm X's teams), and outside
the caller's scope (404; readers such as ivan get 404 on a write too)."""

from __future__ import annotations

from itertools import count

import pytest

from redchain.api.endpoints import taskforces as endpoints
from redchain.api.tests.access import Endpoint, assert_anonymous_401, call, served
from redchain.orgs import services as org_services
from redchain.taskforces.tests.factories import adopted, suggestion, task_force

pytestmark = pytest.mark.django_db

_serial = count(1)


@pytest.fixture
def records(world) -> dict:
    return {
        "team_x": task_force(world.branch_x, name="星辰焊装攻关小组"),
        "idea_x": suggestion(world.branch_x, title="焊装夹具快换改造"),
        "team_b": task_force(world.other_branch, name="远方制造先锋队"),
        "idea_b": suggestion(world.other_branch, title="远方降本增效"),
    }


def fresh_team(w, r) -> int:
    return task_force(w.branch_x, name=f"攻关小组{next(_serial)}").pk


def fresh_idea(make=suggestion):
    return lambda w, r: make(w.branch_x, title=f"合理化建议{next(_serial)}").pk


def new_member(w, r) -> dict:
    return {
        "member": org_services.party_member_create(actor=None, org=w.branch_x, name=f"党员{next(_serial)}").pk
    }


LISTS = [Endpoint("/task-forces"), Endpoint("/suggestions")]
FUNNEL = Endpoint("/suggestions/funnel")
DETAILS = [
    Endpoint("/task-forces/{id}", lambda w, r: r["team_x"].pk),
    Endpoint("/suggestions/{id}", lambda w, r: r["idea_x"].pk),
]
WRITES = [
    Endpoint(
        "/task-forces",
        body=lambda w, r: {
            "org": w.branch_x.pk,
            "kind": "vanguard",
            "name": "涂装节能先锋队",
            "project": "涂装线",
            "formed_on": "2025-04-01",
        },
        ok=201,
    ),
    Endpoint(
        "/suggestions",
        body=lambda w, r: {
            "org": w.branch_x.pk,
            "title": "冲压模具寿命提升",
            "content": "改进润滑。",
            "submitted_on": "2025-04-02",
            "submitter_name": "王工",
        },
        ok=201,
    ),
    Endpoint("/task-forces/{id}/members", lambda w, r: r["team_x"].pk, new_member),
    Endpoint(
        "/task-forces/{id}/finish",
        fresh_team,
        lambda w, r: {"finished_on": "2025-06-01", "result": "节拍降至54秒"},
    ),
    Endpoint(
        "/task-forces/{id}/disband",
        fresh_team,
        lambda w, r: {"finished_on": "2025-06-01", "reason": "项目取消"},
    ),
    Endpoint("/suggestions/{id}/adopt", fresh_idea(), lambda w, r: {"adopted_on": "2025-04-05"}),
    Endpoint(
        "/suggestions/{id}/implement",
        fresh_idea(adopted),
        lambda w, r: {"implemented_on": "2025-05-05", "benefit_wan": 6.3},
    ),
    Endpoint(
        "/suggestions/{id}/reject",
        fresh_idea(),
        lambda w, r: {"rejected_on": "2025-04-05", "reason": "成本高"},
    ),
]
ALL = LISTS + [FUNNEL] + DETAILS + WRITES


def test_the_table_names_every_endpoint():
    assert served(endpoints.router) == {(e.method, e.path) for e in ALL}


def test_anonymous_calls_are_401(api, world, records):
    assert_anonymous_401(api, ALL, world, records)


def test_callers_without_membership_see_nothing(api, world, records):
    for endpoint in ALL:
        response, written = call(api, endpoint, world, records, world.nora)
        if endpoint in LISTS:
            assert response.json() == {"count": 0, "items": []}, endpoint.path
        elif endpoint.path in ("/visits", "/task-forces", "/suggestions"):
            # The ids in the body are looked up among what the caller sees: none is there, a 422.
            assert (response.status_code, written) == (422, 0), endpoint.path
        elif endpoint is FUNNEL:
            assert response.json()["total"]["collected"] == 0 and response.json()["rows"] == []
        else:
            assert (response.status_code, written) == (404, 0), endpoint.path


def test_permitted_callers_read_and_write(api, world, records):
    for endpoint in LISTS + [FUNNEL] + DETAILS:
        assert call(api, endpoint, world, records, world.fiona)[0].status_code == 200, endpoint.path
    for endpoint in WRITES:
        response, written = call(api, endpoint, world, records, world.fiona)
        assert response.status_code == endpoint.ok, (endpoint.path, response.content)
        assert written >= 1, endpoint.path


@pytest.mark.parametrize(
    ("persona", "sees_x", "sees_b"), [("fiona", True, False), ("frank", False, False), ("zara", False, True)]
)
def test_lists_and_the_funnel_hold_only_what_the_caller_may_see(api, world, records, persona, sees_x, sees_b):
    user = world.persona(persona)
    teams = {item["id"] for item in call(api, LISTS[0], world, records, user)[0].json()["items"]}
    ideas = {item["id"] for item in call(api, LISTS[1], world, records, user)[0].json()["items"]}
    rows = {row["name"] for row in call(api, FUNNEL, world, records, user)[0].json()["rows"]}
    assert (records["team_x"].pk in teams, records["team_b"].pk in teams) == (sees_x, sees_b)
    assert (records["idea_x"].pk in ideas, records["idea_b"].pk in ideas) == (sees_x, sees_b)
    assert ("星辰汽车党支部" in rows, "远方制造党支部" in rows) == (sees_x, sees_b)


def test_records_outside_scope_are_404_and_untouched(api, world, records):
    for persona in ("frank", "hannah", "zara"):
        for endpoint in DETAILS + WRITES[2:]:
            response, written = call(api, endpoint, world, records, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)


def test_readers_may_not_write(api, world, records):
    for persona in ("ivan", "leo"):
        for endpoint in WRITES[2:]:
            response, written = call(api, endpoint, world, records, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)
        response, written = call(api, WRITES[0], world, records, world.persona(persona))
        assert (response.status_code, written) == (404, 0), persona
