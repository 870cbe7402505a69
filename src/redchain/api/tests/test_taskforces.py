"""/api/v1/task-forces and /api/v1/suggestions: scoped lists, details, workflow steps and the funnel."""

from decimal import Decimal

import pytest

from redchain.orgs import services as org_services
from redchain.taskforces import services
from redchain.taskforces.models import Suggestion, TaskForce
from redchain.taskforces.tests.factories import implemented, suggestion, task_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(world):
    team_x = task_force(world.branch_x, name="星辰焊装攻关小组")
    services.task_force_add_member(actor=None, task_force=team_x, member=world.member_x, role="leader")
    team_a1 = task_force(world.branch_a1, name="惠企政策服务队", kind="service")
    team_b = task_force(world.other_branch, name="远方制造先锋队")
    idea_x = suggestion(task_force=team_x, title="焊装夹具快换改造")
    implemented(world.branch_x, title="余热回收利用", benefit_wan=Decimal("20.5"))
    idea_y = suggestion(world.branch_y, title="电芯分容节能")
    idea_b = suggestion(world.other_branch, title="远方降本增效")
    return {
        "team_x": team_x,
        "team_a1": team_a1,
        "team_b": team_b,
        "idea_x": idea_x,
        "idea_y": idea_y,
        "idea_b": idea_b,
    }


def post(api, path, payload, user):
    return api.post(path, payload, Authorization=f"Bearer {api.token(user)}")


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


# --- four ways ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["task-forces", "suggestions", "suggestions/funnel"])
def test_anonymous_gets_401_and_outsiders_see_nothing(api, world, work, path):
    assert api.get(path).status_code == 401
    response = api.get(path, as_user=world.nora)
    assert response.status_code == 200
    body = response.json()
    assert body.get("count", 0) == 0 and body.get("total", {}).get("collected", 0) == 0


def test_lists_are_scoped_per_persona(api, world, work):
    assert names(api.get("task-forces", as_user=world.alice)) == {"星辰焊装攻关小组", "惠企政策服务队"}
    assert names(api.get("task-forces", as_user=world.hannah)) == {"惠企政策服务队"}
    assert names(api.get("task-forces", as_user=world.ivan)) == {"星辰焊装攻关小组"}
    assert names(api.get("task-forces", as_user=world.fiona)) == {"星辰焊装攻关小组"}
    assert names(api.get("task-forces", as_user=world.frank)) == set()
    assert names(api.get("task-forces", as_user=world.zara)) == {"远方制造先锋队"}
    assert titles(api.get("suggestions", as_user=world.frank)) == {"电芯分容节能"}
    assert titles(api.get("suggestions", as_user=world.hannah)) == set()
    assert len(titles(api.get("suggestions", as_user=world.alice))) == 3


@pytest.mark.parametrize("persona", ["frank", "hannah", "harry", "zara", "nora"])
def test_details_outside_scope_are_404(api, world, work, persona):
    user = world.persona(persona)
    assert api.get(f"task-forces/{work['team_x'].pk}", as_user=user).status_code == 404
    assert api.get(f"suggestions/{work['idea_x'].pk}", as_user=user).status_code == 404


def test_task_force_detail_has_its_members(api, world, work):
    body = api.get(f"task-forces/{work['team_x'].pk}", as_user=world.ivan).json()
    assert body["org"] == {"id": world.branch_x.pk, "name": "星辰汽车党支部"}
    assert body["enterprise"]["id"] == world.firm_x.pk and body["member_count"] == 1
    assert body["members"] == [
        {
            "member_id": world.member_x.pk,
            "name": "张三",
            "role": "leader",
            "org": {"id": world.branch_x.pk, "name": "星辰汽车党支部"},
            "joined_on": "2025-03-01",
            "invited": False,
        }
    ]


