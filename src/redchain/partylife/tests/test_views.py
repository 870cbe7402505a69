"""The party-life pages, tested four ways: anonymous, no membership, in scope, outside scope."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from redchain.partylife import services
from redchain.partylife.models import BranchBrand, BranchRating, CadenceRule, PartyActivity
from redchain.partylife.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    """One activity, brand and rating per branch of zone A, and the same in zone B."""
    factories.monthly_theme_day_rule(world.zone)
    out = {}
    for name in ("branch_a1", "branch_x", "branch_y", "other_branch"):
        org = getattr(world, name)
        members = {m.pk: "present" for m in org.members.all()}
        out[name] = {
            "activity": factories.activity(org, title=f"{org.name}六月主题党日", attendance=members),
            "brand": factories.brand(org, name=f"{org.name}品牌"),
            "rating": factories.rating(org),
        }
    return out


def _pages(records):
    x = records["branch_x"]
    return [
        reverse("partylife:index"),
        reverse("partylife:activity_export"),
        reverse("partylife:activity_detail", args=[x["activity"].pk]),
        reverse("partylife:activity_edit", args=[x["activity"].pk]),
        reverse("partylife:activity_create"),
        reverse("partylife:compliance"),
        reverse("partylife:compliance_export"),
        reverse("partylife:cadence"),
        reverse("partylife:cadence_create"),
        reverse("partylife:brand_list"),
        reverse("partylife:brand_export"),
        reverse("partylife:brand_create"),
        reverse("partylife:brand_edit", args=[x["brand"].pk]),
        reverse("partylife:rating_list"),
        reverse("partylife:rating_export"),
        reverse("partylife:rating_create"),
        reverse("partylife:rating_edit", args=[x["rating"].pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, records):
    for url in _pages(records):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_users_without_membership_are_refused(login, world, records):
    client = login(world.nora)
    for url in _pages(records):
        assert client.get(url).status_code == 403, url


def test_zone_admin_opens_every_page(login, world, records):
    client = login(world.alice)
    for url in _pages(records):
        assert client.get(url).status_code == 200, url


def test_other_zones_records_are_not_found(login, world, records):
    other = records["other_branch"]
    client = login(world.alice)
    for url in (
        reverse("partylife:activity_detail", args=[other["activity"].pk]),
        reverse("partylife:activity_edit", args=[other["activity"].pk]),
        reverse("partylife:brand_edit", args=[other["brand"].pk]),
        reverse("partylife:rating_edit", args=[other["rating"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("partylife:brand_name", args=[other["brand"].pk]), {"named_on": "2024-06-01"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("alice", {"企业服务局党支部", "星辰汽车党支部", "云帆电池党支部"}),
        ("leo", {"企业服务局党支部", "星辰汽车党支部", "云帆电池党支部"}),
        ("hannah", {"企业服务局党支部"}),
        ("harry", set()),
        ("ivan", {"星辰汽车党支部"}),
        ("fiona", {"星辰汽车党支部"}),
        ("frank", {"云帆电池党支部"}),
        ("zara", {"远方制造党支部"}),
    ],
)
def test_lists_show_only_the_users_organisations(login, world, records, persona, visible):
    client = login(world.persona(persona))
    names = {"企业服务局党支部", "星辰汽车党支部", "云帆电池党支部", "远方制造党支部"}
    for url_name, suffix in (("partylife:index", "六月主题党日"), ("partylife:brand_list", "品牌")):
        body = client.get(reverse(url_name)).content.decode()
        shown = {name for name in names if f"{name}{suffix}" in body}
        assert shown == visible, url_name
    ratings = client.get(reverse("partylife:rating_list")).content.decode()
    assert {name for name in names if f">{name}<" in ratings} == visible


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 200), ("ivan", 200), ("fiona", 200), ("hannah", 404), ("frank", 404)]
)
def test_activity_detail_follows_scope(login, world, records, persona, status):
    url = reverse("partylife:activity_detail", args=[records["branch_x"]["activity"].pk])
    response = login(world.persona(persona)).get(url)
    assert response.status_code == status
    if status == 200:
        assert "张三" in response.content.decode()  # the roll call


@pytest.mark.parametrize(("persona", "status"), [("fiona", 200), ("ivan", 403), ("leo", 403), ("frank", 404)])
def test_only_writers_open_the_edit_form(login, world, records, persona, status):
    url = reverse("partylife:activity_edit", args=[records["branch_x"]["activity"].pk])
    assert login(world.persona(persona)).get(url).status_code == status


@pytest.mark.parametrize("persona", ["ivan", "leo", "harry"])
def test_readers_cannot_record(login, world, persona):
    assert login(world.persona(persona)).get(reverse("partylife:activity_create")).status_code == 403


def test_recording_an_activity_with_a_roll_call(login, world):
    client = login(world.fiona)
    url = reverse("partylife:activity_create") + f"?org={world.branch_x.pk}"
    form = client.get(url)
    assert "张三" in form.content.decode()

    response = client.post(
        url,
        {
            "kind": "theme_day",
            "title": "6月主题党日：重温入党誓词",
            "held_on": "2025-06-18",
            "place": "党员活动室",
            f"member_{world.member_x.pk}": "excused",
        },
    )

    activity = PartyActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "partylife:activity_detail", args=[activity.pk]
    )
    assert activity.org == world.branch_x and activity.recorded_by == world.fiona
    assert activity.attendance.get().status == "excused"


def test_a_future_date_is_refused_and_nothing_is_written(login, world):
    client = login(world.fiona)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("partylife:activity_create") + f"?org={world.branch_x.pk}",
        {
            "kind": "theme_day",
            "title": "未来的会",
            "held_on": tomorrow.isoformat(),
            f"member_{world.member_x.pk}": "present",
        },
    )
    assert response.status_code == 200
    # The message is translated once the zh catalogue holds it; the error sits on the date field either way.
    assert "held_on" in response.context["form"].errors
    assert not PartyActivity.objects.exists()


def test_a_writer_cannot_pick_another_firms_organisation(login, world):
    client = login(world.fiona)
    response = client.post(
        reverse("partylife:activity_create") + f"?org={world.branch_y.pk}",
        {"kind": "theme_day", "title": "冒名", "held_on": "2025-06-01"},
    )
    assert response.status_code == 200  # back to choosing an organisation
    assert not PartyActivity.objects.exists()


def test_editing_an_activity(login, world, records):
    activity = records["branch_x"]["activity"]
    client = login(world.fiona)
    response = client.post(
        reverse("partylife:activity_edit", args=[activity.pk]),
        {
            "kind": "theme_day",
            "title": "改后的标题",
            "held_on": "2025-06-12",
            f"member_{world.member_x.pk}": "absent",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "改后的标题" and activity.attendance.get().status == "absent"


def test_filters_narrow_the_list_and_its_export(login, world, records):
    factories.activity(world.branch_x, kind="lecture", title="五月党课", held_on=date(2025, 5, 8))
    client = login(world.alice)
    page = client.get(reverse("partylife:index"), {"kind": "lecture"}).content.decode()
    assert "五月党课" in page and "星辰汽车党支部六月主题党日" not in page

    export = client.get(reverse("partylife:activity_export"), {"month": "2025-06"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4  # header + three June theme days of zone A
    assert "五月党课" not in {row[3] for row in rows}


def test_export_follows_scope(login, world, records):
    export = login(world.frank).get(reverse("partylife:activity_export"))
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))[1:]
    assert [row[1] for row in rows] == ["云帆电池党支部"]
    assert rows[0][9] == "100%"


def test_the_list_page_query_count_does_not_grow_with_rows(
    login, world, records, django_assert_max_num_queries
):
    for day in range(1, 25):
        factories.activity(
            world.branch_y, held_on=date(2025, 5, day), attendance={world.member_y.pk: "present"}
        )
    client = login(world.alice)
    client.get(reverse("partylife:index"))  # warm the session and caches
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partylife:index"))
    assert len(re.findall(r'href="/party-life/activities/\d+/"', response.content.decode())) == 27


def test_htmx_gets_only_the_table(login, world, records):
    response = login(world.alice).get(
        reverse("partylife:index"), {"kind": "theme_day"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.content.decode() and "activity-table" in response.content.decode()


def test_compliance_page_lists_missed_theme_days_and_exports_them(login, world, records):
    factories.activity(world.branch_x, held_on=date(2025, 7, 1))  # July: only branch X held one
    client = login(world.alice)
    page = client.get(reverse("partylife:compliance"), {"month": "2025-07"}).content.decode()
    assert "云帆电池党支部" in page and "企业服务局党支部" in page
    assert "2025-06-12" in page  # when they last held one

    export = client.get(reverse("partylife:compliance_export"), {"month": "2025-07"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))[1:]
    assert sorted(row[0] for row in rows) == sorted(["云帆电池党支部", "企业服务局党支部"])


def test_compliance_defaults_to_the_latest_month_with_activity(login, world, records):
    response = login(world.alice).get(reverse("partylife:compliance"))
    assert response.context["month_value"] == "2025-06"
    assert response.context["report"].misses == [] and response.context["report"].checked_total == 3


def test_zone_admin_adds_default_rules_and_others_cannot(login, world):
    assert login(world.hannah).post(reverse("partylife:cadence_defaults")).status_code == 403
    assert not CadenceRule.objects.filter(kind="lecture").exists()
    assert login(world.alice).post(reverse("partylife:cadence_defaults")).status_code == 302
    assert CadenceRule.objects.filter(zone=world.zone, kind="lecture", every_months=3).exists()


def test_editing_a_rule_through_the_form(login, world):
    rule = factories.monthly_theme_day_rule(world.zone)
    response = login(world.alice).post(
        reverse("partylife:cadence_edit", args=[rule.pk]),
        {"every_months": "2", "org_kinds": ["branch", "general_branch"], "is_active": "on"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.every_months == 2 and rule.org_kinds == ["branch", "general_branch"]


def test_brand_workflow_through_the_pages(login, world):
    fiona = login(world.fiona)
    response = fiona.post(
        reverse("partylife:brand_create"),
        {
            "org": world.branch_x.pk,
            "name": "链上红心",
            "slogan": "支部建在产业链上",
            "established_year": "2022",
        },
    )
    assert response.status_code == 302
    brand = BranchBrand.objects.get(name="链上红心")
    assert (
        fiona.post(reverse("partylife:brand_name", args=[brand.pk]), {"named_on": "2024-05-01"}).status_code
        == 403
    )

    alice = login(world.alice)
    alice.post(reverse("partylife:brand_name", args=[brand.pk]), {"named_on": "2024-05-01"})
    brand.refresh_from_db()
    assert brand.status == "named"


def test_a_second_active_brand_is_refused_on_the_form(login, world, records):
    response = login(world.fiona).post(
        reverse("partylife:brand_create"),
        {"org": world.branch_x.pk, "name": "又一个", "established_year": "2022"},
    )
    assert response.status_code == 200 and "该支部已有品牌" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("ivan", 403), ("frank", 404), ("fiona", 200)])
def test_brand_edit_follows_write_scope(login, world, records, persona, status):
    url = reverse("partylife:brand_edit", args=[records["branch_x"]["brand"].pk])
    assert login(world.persona(persona)).get(url).status_code == status


@pytest.mark.parametrize("persona", ["hannah", "fiona", "ivan", "leo"])
def test_only_zone_admins_open_rating_forms(login, world, records, persona):
    client = login(world.persona(persona))
    assert client.get(reverse("partylife:rating_create")).status_code == 403
    assert (
        client.get(reverse("partylife:rating_edit", args=[records["branch_x"]["rating"].pk])).status_code
        == 403
    )


def test_zone_admin_rates_a_branch(login, world):
    response = login(world.alice).post(
        reverse("partylife:rating_create"),
        {"org": world.branch_y.pk, "year": "2024", "score": "81.5", "rated_on": "2025-01-10", "note": ""},
    )
    assert response.status_code == 302
    assert BranchRating.objects.get(org=world.branch_y).level == 4


def test_the_party_org_page_shows_party_life(login, world, records):
    services.activity_record(
        actor=None,
        org=world.branch_x,
        kind="lecture",
        title="专题党课",
        held_on=date(2025, 6, 3),
        attendance={world.member_x.pk: "absent"},
    )
    body = login(world.fiona).get(reverse("orgs:party_org_detail", args=[world.branch_x.pk])).content.decode()
    assert 'id="party-life-panel"' in body
    assert "专题党课" in body and "50%" in body  # one of two roll calls present
    assert "星辰汽车党支部品牌" in body and "2024" in body and "92.5" in body
