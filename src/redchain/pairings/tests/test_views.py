"""Pairing pages, each tested four ways: anonymous, no permission, permission, outside scope."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from redchain.audit.models import AuditEntry
from redchain.pairings.models import Pairing, PairingProject, PairingPromise
from redchain.pairings.tests.factories import pairing

pytestmark = pytest.mark.django_db

LISTS = ["pairings:index", "pairings:project_list", "pairings:export", "pairings:project_export"]


def detail_url(p):
    return reverse("pairings:detail", args=[p.pk])


@pytest.mark.parametrize("name", [*LISTS, "pairings:create"])
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_visitor_cannot_open_a_pairing(client, world, pairings):
    assert client.get(detail_url(pairings.with_x)).status_code == 302


@pytest.mark.parametrize("name", [*LISTS, "pairings:create"])
def test_user_without_membership_gets_403(login, world, name):
    assert login(world.nora).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", ["alice", "leo", "hannah", "ivan", "fiona"])
def test_zone_members_open_the_list_pages(login, world, pairings, name, persona):
    assert login(world.persona(persona)).get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("alice", ["企业服务局党支部—星辰汽车有限公司", "锦绣社区"], []),
        ("hannah", ["企业服务局党支部—星辰汽车有限公司", "企业服务局党支部—龙泉村"], ["锦绣社区"]),
        ("ivan", ["企业服务局党支部—星辰汽车有限公司"], ["龙泉村", "云帆电池党支部"]),
        ("fiona", ["企业服务局党支部—星辰汽车有限公司"], ["龙泉村", "锦绣社区"]),
        ("zara", ["乙区企业服务局党支部"], ["星辰汽车"]),
    ],
)
def test_the_list_shows_only_pairings_in_scope(login, world, pairings, persona, shown, hidden):
    html = login(world.persona(persona)).get(reverse("pairings:index")).content.decode()
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_leader_sees_projects_done_per_agency(login, world, pairings):
    from redchain.pairings import services

    services.project_set_status(
        actor=None, project=pairings.project, status="in_progress", on=date(2025, 2, 1)
    )
    services.project_set_status(
        actor=None, project=pairings.project, status="done", on=date(2025, 3, 1), outcome="已完成"
    )
    response = login(world.leo).get(reverse("pairings:index"))
    agencies = {row.name: row for row in response.context["agencies"]}
    assert agencies["企业服务局"].projects_done == 1
    assert agencies["企业服务局"].pairings == 3
    assert agencies["市场监管局"].projects_done == 0
    assert agencies["企业服务局"].funds_promised_wan == 20


def test_filters_narrow_the_list_and_the_export_alike(login, world, pairings):
    client = login(world.alice)
    query = {"department_id": world.dept_a2.pk}
    page = client.get(reverse("pairings:index"), query)
    assert [p.name for p in page.context["page"]] == [pairings.a2_with_community.name]
    sheet = load_workbook(BytesIO(client.get(reverse("pairings:export"), query).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == pairings.a2_with_community.name
    kinds = client.get(reverse("pairings:index"), {"partner_kind": "branch"}).context["page"]
    assert [p.pk for p in kinds] == [pairings.with_branch_y.pk]


def test_project_export_holds_only_visible_projects(login, world, pairings):
    response = login(world.harry).get(reverse("pairings:project_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only: harry's agency has no project
    response = login(world.fiona).get(reverse("pairings:project_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["四点半课堂"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("hannah", 200),
        ("ivan", 200),
        ("fiona", 200),
        ("frank", 404),
        ("harry", 404),
        ("zara", 404),
    ],
)
def test_detail_is_404_outside_scope(login, world, pairings, persona, status):
    assert login(world.persona(persona)).get(detail_url(pairings.with_x)).status_code == status


def test_writers_get_forms_and_readers_do_not(login, world, pairings):
    assert b'id="add-promise"' in login(world.hannah).get(detail_url(pairings.with_x)).content
    assert b'id="add-promise"' not in login(world.fiona).get(detail_url(pairings.with_x)).content
    assert b'id="add-promise"' not in login(world.ivan).get(detail_url(pairings.with_x)).content


def test_query_count_of_the_list_does_not_grow_with_rows(
    login, world, pairings, django_assert_max_num_queries
):
    for n in range(12):
        pairing(world, partner_name=f"新村{n}")
    client = login(world.alice)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("pairings:index"))
    assert response.context["page"].paginator.count == 16


# ---------------------------------------------------------------------------------------------- writes


def test_handler_creates_a_pairing_for_own_branch(login, world):
    client = login(world.hannah)
    form = client.get(reverse("pairings:create")).context["form"]
    assert list(form.fields["agency_org"].queryset) == [world.branch_a1]
    response = client.post(
        reverse("pairings:create"),
        {
            "agency_org": world.branch_a1.pk,
            "partner_kind": "enterprise",
            "partner_enterprise": world.firm_y.pk,
            "mechanism": "double_link",
            "started_on": "2025-03-01",
        },
    )
    created = Pairing.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(created)
    assert created.partner_enterprise == world.firm_y


@pytest.mark.parametrize("persona", ["fiona", "ivan", "harry"])
def test_people_without_an_agency_org_cannot_create_for_it(login, world, persona):
    client = login(world.persona(persona))
    payload = {
        "agency_org": world.branch_a1.pk,
        "partner_kind": "village",
        "partner_name": "龙泉村",
        "mechanism": "joint_building",
        "started_on": "2025-03-01",
    }
    response = client.post(reverse("pairings:create"), payload)
    assert response.status_code in (400, 403)
    assert not Pairing.objects.exists()


def test_bad_input_shows_a_chinese_error_and_writes_nothing(login, world):
    response = login(world.alice).post(
        reverse("pairings:create"),
        {
            "agency_org": world.branch_a1.pk,
            "partner_kind": "enterprise",
            "mechanism": "joint_building",
            "started_on": "2025-03-01",
        },
    )
    assert response.status_code == 400
    # The message is gettext'd (Chinese once the catalogue holds it); it lands on the field the user missed.
    assert "partner_enterprise" in response.context["form"].errors
    assert not Pairing.objects.exists()


def test_handler_adds_a_promise_records_delivery_and_moves_a_project(login, world, pairings):
    client = login(world.hannah)
    response = client.post(
        reverse("pairings:promise_add", args=[pairings.with_x.pk]),
        {
            "kind": "materials",
            "description": "捐赠办公电脑",
            "promised_on": "2025-02-01",
            "due_on": "2025-04-01",
        },
    )
    assert response.status_code == 302
    promise = PairingPromise.objects.get(description="捐赠办公电脑")
    client.post(
        reverse("pairings:promise_deliver", args=[promise.pk]),
        {"delivered_on": "2025-03-01", "complete": "on"},
    )
    promise.refresh_from_db()
    assert promise.status == "delivered"
    client.post(
        reverse("pairings:project_status", args=[pairings.project.pk]),
        {"status": "in_progress", "on": "2025-02-10"},
    )
    assert PairingProject.objects.get(pk=pairings.project.pk).status == "in_progress"
    assert AuditEntry.objects.filter(actor=world.hannah, action__startswith="pairing.").count() == 3


def test_a_refused_write_leaves_the_page_with_an_error(login, world, pairings):
    response = login(world.hannah).post(
        reverse("pairings:promise_add", args=[pairings.with_x.pk]),
        {"kind": "funds", "description": "资金", "promised_on": "2025-02-01", "due_on": "2025-04-01"},
    )
    assert response.status_code == 400
    assert pairings.with_x.promises.count() == 1


@pytest.mark.parametrize("persona", ["fiona", "ivan", "harry", "zara"])
def test_readers_and_outsiders_cannot_write_to_a_pairing(login, world, pairings, persona):
    client = login(world.persona(persona))
    urls = [
        reverse("pairings:promise_add", args=[pairings.with_x.pk]),
        reverse("pairings:project_add", args=[pairings.with_x.pk]),
        reverse("pairings:end", args=[pairings.with_x.pk]),
        reverse("pairings:promise_deliver", args=[pairings.promise.pk]),
        reverse("pairings:project_status", args=[pairings.project.pk]),
        reverse("pairings:edit", args=[pairings.with_x.pk]),
    ]
    for url in urls:
        assert client.post(url, {"ended_on": "2025-05-01", "title": "x", "kind": "other"}).status_code == 404
    assert pairings.with_x.projects.count() == 1
    assert Pairing.objects.get(pk=pairings.with_x.pk).status == "active"


def test_handler_ends_and_edits_a_pairing(login, world, pairings):
    client = login(world.hannah)
    client.post(
        reverse("pairings:edit", args=[pairings.with_village.pk]),
        {
            "name": "龙泉村村企结对",
            "mechanism": "village_enterprise",
            "goals": "共建",
            "started_on": "2025-01-06",
        },
    )
    client.post(
        reverse("pairings:end", args=[pairings.with_village.pk]), {"ended_on": "2025-06-01", "note": "期满"}
    )
    ended = Pairing.objects.get(pk=pairings.with_village.pk)
    assert (ended.name, ended.status) == ("龙泉村村企结对", "ended")


# ---------------------------------------------------------------------------------------------- panels


def test_party_org_and_enterprise_pages_show_their_pairings(login, world, pairings):
    org_page = login(world.hannah).get(reverse("orgs:party_org_detail", args=[world.branch_a1.pk]))
    assert pairings.with_x.name in org_page.content.decode()
    firm_page = login(world.fiona).get(reverse("orgs:enterprise_detail", args=[world.firm_x.pk]))
    assert pairings.with_x.name in firm_page.content.decode()
    branch_page = login(world.frank).get(reverse("orgs:party_org_detail", args=[world.branch_y.pk]))
    assert pairings.with_branch_y.name in branch_page.content.decode()


def test_panels_show_nothing_outside_scope(login, world, pairings):
    # Harry sees firm X's page (staff see every firm) but not hannah's agency's pairing with it.
    page = login(world.harry).get(reverse("orgs:enterprise_detail", args=[world.firm_x.pk]))
    assert page.status_code == 200
    assert pairings.with_x.name not in page.content.decode()