def test_filters(api, world, work):
    assert names(api.get("task-forces", as_user=world.alice, kind="service")) == {"惠企政策服务队"}
    assert names(api.get("task-forces", as_user=world.alice, org=world.branch_x.pk)) == {"星辰焊装攻关小组"}
    assert titles(api.get("suggestions", as_user=world.alice, status="implemented")) == {"余热回收利用"}
    assert titles(api.get("suggestions", as_user=world.alice, task_force=work["team_x"].pk)) == {
        "焊装夹具快换改造"
    }
    assert titles(api.get("suggestions", as_user=world.alice, enterprise=world.firm_y.pk)) == {"电芯分容节能"}
    assert api.get("suggestions", as_user=world.alice, year=2024).json()["count"] == 0
    assert api.get("task-forces", as_user=world.alice, status="bogus").status_code == 422


# --- writes ------------------------------------------------------------------------------------------

NEW_TEAM = {
    "kind": "vanguard",
    "name": "涂装节能先锋队",
    "project": "涂装线天然气单耗偏高",
    "formed_on": "2025-04-01",
}


def test_enterprise_contact_creates_a_task_force_and_adds_a_member(api, world):
    response = post(api, "task-forces", {**NEW_TEAM, "org": world.branch_x.pk}, world.fiona)
    assert response.status_code == 201, response.content
    team_id = response.json()["id"]
    assert response.json()["enterprise"]["id"] == world.firm_x.pk

    added = post(
        api, f"task-forces/{team_id}/members", {"member": world.member_x.pk, "role": "leader"}, world.fiona
    )
    assert added.status_code == 200 and added.json()["members"][0]["name"] == "张三"
    twice = post(api, f"task-forces/{team_id}/members", {"member": world.member_x.pk}, world.fiona)
    assert twice.status_code == 422 and "member" in twice.json()["errors"]


def test_create_refuses_orgs_outside_scope_and_bad_dates(api, world):
    assert post(api, "task-forces", {**NEW_TEAM, "org": world.branch_y.pk}, world.fiona).status_code == 422
    assert post(api, "task-forces", {**NEW_TEAM, "org": world.branch_x.pk}, world.ivan).status_code == 404
    future = post(
        api, "task-forces", {**NEW_TEAM, "org": world.branch_x.pk, "formed_on": "2999-01-01"}, world.fiona
    )
    assert future.status_code == 422 and "formed_on" in future.json()["errors"]
    assert not TaskForce.objects.exists()


def test_member_from_another_zone_is_refused(api, world, work):
    response = post(
        api, f"task-forces/{work['team_x'].pk}/members", {"member": world.other_member.pk}, world.alice
    )
    assert response.status_code == 422
    assert work["team_x"].members.count() == 1


def test_finish_then_a_second_finish_is_409(api, world, work):
    url = f"task-forces/{work['team_x'].pk}/finish"
    payload = {"finished_on": "2025-06-01", "result": "节拍降至 54 秒", "benefit_wan": "86.5"}
    assert post(api, url, payload, world.ivan).status_code == 404
    assert post(api, url, payload, world.frank).status_code == 404
    done = post(api, url, payload, world.fiona)
    assert (
        done.status_code == 200 and done.json()["status"] == "done" and done.json()["benefit_wan"] == "86.50"
    )
    assert post(api, url, payload, world.fiona).status_code == 409


def test_suggestion_workflow(api, world, work):
    created = post(
        api,
        "suggestions",
        {
            "task_force": work["team_x"].pk,
            "submitter": world.member_x.pk,
            "title": "冲压模具寿命提升",
            "content": "改进润滑。",
            "submitted_on": "2025-04-02",
        },
        world.fiona,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["org"]["id"], body["submitted_by"], body["status"]) == (
        world.branch_x.pk,
        "张三",
        "collected",
    )
    sid = body["id"]

    assert (
        post(api, f"suggestions/{sid}/implement", {"implemented_on": "2025-04-10"}, world.fiona).status_code
        == 409
    )
    early = post(api, f"suggestions/{sid}/adopt", {"adopted_on": "2025-04-01"}, world.fiona)
    assert early.status_code == 422 and "adopted_on" in early.json()["errors"]
    assert post(api, f"suggestions/{sid}/adopt", {"adopted_on": "2025-04-05"}, world.ivan).status_code == 404
    assert (
        post(api, f"suggestions/{sid}/adopt", {"adopted_on": "2025-04-05"}, world.fiona).json()["status"]
        == "adopted"
    )
    done = post(
        api,
        f"suggestions/{sid}/implement",
        {"implemented_on": "2025-05-05", "benefit_wan": 6.3, "other_benefit": "停机减少"},
        world.fiona,
    )
    assert done.status_code == 200 and done.json()["status"] == "implemented"
    assert (
        post(
            api, f"suggestions/{sid}/reject", {"rejected_on": "2025-05-06", "reason": "x"}, world.fiona
        ).status_code
        == 409
    )


