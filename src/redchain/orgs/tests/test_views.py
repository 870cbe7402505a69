"""Org-graph pages, each tested four ways: anonymous, no permission, permission, outside scope."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "dashboards:overview",
    "orgs:enterprise_list",
    "orgs:party_org_tree",
    "orgs:party_member_list",
    "orgs:alliance_list",
    "orgs:matrix",
    "orgs:matrix_data",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", LIST_PAGES)
def test_user_without_membership_gets_403(login, world, name):
    assert login(world.nora).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("persona", ["alice", "leo", "hannah", "ivan", "fiona"])
def test_zone_members_open_every_list_page(login, world, name, persona):
    assert login(world.persona(persona)).get(reverse(name)).status_code == 200


def detail_urls(world):
    return {
        "enterprise": reverse("orgs:enterprise_detail", args=[world.firm_x.pk]),
        "party_org": reverse("orgs:party_org_detail", args=[world.branch_x.pk]),
        "alliance": reverse("orgs:alliance_detail", args=[world.alliance1.pk]),
    }


@pytest.mark.parametrize("kind", ["enterprise", "party_org", "alliance"])
def test_detail_pages_four_ways(client, login, world, kind):
    url = detail_urls(world)[kind]
    assert client.get(url).status_code == 302
    assert login(world.nora).get(url).status_code == 403
    assert login(world.alice).get(url).status_code == 200
    assert login(world.zara).get(url).status_code == 404


def test_enterprise_contact_cannot_open_another_enterprise(login, world):
    client = login(world.fiona)
    assert client.get(reverse("orgs:enterprise_detail", args=[world.firm_x.pk])).status_code == 200
    assert client.get(reverse("orgs:enterprise_detail", args=[world.firm_y.pk])).status_code == 404
    assert client.get(reverse("orgs:party_org_detail", args=[world.branch_y.pk])).status_code == 404


def test_handler_cannot_open_party_orgs_of_enterprises(login, world):
    client = login(world.hannah)
    assert client.get(reverse("orgs:party_org_detail", args=[world.branch_a1.pk])).status_code == 200
    assert client.get(reverse("orgs:party_org_detail", args=[world.branch_x.pk])).status_code == 404


def test_enterprise_list_filters_and_searches_chinese_and_pinyin(login, world):
    client = login(world.alice)
    url = reverse("orgs:enterprise_list")

    def names(**params):
        return [e.name for e in client.get(url, params).context["page"]]

    assert names(q="星辰") == ["星辰汽车有限公司"]
    assert names(q="yfdc") == ["云帆电池有限公司"]  # pinyin initials of 云帆电池
    assert names(chain=world.chain2.pk) == ["智算科技有限公司"]
    assert names(scale="above") == ["星辰汽车有限公司"]
    assert names(qualification="high_tech") == ["星辰汽车有限公司"]
    assert names(segment="upstream") == ["云帆电池有限公司"]


def test_enterprise_list_sorts_by_pinyin(login, world):
    page = login(world.alice).get(reverse("orgs:enterprise_list")).context["page"]
    # xing, yun, zhi: pinyin order, not code-point order (智 < 星 < 云 by code point).
    assert [e.name for e in page] == ["星辰汽车有限公司", "云帆电池有限公司", "智算科技有限公司"]


def test_enterprise_list_htmx_returns_the_table_only(login, world):
    response = login(world.alice).get(reverse("orgs:enterprise_list"), {"q": "星辰"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="enterprise-table"' in body and "<html" not in body


def test_party_member_phone_is_masked_on_pages(login, world):
    body = login(world.alice).get(reverse("orgs:party_member_list")).content.decode()
    assert "138****1111" in body and "13800001111" not in body


def test_tree_counts_branches_and_members_per_subtree(login, world):
    roots = login(world.alice).get(reverse("orgs:party_org_tree")).context["roots"]
    assert len(roots) == 1
    committee = roots[0]
    assert committee.branch_count == 3 and committee.member_count == 2


def test_scoped_user_sees_own_subtree_as_root(login, world):
    roots = login(world.fiona).get(reverse("orgs:party_org_tree")).context["roots"]
    assert [node.org.name for node in roots] == ["星辰汽车党支部"]


def test_matrix_data_has_core_alliances_and_members(login, world):
    graph = login(world.hannah).get(reverse("orgs:matrix_data")).json()
    names = [n["name"] for n in graph["nodes"]]
    assert names[0] == "甲开发区党工委"
    assert "新能源汽车党建联盟" in names and "星辰汽车有限公司" in names
    assert "乙区新能源联盟" not in names
    assert len(graph["links"]) == len(graph["nodes"]) - 1


def test_alliance_roster_links_only_enterprises_in_scope(login, world):
    body = login(world.frank).get(reverse("orgs:alliance_detail", args=[world.alliance1.pk])).content.decode()
    assert "星辰汽车有限公司" in body
    assert reverse("orgs:enterprise_detail", args=[world.firm_x.pk]) not in body


def test_zone_switch_refuses_a_zone_outside_scope(login, world):
    response = login(world.alice).post(reverse("accounts:zone_switch"), {"zone": world.other_zone.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["orgs:enterprise_list", "orgs:party_member_list", "dashboards:overview"])
def test_list_pages_run_a_constant_number_of_queries(login, world, django_assert_max_num_queries, name):
    client = login(world.alice)
    client.get(reverse(name))  # warm the session and the scope
    with django_assert_max_num_queries(14):
        client.get(reverse(name))
