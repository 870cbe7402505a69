"""党建成效: work next to outcomes, per alliance, enterprise party organisation and pairing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from redchain.dashboards import outcomes as o
from redchain.demands import services as ds
from redchain.mechanisms.tests import factories as mf
from redchain.orgs import services as org_services
from redchain.partylife.tests import factories as pf
from redchain.taskforces.tests import factories as tf
from redchain.visits.tests.factories import make_visit

EVER = o.Window(dt.date(2000, 1, 1), dt.date(2100, 1, 1))


def demand_of(world, contact, firm, *, solved: bool, level: str | None = None):
    """A demand of ``firm`` played to its end: rated by the contact, or closed by the zone."""
    demand = ds.demand_submit(actor=contact, zone=world.zone, title="用电增容", body="增容", enterprise=firm)
    ds.demand_accept(actor=world.alice, demand=demand)
    ds.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")
    demand = ds.demand_reply(actor=world.hannah, demand=demand, text="已协调解决。")
    if level is not None:
        return ds.demand_rate(actor=contact, demand=demand, level=level)
    return ds.demand_close(actor=world.alice, demand=demand, solved=solved, reason="电话回访无人接听")


def rows_by_key(table: o.Outcomes) -> dict[int, o.OutcomeRow]:
    return {row.key: row for row in table.rows}


@pytest.fixture
def busy(world):
    """Alliance 1 (firm X) meets, visits and solves; firm Y (no alliance) has an unsolved demand."""
    mf.held(world.alliance1)
    mf.activity(world.alliance1)
    make_visit(visitor=world.hannah, enterprise=world.firm_x)
    make_visit(visitor=world.hannah, enterprise=world.firm_x, days_ago=3)
    demand_of(world, world.fiona, world.firm_x, solved=True, level="satisfied")
    demand_of(world, world.frank, world.firm_y, solved=False)
    return world


def test_an_alliance_row_counts_its_work_and_its_member_firms_outcomes(busy):
    table = o.outcomes(user=busy.alice, zone_id=busy.zone.pk, kind="alliance", window=EVER)
    rows = rows_by_key(table)

    one, two = rows[busy.alliance1.pk], rows[busy.alliance2.pk]
    assert one.enterprise_ids == {busy.firm_x.pk}
    assert one.work == {"meetings": 1, "activities": 1, "matches": 0, "visits": 2, "suggestions": 0}
    assert (one.demands, one.closed, one.solved, one.rated, one.satisfied) == (1, 1, 1, 1, 1)
    assert (one.resolution_rate, one.satisfaction_rate) == (1.0, 1.0)
    assert two.enterprise_ids == {busy.firm_z.pk} and two.work_total == 0
    assert two.resolution_rate is None  # nothing closed: no rate, not 0 %
    assert table.rows[0].key == busy.alliance1.pk  # the busiest first
    assert busy.other_alliance.pk not in rows  # zone B stays out


def test_a_branch_row_shows_its_party_life_and_its_own_firms_demands(busy):
    pf.activity(busy.branch_x)
    tf.implemented(busy.branch_x, benefit_wan=12)
    table = o.outcomes(user=busy.alice, zone_id=busy.zone.pk, kind="branch", window=EVER)
    rows = rows_by_key(table)

    x, y = rows[busy.branch_x.pk], rows[busy.branch_y.pk]
    assert x.work == {"activities": 1, "suggestions": 1, "task_forces": 0, "visits": 2}
    assert x.benefit_wan == 12 and x.resolution_rate == 1.0
    assert y.work_total == 0 and (y.closed, y.solved, y.resolution_rate) == (1, 0, 0.0)
    assert busy.branch_a1.pk not in rows  # a department's branch owns no firm


def test_a_firms_groups_count_for_its_top_organisation_and_get_no_row_of_their_own(busy):
    group = org_services.party_org_create(
        actor=None,
        zone=busy.zone,
        parent=busy.branch_x,
        name="焊装车间党小组",
        kind="group",
        owner_kind="enterprise",
        owner_enterprise=busy.firm_x,
    )
    pf.activity(group)
    pf.activity(busy.branch_x)
    rows = rows_by_key(o.outcomes(user=busy.alice, zone_id=busy.zone.pk, kind="branch", window=EVER))

    assert group.pk not in rows
    assert rows[busy.branch_x.pk].work["activities"] == 2
    assert rows[busy.branch_x.pk].demands == 1  # firm X's demand, counted once


def test_the_comparison_pools_the_busier_and_the_quieter_half(busy):
    table = o.outcomes(user=busy.alice, zone_id=busy.zone.pk, kind="branch", window=EVER)

    # Branch X (work: two visits) is above the median of {2, 0}; branch Y is not.
    assert table.median_work == 1
    assert (table.busier.units, table.busier.resolution_rate) == (1, 1.0)
    assert (table.quieter.units, table.quieter.closed, table.quieter.resolution_rate) == (1, 1, 0.0)


def test_the_window_leaves_out_what_happened_outside_it(busy):
    today = timezone.localdate()
    window = o.Window(today - dt.timedelta(days=2), today)
    row = rows_by_key(o.outcomes(user=busy.alice, zone_id=busy.zone.pk, kind="alliance", window=window))[
        busy.alliance1.pk
    ]
    assert row.work["visits"] == 1  # the visit of three days ago is outside
    assert row.work["meetings"] == 0  # last year's meeting too
    assert row.demands == 1  # today's demand is in


def test_a_pairing_with_a_partner_firm_shows_its_outcomes(busy):
    from redchain.pairings.tests import factories as paf

    pairing = paf.pairing(busy, partner_kind="enterprise", partner_name="", partner_enterprise=busy.firm_x)
    row = rows_by_key(o.outcomes(user=busy.alice, zone_id=busy.zone.pk, kind="pairing", window=EVER))[
        pairing.pk
    ]
    assert row.enterprise_ids == {busy.firm_x.pk} and row.resolution_rate == 1.0


def test_readers_other_than_the_zone_leadership_get_an_empty_table(busy):
    for user in (busy.hannah, busy.ivan, busy.fiona, busy.nora, busy.zara):
        assert o.outcomes(user=user, zone_id=busy.zone.pk, kind="alliance", window=EVER).rows == []


def test_the_query_count_does_not_grow_with_the_units(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            o.outcomes(user=world.alice, zone_id=world.zone.pk, kind="alliance", window=EVER)
        return len(captured)

    queries()  # the first call also computes the user's scope, which is then cached
    before = queries()
    for code in ("a", "b", "c"):
        chain = org_services.chain_create(actor=None, zone=world.zone, name=f"链{code}", code=code)
        org_services.alliance_create(actor=None, zone=world.zone, chain=chain, name=f"链{code}联盟")
    assert queries() == before


def test_unknown_kinds_and_reversed_windows_are_refused(world):
    with pytest.raises(o.OutcomeError):
        o.outcomes(user=world.alice, zone_id=world.zone.pk, kind="village", window=EVER)
    with pytest.raises(o.OutcomeError):
        o.outcomes(
            user=world.alice, zone_id=world.zone.pk, kind="alliance", window=o.Window(EVER.until, EVER.since)
        )


# --- pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "leo"])
def test_the_zone_leadership_opens_the_page_and_the_export(client, busy, persona):
    client.force_login(busy.persona(persona))
    page = client.get("/outcomes/?per=alliance&since=2000-01-01&until=2100-01-01")
    assert page.status_code == 200
    assert (
        busy.alliance1.name in page.content.decode() and busy.other_alliance.name not in page.content.decode()
    )

    export = client.get("/outcomes/export.xlsx?per=branch&since=2000-01-01&until=2100-01-01")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[busy.branch_y.name][-5] == 0.0  # resolution rate (%) of firm Y's unsolved demand


@pytest.mark.parametrize("persona", ["hannah", "ivan", "fiona"])
def test_everybody_else_in_the_zone_gets_403(client, busy, persona):
    client.force_login(busy.persona(persona))
    assert client.get("/outcomes/").status_code == 403
    assert client.get("/outcomes/export.xlsx").status_code == 403


@pytest.mark.parametrize("path", ["/outcomes/", "/outcomes/export.xlsx"])
def test_anonymous_goes_to_login_and_a_user_without_zone_gets_403(client, busy, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(busy.nora)
    assert client.get(path).status_code == 403


def test_zone_b_sees_only_its_own_units(client, busy):
    client.force_login(busy.zara)
    body = client.get("/outcomes/?since=2000-01-01&until=2100-01-01").content.decode()
    assert busy.other_alliance.name in body and busy.alliance1.name not in body
    export = client.get("/outcomes/export.xlsx?per=alliance&since=2000-01-01&until=2100-01-01")
    names = {
        row[0]
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)
    }
    assert names == {busy.other_alliance.name}


def test_a_malformed_window_falls_back_to_the_default_year(client, busy):
    client.force_login(busy.alice)
    page = client.get("/outcomes/?since=yesterday&until=2001-13-45")
    assert page.status_code == 200
    assert page.context["table"].window == o.default_window(zone_id=busy.zone.pk)


def test_the_alliance_page_shows_the_panel_to_the_leadership_only(client, busy):
    url = f"/orgs/alliances/{busy.alliance1.pk}/"
    client.force_login(busy.alice)
    assert 'id="outcome-panel"' in client.get(url).content.decode()
    client.force_login(busy.ivan)
    page = client.get(url)
    assert page.status_code == 200 and 'id="outcome-panel"' not in page.content.decode()


def test_an_enterprise_branch_page_has_the_panel_and_a_department_branch_not(client, busy):
    client.force_login(busy.alice)
    assert 'id="outcome-panel"' in client.get(f"/orgs/party-orgs/{busy.branch_x.pk}/").content.decode()
    assert 'id="outcome-panel"' not in client.get(f"/orgs/party-orgs/{busy.branch_a1.pk}/").content.decode()
