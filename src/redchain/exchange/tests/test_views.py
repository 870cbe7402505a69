"""The exchange pages, four ways: anonymous, without membership, with permission, outside scope."""

import pytest
from django.urls import reverse

from redchain.exchange.models import Match, Need
from redchain.exchange.tests import factories as fx

pytestmark = pytest.mark.django_db

LISTS = [
    "exchange:index",
    "exchange:need_list",
    "exchange:resource_list",
    "exchange:match_list",
    "exchange:project_list",
    "exchange:need_export",
    "exchange:resource_export",
    "exchange:match_export",
    "exchange:project_export",
]


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_is_sent_to_login_and_nora_gets_403(client, login, world, name):
    assert client.get(reverse(name)).status_code == 302
    assert login(world.nora).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("persona", ["alice", "hannah", "ivan", "fiona", "frank"])
def test_alliance_readers_see_the_alliance_need_and_harry_does_not(login, world, persona):
    fx.need(world)
    body = login(world.persona(persona)).get(reverse("exchange:need_list")).content.decode()
    assert "联合采购动力电池电芯" in body


def test_department_outside_the_alliance_and_zone_b_see_nothing(login, world):
    need = fx.need(world)
    for outsider in (world.harry, world.zara):
        client = login(outsider)
        assert "联合采购动力电池电芯" not in client.get(reverse("exchange:need_list")).content.decode()
        assert client.get(reverse("exchange:need_detail", args=[need.pk])).status_code == 404


def test_zone_b_need_is_404_to_zone_a(login, world):
    need = fx.zone_b_need(world)
    assert login(world.alice).get(reverse("exchange:need_detail", args=[need.pk])).status_code == 404


def test_another_firms_contact_phone_is_masked(login, world):
    need = fx.need(world)
    body = login(world.frank).get(reverse("exchange:need_detail", args=[need.pk])).content.decode()
    assert "13811112222" not in body and "138****2222" in body
    assert (
        "13811112222"
        in login(world.fiona).get(reverse("exchange:need_detail", args=[need.pk])).content.decode()
    )


def test_firms_see_only_their_own_matches(login, world):
    match = fx.proposed(world)
    assert login(world.frank).get(reverse("exchange:match_detail", args=[match.pk])).status_code == 200
    # Firm Z's contact would not see it; ivan (instructor) and hannah (department in the alliance) do.
    for persona in ("ivan", "hannah", "alice"):
        assert (
            login(world.persona(persona)).get(reverse("exchange:match_detail", args=[match.pk])).status_code
            == 200
        )
    assert login(world.harry).get(reverse("exchange:match_detail", args=[match.pk])).status_code == 404


def test_contact_posts_a_need_through_the_form(login, world):
    client = login(world.fiona)
    response = client.post(
        reverse("exchange:need_create"),
        {
            "owner": f"e:{world.firm_x.pk}",
            "alliance": world.alliance1.pk,
            "kind": "procurement",
            "title": "联合采购钢材",
            "description": "采购钢材。",
            "valid_until": "2099-01-01",
        },
    )
    need = Need.objects.get()
    assert response.status_code == 302 and need.posted_by == world.fiona


def test_bad_form_input_shows_a_chinese_error_and_writes_nothing(login, world):
    response = login(world.fiona).post(
        reverse("exchange:need_create"),
        {
            "owner": f"e:{world.firm_x.pk}",
            "alliance": world.alliance1.pk,
            "kind": "procurement",
            "title": "x",
            "description": "y",
            "valid_until": "2000-01-01",
        },
    )
    assert response.status_code == 400
    assert "有效期不能早于发布日期" in response.content.decode()
    assert not Need.objects.exists()


def test_a_contact_cannot_offer_another_firm_as_owner(login, world):
    response = login(world.frank).post(
        reverse("exchange:need_create"),
        {
            "owner": f"e:{world.firm_x.pk}",
            "kind": "procurement",
            "title": "x",
            "description": "y",
            "valid_until": "2099-01-01",
        },
    )
    assert response.status_code == 400 and not Need.objects.exists()


def test_the_whole_match_journey_through_the_pages(login, world):
    fx.resource(world)
    need = fx.need(world)
    assert login(world.fiona).post(reverse("exchange:need_propose", args=[need.pk])).status_code == 302
    match = Match.objects.get()
    login(world.fiona).post(reverse("exchange:match_accept", args=[match.pk]))
    login(world.frank).post(reverse("exchange:match_accept", args=[match.pk]))
    response = login(world.fiona).post(
        reverse("exchange:match_close", args=[match.pk]),
        {"result": "节约35万元", "saved_wan": "35", "deal_value_wan": ""},
    )
    assert response.status_code == 302
    assert Match.objects.get().status == "closed"


