"""The demands sections of the 一企一档 page and the alliance page, each reader seeing only their demands."""

import pytest

from redchain.demands import services as s

pytestmark = pytest.mark.django_db


def _demand(world, *, enterprise, title, alliance=None, solve=False):
    demand = s.demand_submit(
        actor=world.alice, zone=world.zone, title=title, body="详情", enterprise=enterprise, alliance=alliance
    )
    if solve:
        s.demand_accept(actor=world.alice, demand=demand)
        s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")
        s.demand_reply(actor=world.hannah, demand=demand, text="已解决")
        s.demand_rate(actor=world.alice, demand=demand, level="satisfied")
    return demand


def test_the_enterprise_page_lists_its_demands_with_totals(world, login):
    _demand(world, enterprise=world.firm_x, title="用电增容", solve=True)
    _demand(world, enterprise=world.firm_x, title="招工难")
    _demand(world, enterprise=world.firm_y, title="别家的诉求")
    body = login(world.alice).get(f"/orgs/enterprises/{world.firm_x.pk}/").content.decode()
    assert (
        'id="demands-panel"' in body and "用电增容" in body and "招工难" in body and "别家的诉求" not in body
    )
    assert "共 2 条诉求" in body or "2 demands in all" in body


def test_a_handler_sees_on_the_enterprise_page_only_demands_of_their_department(world, login):
    _demand(world, enterprise=world.firm_x, title="用电增容", solve=True)
    _demand(world, enterprise=world.firm_x, title="未派单的诉求")
    body = login(world.hannah).get(f"/orgs/enterprises/{world.firm_x.pk}/").content.decode()
    assert "用电增容" in body and "未派单的诉求" not in body
    harry = login(world.harry).get(f"/orgs/enterprises/{world.firm_x.pk}/").content.decode()
    assert 'id="demands-panel"' not in harry  # nothing of his department's: no empty section


def test_the_alliance_page_counts_the_chains_demands_and_those_solved_with_its_help(world, login):
    _demand(world, enterprise=world.firm_y, title="链上企业诉求", solve=True)
    _demand(world, enterprise=world.firm_x, title="联盟反馈", alliance=world.alliance1, solve=True)
    _demand(world, enterprise=world.firm_x, title="还在办")
    _demand(world, enterprise=world.firm_z, title="另一条链")
    client = login(world.alice)
    client.cookies["django_language"] = "en"
    body = " ".join(client.get(f"/orgs/alliances/{world.alliance1.pk}/").content.decode().split())
    assert "the chain's enterprises raised 3 demands; 2 are closed and 2 solved" in body
    assert "1 came in or were coordinated through the alliance, and 1 of them were solved" in body
