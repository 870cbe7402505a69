"""The visit pages four ways (anonymous, no membership, permitted, outside scope), the phone-first logging
flow with HTMX findings, the Excel export, and the panels on the enterprise and demand pages."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from redchain.demands.models import Demand
from redchain.visits import services
from redchain.visits.models import Visit, VisitFinding
from redchain.visits.tests.factories import make_finding, make_visit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"visits:{name}", args=args)


# --- the four ways, for every page ----------------------------------------------------------------------


def pages(scene):
    return [
        url("index"),
        url("export"),
        url("create"),
        url("enterprise_options") + "?q=星辰",
        url("detail", scene.a1_x.pk),
        url("edit", scene.a1_x.pk),
    ]


def test_anonymous_is_sent_to_login_everywhere(client, world, scene):
    for path in pages(scene):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:login")), path
    for path in (
        url("finding_add", scene.a1_x.pk),
        url("finding_demand", scene.finding_x.pk),
        url("finding_resolve", scene.finding_x.pk),
    ):
        assert client.post(path, {"title": "x", "note": "x"}).status_code == 302, path
    assert not Demand.objects.exists()


def test_signed_in_user_without_membership_gets_403(login, world, scene):
    client = login(world.nora)
    for path in pages(scene):
        assert client.get(path).status_code == 403, path
    assert client.post(url("finding_demand", scene.finding_x.pk)).status_code == 403


@pytest.mark.parametrize("persona", ["alice", "hannah", "ivan", "fiona"])
def test_permitted_readers_open_the_list_and_the_visit(login, world, scene, persona):
    client = login(world.persona(persona))
    listing = client.get(url("index"))
    assert listing.status_code == 200
    assert "星辰汽车有限公司" in listing.content.decode()
    detail = client.get(url("detail", scene.a1_x.pk))
    assert detail.status_code == 200
    assert "新厂房用电增容" in detail.content.decode()


@pytest.mark.parametrize("persona", ["hannah", "ivan", "fiona", "frank", "alice"])
def test_visits_outside_scope_are_404(login, world, scene, persona):
    client = login(world.persona(persona))
    outside = [scene.other] + ([] if persona == "alice" else [scene.a2_z])
    for visit in outside:
        assert client.get(url("detail", visit.pk)).status_code == 404
        assert client.get(url("edit", visit.pk)).status_code == 404
        assert (
            client.post(url("finding_add", visit.pk), {"title": "x", "urgency": "normal"}).status_code == 404
        )
    assert client.post(url("finding_demand", scene.finding_other.pk)).status_code == 404
    assert client.post(url("finding_resolve", scene.finding_other.pk), {"note": "x"}).status_code == 404
    assert VisitFinding.objects.filter(visit=scene.other).count() == 1
    assert not Demand.objects.exists()


def test_list_shows_only_the_users_visits(login, world, scene):
    body = login(world.harry).get(url("index")).content.decode()
    assert "云帆电池有限公司" in body and "智算科技有限公司" in body
    assert "星辰汽车有限公司" not in body
    assert "远方制造有限公司" not in body


def test_readers_who_may_not_change_see_no_buttons_and_cannot_act(login, world, scene):
    client = login(world.fiona)
    body = client.get(url("detail", scene.a1_x.pk)).content.decode()
    assert "finding-form" not in body and "turn-into-demand" not in body
    assert "企业负责人对园区道路有意见" not in body  # the internal note
    assert client.get(url("edit", scene.a1_x.pk)).status_code == 404
    assert client.post(url("finding_demand", scene.finding_x.pk)).status_code == 404
    assert (
        client.post(url("finding_add", scene.a1_x.pk), {"title": "x", "urgency": "normal"}).status_code == 404
    )
    assert client.get(url("create")).status_code == 403
    assert not Demand.objects.exists()


def test_the_visitor_sees_the_internal_note(login, world, scene):
    assert (
        "企业负责人对园区道路有意见" in login(world.hannah).get(url("detail", scene.a1_x.pk)).content.decode()
    )


# --- list filters, counts, export ----------------------------------------------------------------------


def test_filters_and_counts(login, world, scene):
    client = login(world.alice)
    services.finding_refer(actor=None, finding=scene.finding_x)

    by_department = client.get(url("index"), {"department": world.dept_a2.pk})
    assert [v.pk for v in by_department.context["page"]] == [scene.a2_y.pk, scene.a2_z.pk]
    assert by_department.context["stats"].firms == 2

    open_only = client.get(url("index"), {"open_findings": "yes"})
    assert [v.pk for v in open_only.context["page"]] == [scene.a2_y.pk]

    month = scene.a2_z.visited_on.strftime("%Y-%m")
    in_month = [v.pk for v in client.get(url("index"), {"month": month}).context["page"]]
    assert scene.a2_z.pk in in_month

    stats = client.get(url("index")).context["stats"]
    assert (stats.visits, stats.findings, stats.referred, stats.open) == (3, 2, 1, 1)


def test_htmx_filter_returns_the_results_only(login, world, scene):
    response = login(world.alice).get(url("index"), {"visitor": world.harry.pk}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert "云帆电池有限公司" in body and "星辰汽车有限公司" not in body


def test_list_query_count_does_not_grow_with_rows(login, world, django_assert_max_num_queries):
    for day in range(25):
        visit = make_visit(visitor=world.hannah, enterprise=world.firm_x, days_ago=day)
        make_finding(visit)
    client = login(world.alice)
    client.get(url("index"))  # warm the session and the zone
    with django_assert_max_num_queries(12):
        response = client.get(url("index"))
    assert len(response.context["page"]) == 25


def test_export_has_one_row_per_finding_and_respects_scope(login, world, scene):
    make_finding(scene.a1_x, title="招工难")
    response = login(world.hannah).get(url("export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(row[10] for row in rows) == ["招工难", "新厂房用电增容"]
    assert {row[2] for row in rows} == {"星辰汽车有限公司"}


def test_export_follows_the_filters_and_hides_the_note_from_contacts(login, world, scene):
    rows = list(
        load_workbook(BytesIO(login(world.fiona).get(url("export")).content)).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert len(rows) == 1
    assert rows[0][17] in (None, "")

    alice = login(world.alice)
    filtered = load_workbook(
        BytesIO(alice.get(url("export"), {"enterprise": world.firm_z.pk}).content)
    ).active
    assert [row[2] for row in filtered.iter_rows(min_row=2, values_only=True)] == ["智算科技有限公司"]


# --- logging a visit on a phone --------------------------------------------------------------------------


def test_enterprise_search_offers_only_firms_the_user_may_visit(login, world, scene):
    body = login(world.ivan).get(url("enterprise_options"), {"q": "有限公司"}).content.decode()
    assert "星辰汽车有限公司" in body
    assert "云帆电池有限公司" not in body
    assert 'type="radio"' in body
    pinyin = login(world.hannah).get(url("enterprise_options"), {"q": "xc"}).content.decode()
    assert "星辰汽车有限公司" in pinyin


def test_handler_logs_a_visit_then_adds_a_finding_and_turns_it_into_a_demand(login, world):
    client = login(world.hannah)
    today = timezone.localdate()
    response = client.post(
        url("create"),
        {
            "enterprise": world.firm_y.pk,
            "visited_on": today.isoformat(),
            "start_time": "09:30",
            "purpose": "onsite_office",
            "summary": "企业新产线调试中，反映用电容量不足。",
            "people_met": "总经理 陈刚",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", visit.pk)
    assert visit.visitor == world.hannah and visit.department == world.dept_a1

    added = client.post(
        url("finding_add", visit.pk),
        {"title": "用电容量不足", "detail": "需增容", "urgency": "urgent"},
        **HTMX,
    )
    assert added.status_code == 200
    finding = VisitFinding.objects.get()
    assert f'id="finding-{finding.pk}"' in added.content.decode()

    turned = client.post(url("finding_demand", finding.pk), **HTMX)
    demand = Demand.objects.get()
    assert demand.tracking_code in turned.content.decode()
    again = client.post(url("finding_demand", finding.pk), **HTMX)
    assert again.status_code == 200
    assert Demand.objects.count() == 1


def test_bad_visit_is_refused_in_chinese_and_nothing_is_written(login, world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = login(world.hannah).post(
        url("create"),
        {"enterprise": world.firm_y.pk, "visited_on": tomorrow.isoformat(), "purpose": "routine"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "summary" in form.errors
    assert not Visit.objects.exists()

    response = login(world.hannah).post(
        url("create"),
        {
            "enterprise": world.firm_y.pk,
            "visited_on": tomorrow.isoformat(),
            "purpose": "routine",
            "summary": "x",
        },
    )
    assert response.status_code == 400
    assert "visited_on" in response.context["form"].errors
    assert response.context["chosen"] == world.firm_y  # the picked firm stays picked
    assert not Visit.objects.exists()


def test_instructor_cannot_log_a_visit_to_a_non_member_firm(login, world):
    response = login(world.ivan).post(
        url("create"),
        {
            "enterprise": world.firm_y.pk,
            "visited_on": timezone.localdate().isoformat(),
            "purpose": "routine",
            "summary": "x",
        },
    )
    assert response.status_code == 400
    assert "enterprise" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_create_prefills_the_enterprise_from_the_link(login, world):
    response = login(world.hannah).get(url("create"), {"enterprise": world.firm_x.pk})
    assert response.status_code == 200
    assert response.context["chosen"] == world.firm_x


def test_finding_without_title_comes_back_with_the_error(login, world, scene):
    response = login(world.hannah).post(
        url("finding_add", scene.a1_x.pk), {"title": "", "urgency": "normal"}, **HTMX
    )
    assert response.status_code == 200
    assert response.context["finding_form"].errors["title"]
    assert VisitFinding.objects.filter(visit=scene.a1_x).count() == 1


def test_resolve_on_the_spot_and_refusal_afterwards(login, world, scene):
    client = login(world.hannah)
    response = client.post(
        url("finding_resolve", scene.finding_x.pk), {"note": "现场协调，当天解决。"}, **HTMX
    )
    assert "现场协调，当天解决。" in response.content.decode()
    scene.finding_x.refresh_from_db()
    assert scene.finding_x.status == VisitFinding.Status.RESOLVED

    refused = client.post(url("finding_demand", scene.finding_x.pk), **HTMX)
    assert "该问题已当场解决" in refused.content.decode()
    assert not Demand.objects.exists()


def test_resolve_without_note_writes_nothing(login, world, scene):
    response = login(world.hannah).post(url("finding_resolve", scene.finding_x.pk), {"note": ""}, **HTMX)
    assert response.status_code == 200
    scene.finding_x.refresh_from_db()
    assert scene.finding_x.status == VisitFinding.Status.OPEN


def test_edit_visit(login, world, scene):
    client = login(world.hannah)
    data = {
        "visited_on": scene.a1_x.visited_on.isoformat(),
        "purpose": "research",
        "summary": "补充：企业计划扩建二期。",
    }
    assert client.post(url("edit", scene.a1_x.pk), data).status_code == 302
    scene.a1_x.refresh_from_db()
    assert (scene.a1_x.purpose, scene.a1_x.summary) == ("research", "补充：企业计划扩建二期。")
    assert login(world.harry).post(url("edit", scene.a1_x.pk), data).status_code == 404


# --- panels on other pages -------------------------------------------------------------------------------


def test_enterprise_page_shows_the_visits_the_reader_may_see(login, world, scene):
    page = reverse("orgs:enterprise_detail", args=[world.firm_x.pk])
    body = login(world.fiona).get(page).content.decode()
    assert 'id="enterprise-visits"' in body
    assert url("detail", scene.a1_x.pk) in body
    assert "log-visit-here" not in body  # contacts do not log visits

    harry = login(world.harry).get(page).content.decode()
    assert url("detail", scene.a1_x.pk) not in harry  # another department's visit
    assert "log-visit-here" in harry


def test_demand_page_says_which_visit_found_it(login, world, scene):
    demand, _ = services.finding_refer(actor=world.hannah, finding=scene.finding_x)
    page = reverse("demands:detail", args=[demand.pk])

    body = login(world.hannah).get(page).content.decode()
    assert 'id="visit-source"' in body
    assert url("detail", scene.a1_x.pk) in body
    assert scene.a1_x.visited_on.strftime("%Y-%m-%d") in body

    # Harry cannot see the demand at all; Fiona (the firm) sees the demand and the visit.
    assert login(world.harry).get(page).status_code == 404
    assert url("detail", scene.a1_x.pk) in login(world.fiona).get(page).content.decode()