def test_harry_cannot_accept_a_match_he_cannot_see(login, world):
    match = fx.proposed(world)
    assert login(world.harry).post(reverse("exchange:match_accept", args=[match.pk])).status_code == 404
    assert Match.objects.get().need_accepted_on is None


def test_proposals_awaiting_the_user_show_on_the_board(login, world):
    fx.proposed(world)
    assert 'id="awaiting"' in login(world.frank).get(reverse("exchange:index")).content.decode()
    assert 'id="awaiting"' not in login(world.harry).get(reverse("exchange:index")).content.decode()


def test_export_holds_the_same_rows_as_the_page(login, world):
    fx.need(world)
    fx.zone_b_need(world)
    response = login(world.alice).get(reverse("exchange:need_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "联合采购动力电池电芯"


def test_need_list_query_count_is_constant(login, world, django_assert_max_num_queries):
    client = login(world.alice)
    for i in range(12):
        fx.need(world, title=f"需求{i}")
    with django_assert_max_num_queries(12):
        client.get(reverse("exchange:need_list"))


def test_panels_on_the_alliance_and_enterprise_pages(login, world):
    fx.accepted(world)
    alliance_page = (
        login(world.ivan).get(reverse("orgs:alliance_detail", args=[world.alliance1.pk])).content.decode()
    )
    assert "exchange-alliance-panel" in alliance_page
    firm_page = (
        login(world.fiona).get(reverse("orgs:enterprise_detail", args=[world.firm_x.pk])).content.decode()
    )
    assert "exchange-panel" in firm_page and "联合采购动力电池电芯" in firm_page


def test_instructor_adds_a_project_through_the_form(login, world):
    client = login(world.ivan)
    response = client.post(
        reverse("exchange:project_create", args=[world.alliance1.pk]),
        {"title": "人才实训基地", "status": "planned", "investment_wan": "120"},
    )
    assert response.status_code == 302
    assert (
        login(world.fiona).get(reverse("exchange:project_create", args=[world.alliance1.pk])).status_code
        == 404
    )


def test_feedback_form_creates_an_alliance_demand(login, world):
    response = login(world.fiona).post(
        reverse("exchange:feedback_create"),
        {
            "alliance": world.alliance1.pk,
            "enterprise": world.firm_x.pk,
            "title": "物流通道拥堵",
            "body": "请协调。",
        },
    )
    assert response.status_code == 302 and "/demands/" in response["Location"]


def test_the_alliance_page_shows_how_its_feedback_was_solved(login, world):
    """反馈沟通制: feedback raised in the alliance becomes an ``alliance`` demand, and once the loop has closed
    it, the alliance page shows its status, that it was solved, the rating and the days it took."""
    from redchain.demands import services as loop
    from redchain.demands.models import Demand

    response = login(world.fiona).post(
        reverse("exchange:feedback_create"),
        {
            "alliance": world.alliance1.pk,
            "enterprise": world.firm_x.pk,
            "title": "物流通道拥堵",
            "body": "请协调。",
        },
    )
    demand = Demand.objects.get(title="物流通道拥堵")
    assert response["Location"] == reverse("demands:detail", args=[demand.pk])
    assert (demand.channel, demand.alliance, demand.enterprise) == ("alliance", world.alliance1, world.firm_x)

    page = reverse("orgs:alliance_detail", args=[world.alliance1.pk])

    def feedback_row() -> list[str]:
        body = login(world.ivan).get(page).content.decode()
        table = body.split('id="alliance-feedback"')[1].split("</table>")[0]
        row = table.split("物流通道拥堵")[1].split("</tr>")[0]
        return [cell.split("</td>")[0].strip() for cell in row.split("<td>")[1:]]

    assert feedback_row()[1:] == ["—", "—", "—"]  # not solved yet, not rated, still open

    loop.demand_accept(actor=world.alice, demand=demand)
    loop.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")
    loop.demand_reply(actor=world.hannah, demand=demand, text="已协调交警部门疏导。")
    loop.demand_rate(actor=world.fiona, demand=demand, level="satisfied")

    assert feedback_row() == ["已办结", "是", "满意", "0"]
    # Harry's department is no member of the alliance and did not handle it: the row is not his to see.
    assert "物流通道拥堵" not in login(world.harry).get(page).content.decode()