def test_reject_needs_a_reason_and_scope(api, world, work):
    url = f"suggestions/{work['idea_y'].pk}/reject"
    assert post(api, url, {"rejected_on": "2025-04-01", "reason": "成本高"}, world.fiona).status_code == 404
    assert post(api, url, {"rejected_on": "2025-04-01", "reason": ""}, world.frank).status_code == 422
    response = post(api, url, {"rejected_on": "2025-04-01", "reason": "成本高"}, world.frank)
    assert response.json()["status"] == "rejected" and response.json()["rejection_reason"] == "成本高"


def test_suggestion_create_refuses_hidden_targets_and_missing_submitter(api, world, work):
    payload = {"title": "t", "content": "c", "submitted_on": "2025-04-02", "submitter_name": "王工"}
    assert post(api, "suggestions", {**payload, "org": world.other_branch.pk}, world.alice).status_code == 422
    assert post(api, "suggestions", {**payload, "org": world.branch_x.pk}, world.frank).status_code == 422
    missing = post(
        api, "suggestions", {**payload, "org": world.branch_x.pk, "submitter_name": ""}, world.fiona
    )
    assert missing.status_code == 422 and "submitter_name" in missing.json()["errors"]
    assert Suggestion.objects.count() == 4


# --- the funnel --------------------------------------------------------------------------------------


def test_funnel_by_enterprise_and_org_within_scope(api, world, work):
    body = api.get("suggestions/funnel", as_user=world.alice, by="enterprise").json()
    assert body["total"]["collected"] == 3 and body["total"]["implemented"] == 1
    rows = {row["name"]: row for row in body["rows"]}
    assert rows["星辰汽车有限公司"]["collected"] == 2
    assert rows["星辰汽车有限公司"]["implemented"] == 1
    assert rows["星辰汽车有限公司"]["implementation_rate"] == 50.0
    assert rows["星辰汽车有限公司"]["benefit_wan"] == "20.50"
    assert body["rows"][0]["name"] == "星辰汽车有限公司"  # ranked first: it has the implemented one

    frank = api.get("suggestions/funnel", as_user=world.frank, by="org").json()
    assert [row["name"] for row in frank["rows"]] == ["云帆电池党支部"]
    assert api.get("suggestions/funnel", as_user=world.alice, by="bogus").status_code == 422


def test_invited_member_from_another_org(api, world, work):
    outsider = org_services.party_member_create(actor=None, org=world.branch_y, name="钱七")
    body = post(api, f"task-forces/{work['team_x'].pk}/members", {"member": outsider.pk}, world.alice).json()
    assert {m["name"]: m["invited"] for m in body["members"]} == {"张三": False, "钱七": True}


def test_disband_needs_a_reason_then_the_team_takes_no_more_steps(api, world, work):
    url = f"task-forces/{work['team_x'].pk}/disband"
    assert post(api, url, {"finished_on": "2025-06-01", "reason": ""}, world.fiona).status_code == 422
    early = post(api, url, {"finished_on": "2025-01-01", "reason": "项目取消"}, world.fiona)
    assert early.status_code == 422 and "finished_on" in early.json()["errors"]
    done = post(api, url, {"finished_on": "2025-06-01", "reason": "项目并入总厂攻关"}, world.fiona)
    assert done.status_code == 200 and done.json()["status"] == "disbanded"
    assert post(api, url, {"finished_on": "2025-06-02", "reason": "again"}, world.fiona).status_code == 409
    finish = {"finished_on": "2025-06-02", "result": "x"}
    assert post(api, f"task-forces/{work['team_x'].pk}/finish", finish, world.fiona).status_code == 409
