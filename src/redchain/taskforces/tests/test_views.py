"""Task-force pages, each tested four ways (anonymous, no membership, in scope, out of scope), the writes
through the pages, the Excel exports and the panels on the organisation and enterprise pages."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from redchain.audit.models import AuditEntry
from redchain.orgs import services as org_services
from redchain.taskforces.models import Suggestion, TaskForce
from redchain.taskforces.tests.factories import suggestion, task_force

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "taskforces:index",
    "taskforces:export",
    "taskforces:suggestion_list",
    "taskforces:suggestion_export",
    "taskforces:funnel",
    "taskforces:funnel_export",
]


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_four_ways(client, login, world, work, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert login(world.nora).get(url).status_code == 403
    for persona in ("alice", "leo", "hannah", "harry", "ivan", "fiona", "frank", "zara"):
        assert login(world.persona(persona)).get(url).status_code == 200


def detail_urls(work):
    return {
        "task_force": reverse("taskforces:detail", args=[work.team_x.pk]),
        "task_force_edit": reverse("taskforces:edit", args=[work.team_x.pk]),
        "suggestion": reverse("taskforces:suggestion_detail", args=[work.idea_x.pk]),
        "suggestion_edit": reverse("taskforces:suggestion_edit", args=[work.idea_x.pk]),
    }


@pytest.mark.parametrize("kind", ["task_force", "task_force_edit", "suggestion", "suggestion_edit"])
def test_detail_pages_four_ways(client, login, world, work, kind):
    url = detail_urls(work)[kind]
    assert client.get(url).status_code == 302
    assert login(world.nora).get(url).status_code == 403
    assert login(world.alice).get(url).status_code == 200
    assert login(world.fiona).get(url).status_code == 200
    for outsider in ("zara", "frank", "hannah", "harry"):
        assert login(world.persona(outsider)).get(url).status_code == 404


@pytest.mark.parametrize("kind", ["task_force", "suggestion"])
def test_readers_see_details_but_get_no_forms_and_403_on_edit(login, world, work, kind):
    urls = detail_urls(work)
    for reader in ("ivan", "leo"):
        client = login(world.persona(reader))
        response = client.get(urls[kind])
        assert response.status_code == 200
        assert b'<form method="post"' not in response.content
        assert client.get(urls[f"{kind}_edit"]).status_code == 403


def test_index_lists_what_the_user_sees_with_filters_and_the_funnel(login, world, work):
    client = login(world.alice)
    url = reverse("taskforces:index")

    def names(**params):
        return [tf.name for tf in client.get(url, params).context["page"]]

    assert names() == ["惠企政策服务队", "星辰焊装攻关小组", "云帆电芯突击队"]  # pinyin order: hui, xing, yun
    assert names(kind="shock") == ["云帆电芯突击队"]
    assert names(org=world.branch_a1.pk) == ["惠企政策服务队"]
    assert names(enterprise=world.firm_x.pk) == ["星辰焊装攻关小组"]
    assert names(status="done") == []
    funnel = client.get(url).context["funnel"]
    assert (funnel.collected, funnel.adopted, funnel.implemented) == (5, 2, 1)
    assert login(world.frank).get(url).context["funnel"].collected == 1


def test_htmx_filter_returns_only_the_table(login, world, work):
    response = login(world.alice).get(
        reverse("taskforces:index"), {"kind": "service"}, headers={"HX-Request": "true"}
    )
    assert [t.name for t in response.templates][0] == "taskforces/partials/_task_force_table.html"
    assert "惠企政策服务队" in response.content.decode() and "<html" not in response.content.decode()


def test_task_force_list_query_count_does_not_grow_with_rows(login, world, django_assert_max_num_queries):
    client = login(world.alice)
    url = reverse("taskforces:index")
    client.get(url)  # warm the session and the zone lookups
    for n in range(3):
        task_force(world.branch_x, name=f"小组{n}")
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for n in range(3, 30):
        team = task_force(world.branch_y, name=f"小组{n}")
        suggestion(task_force=team, title=f"建议{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 30


def test_suggestion_list_filters(login, world, work):
    client = login(world.alice)
    url = reverse("taskforces:suggestion_list")

    def titles(**params):
        return {s.title for s in client.get(url, params).context["page"]}

    assert titles(status="implemented") == {"余热回收利用"}
    assert titles(task_force=work.team_x.pk) == {"焊装夹具快换改造", "余热回收利用"}
    assert titles(enterprise=world.firm_y.pk) == {"电芯分容节能"}
    assert titles(org=world.branch_a1.pk) == {"企业诉求清单化"}
    assert titles(year=2025) == titles() and len(titles()) == 5
    assert titles(year=2024) == set()
    assert titles(q="余热") == {"余热回收利用"}


def test_exports_follow_scope_and_filters(login, world, work):
    rows = sheet_rows(login(world.fiona).get(reverse("taskforces:export")))
    assert [r[0] for r in rows[1:]] == ["星辰焊装攻关小组"]
    assert rows[1][11] == 1 and "张三" in rows[1][12]

    rows = sheet_rows(
        login(world.alice).get(reverse("taskforces:suggestion_export"), {"status": "implemented"})
    )
    assert [r[0] for r in rows[1:]] == ["余热回收利用"]
    assert rows[1][10] == 20.5

    rows = sheet_rows(login(world.alice).get(reverse("taskforces:funnel_export"), {"by": "enterprise"}))
    assert rows[1][1:6] == ("星辰汽车有限公司", 3, 2, 1, 20.5)
    assert rows[-1][2:5] == (5, 2, 1)


def test_funnel_page_ranks_rows(login, world, work):
    response = login(world.alice).get(reverse("taskforces:funnel"), {"by": "task_force"})
    rows = response.context["rows"]
    assert [r.name for r in rows] == ["星辰焊装攻关小组"]
    assert (rows[0].collected, rows[0].implemented, rows[0].implementation_rate) == (2, 1, 50.0)
    assert response.context["chart"]["stages"][0]["value"] == 5


# --- writes through the pages -----------------------------------------------------------------------


def test_enterprise_contact_forms_a_task_force_through_the_page(login, world):
    client = login(world.fiona)
    assert client.get(reverse("taskforces:create")).status_code == 200
    response = client.post(
        reverse("taskforces:create"),
        {
            "org": world.branch_x.pk,
            "kind": "vanguard",
            "name": "涂装节能先锋队",
            "project": "涂装线天然气单耗偏高",
            "goal": "单耗下降 8%",
            "formed_on": "2025-04-01",
        },
    )
    team = TaskForce.objects.get(name="涂装节能先锋队")
    assert response.status_code == 302 and response["Location"] == reverse(
        "taskforces:detail", args=[team.pk]
    )
    assert team.enterprise == world.firm_x
    assert AuditEntry.objects.filter(action="task_force.create", actor=world.fiona).exists()


def test_create_form_refuses_an_organisation_the_user_does_not_manage(login, world):
    response = login(world.fiona).post(
        reverse("taskforces:create"),
        {"org": world.branch_y.pk, "kind": "shock", "name": "x", "project": "y", "formed_on": "2025-04-01"},
    )
    assert response.status_code == 400
    assert "org" in response.context["form"].errors
    assert not TaskForce.objects.exists()


def test_future_date_is_a_form_error_and_nothing_is_written(login, world):
    response = login(world.alice).post(
        reverse("taskforces:create"),
        {"org": world.branch_y.pk, "kind": "shock", "name": "x", "project": "y", "formed_on": "2999-01-01"},
    )
    assert response.status_code == 400 and "formed_on" in response.context["form"].errors
    assert not TaskForce.objects.exists()


@pytest.mark.parametrize("persona", ["ivan", "leo", "harry"])
def test_readers_cannot_open_the_create_pages(login, world, persona):
    client = login(world.persona(persona))
    assert client.get(reverse("taskforces:create")).status_code == 403
    assert client.get(reverse("taskforces:suggestion_create")).status_code == 403


def test_members_finish_and_refusals_through_the_detail_page(login, world, work):
    client = login(world.fiona)
    url = reverse("taskforces:action", args=[work.team_x.pk, "members"])
    extra = org_services.party_member_create(actor=None, org=world.branch_x, name="赵六")

    assert client.post(url, {"member": extra.pk, "role": "member"}).status_code == 302
    response = client.post(url, {"member": extra.pk, "role": "leader"})
    assert response.status_code == 400  # already on the team, so not offered any more
    assert work.team_x.members.count() == 2

    finish = reverse("taskforces:action", args=[work.team_x.pk, "finish"])
    bad = client.post(finish, {"finished_on": "2025-01-01", "result": "完成"})
    assert bad.status_code == 400 and "finished_on" in bad.context["forms"]["finish"].errors
    assert (
        client.post(
            finish, {"finished_on": "2025-06-01", "result": "节拍降至 54 秒", "benefit_wan": "30"}
        ).status_code
        == 302
    )
    assert TaskForce.objects.get(pk=work.team_x.pk).status == "done"


def test_step_on_a_task_force_out_of_scope_is_404_and_read_only_is_403(login, world, work):
    url = reverse("taskforces:action", args=[work.team_x.pk, "finish"])
    data = {"finished_on": "2025-06-01", "result": "完成"}
    assert login(world.frank).post(url, data).status_code == 404
    assert login(world.zara).post(url, data).status_code == 404
    assert login(world.ivan).post(url, data).status_code == 403
    assert TaskForce.objects.get(pk=work.team_x.pk).status == "active"


def test_suggestion_steps_through_the_page(login, world, work):
    client = login(world.fiona)
    item = work.idea_x
    adopt = reverse("taskforces:suggestion_action", args=[item.pk, "adopt"])
    implement = reverse("taskforces:suggestion_action", args=[item.pk, "implement"])

    early = client.post(implement, {"implemented_on": "2025-04-01"})
    assert early.status_code == 400 and "不能执行此操作" in early.content.decode()
    assert client.post(adopt, {"adopted_on": "2025-03-20"}).status_code == 302
    assert client.post(implement, {"implemented_on": "2025-04-01", "benefit_wan": "8.8"}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.implemented_on) == ("implemented", date(2025, 4, 1))


def test_suggestion_step_out_of_scope_is_404(login, world, work):
    url = reverse("taskforces:suggestion_action", args=[work.idea_x.pk, "adopt"])
    assert login(world.frank).post(url, {"adopted_on": "2025-03-20"}).status_code == 404
    assert login(world.ivan).post(url, {"adopted_on": "2025-03-20"}).status_code == 403
    assert Suggestion.objects.get(pk=work.idea_x.pk).status == "collected"


def test_recording_a_suggestion_through_the_page(login, world, work):
    client = login(world.hannah)
    response = client.post(
        reverse("taskforces:suggestion_create"),
        {
            "org": world.branch_a1.pk,
            "submitter_name": "李科长",
            "title": "上门服务预约制",
            "content": "按企业预约时间上门。",
            "submitted_on": "2025-05-06",
        },
    )
    item = Suggestion.objects.get(title="上门服务预约制")
    assert response.status_code == 302 and item.org == world.branch_a1 and item.enterprise is None
    missing = client.post(
        reverse("taskforces:suggestion_create"),
        {"org": world.branch_a1.pk, "title": "t", "content": "c", "submitted_on": "2025-05-06"},
    )
    assert missing.status_code == 400 and "submitter" in missing.context["form"].errors


def test_edit_pages_save_changes(login, world, work):
    client = login(world.fiona)
    response = client.post(
        reverse("taskforces:suggestion_edit", args=[work.idea_x.pk]),
        {"title": "焊装夹具快换改造（修订）", "content": "改用快换定位销。", "submitted_on": "2025-03-11"},
    )
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=work.idea_x.pk).title == "焊装夹具快换改造（修订）"
    response = client.post(
        reverse("taskforces:edit", args=[work.team_x.pk]),
        {
            "kind": "shock",
            "name": "星辰焊装突击队",
            "project": "焊装线节拍提升",
            "goal": "",
            "formed_on": "2025-03-01",
        },
    )
    assert response.status_code == 302
    assert TaskForce.objects.get(pk=work.team_x.pk).name == "星辰焊装突击队"


# --- panels on other apps' pages ----------------------------------------------------------------------


def test_party_org_and_enterprise_pages_show_the_panel_within_scope(login, world, work):
    client = login(world.fiona)
    org_page = client.get(reverse("orgs:party_org_detail", args=[world.branch_x.pk])).content.decode()
    assert "星辰焊装攻关小组" in org_page and 'id="task-force-panel"' in org_page
    firm_page = client.get(reverse("orgs:enterprise_detail", args=[world.firm_x.pk])).content.decode()
    assert "星辰焊装攻关小组" in firm_page
    other = login(world.alice).get(reverse("orgs:enterprise_detail", args=[world.firm_z.pk])).content.decode()
    assert 'id="task-force-panel"' not in other  # nothing to show, so no panel
