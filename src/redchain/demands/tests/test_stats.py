"""三率: the definitions on a small known history, scoping, query counts, the pages, the export and the API."""

import datetime as dt
import io
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _

from redchain.demands import services as s
from redchain.demands import stats

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@contextmanager
def at(year, month, day, hour=10, minute=0):
    moment = dt.datetime(year, month, day, hour, minute, tzinfo=SH)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def dispatched(world, when, *, department, enterprise=None, title="用电增容"):
    with at(*when):
        demand = s.demand_submit(
            actor=world.alice,
            zone=world.zone,
            title=title,
            body="新厂房需要增容。",
            enterprise=enterprise or world.firm_x,
        )
        s.demand_accept(actor=world.alice, demand=demand)
        return s.demand_dispatch(
            actor=world.alice, demand=demand, department=department, disposition="immediate"
        )


def handler_of(world, department):
    return world.hannah if department == world.dept_a1 else world.harry


def history(world):
    """March 2025: one demand handled well by A1, one handled late and closed unsolved by A2; one in February."""
    good = dispatched(world, (2025, 3, 3, 10), department=world.dept_a1)
    with at(2025, 3, 3, 10, 30):
        s.assignment_contact(actor=world.hannah, demand=good)
    with at(2025, 3, 4, 15):
        s.demand_reply(actor=world.hannah, demand=good, text="已协调供电公司。")
    with at(2025, 3, 5, 9):
        s.demand_rate(actor=world.fiona, demand=good, level="satisfied")

    late = dispatched(world, (2025, 3, 10, 10), department=world.dept_a2, enterprise=world.firm_y)
    with at(2025, 3, 10, 14):
        s.assignment_contact(actor=world.harry, demand=late)
    with at(2025, 3, 25, 10):
        s.demand_reply(actor=world.harry, demand=late, text="已答复。")
    with at(2025, 3, 27, 10):
        s.demand_close(
            actor=world.alice, demand=late, solved=False, reason="企业未接回访电话，按未解决办结。"
        )

    earlier = dispatched(world, (2025, 2, 10, 10), department=world.dept_a1)
    with at(2025, 2, 10, 10, 20):
        s.demand_reply(actor=world.hannah, demand=earlier, text="已办。")
    with at(2025, 2, 11, 10):
        s.demand_rate(actor=world.fiona, demand=earlier, level="unsatisfied")
    return good, late, earlier


def by_key(rows):
    return {row.key: row for row in rows}


def test_zone_rates_follow_the_documented_definitions(world):
    history(world)
    [row] = stats.rates(user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by="zone")
    assert (row.contacted_on_time, row.contact_due) == (1, 2)
    assert (row.solved, row.closed, row.closed_on_time) == (1, 2, 1)
    assert (row.satisfied, row.rated) == (1, 1)
    assert (row.response_rate, row.resolution_rate, row.satisfaction_rate, row.on_time_rate) == (
        0.5,
        0.5,
        1.0,
        0.5,
    )
    assert row.score == 67.5  # (30 × 0.5 + 35 × 0.5 + 35 × 1) / 100


def test_closed_is_not_solved_and_an_empty_denominator_is_none_with_its_weight_redistributed(world):
    history(world)
    rows = by_key(stats.rates(user=world.leo, zone_id=world.zone.pk, period="2025-03", group_by="department"))
    a1, a2 = rows[world.dept_a1.pk], rows[world.dept_a2.pk]
    assert (a1.response_rate, a1.resolution_rate, a1.satisfaction_rate, a1.score) == (1.0, 1.0, 1.0, 100.0)
    assert a2.resolution_rate == 0.0 and a2.satisfaction_rate is None
    assert a2.score == 0.0  # satisfaction has no ratings: its weight is shared by the other two, both 0


def test_the_february_rating_counts_only_in_february(world):
    history(world)
    rows = by_key(stats.rates(user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by="month"))
    assert len(rows) == 12 and list(rows)[-1] == "2025-03" and list(rows)[0] == "2024-04"
    assert (rows["2025-02"].rated, rows["2025-02"].satisfied) == (1, 0)
    assert rows["2025-02"].satisfaction_rate == 0.0 and rows["2025-03"].satisfaction_rate == 1.0


def test_category_and_alliance_groupings_count_by_top_category_and_member_alliance(world):
    history(world)
    rows = by_key(stats.rates(user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by="alliance"))
    # Only X is in alliance 1; Y (the late one) is in no alliance.
    assert rows[world.alliance1.pk].closed == 1 and rows[world.alliance2.pk].closed == 0
    assert rows[None].closed == 1
    category_rows = stats.rates(
        user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by="category"
    )
    assert [row.key for row in category_rows] == [None] and category_rows[0].closed == 2


def test_weights_come_from_settings(world, settings):
    history(world)
    settings.REDCHAIN_RATE_WEIGHTS = {"response": 1, "on_time": 1}
    [row] = stats.rates(user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by="zone")
    assert row.score == 50.0


def test_handler_sees_only_own_departments_row(world):
    history(world)
    rows = stats.rates(user=world.hannah, zone_id=world.zone.pk, period="2025-03", group_by="department")
    assert [row.key for row in rows] == [world.dept_a1.pk]
    [zone_row] = stats.rates(user=world.hannah, zone_id=world.zone.pk, period="2025-03", group_by="zone")
    assert zone_row.closed == 1  # only the demand A1 led


def test_enterprise_contacts_and_other_zones_get_nothing(world):
    history(world)
    assert stats.rates(user=world.fiona, zone_id=world.zone.pk, period="2025-03", group_by="zone") == []
    assert stats.rates(user=world.zara, zone_id=world.zone.pk, period="2025-03", group_by="zone") == []


def test_bad_period_or_grouping_is_refused(world):
    for period, group in (("2025-13", "zone"), ("2025/03", "zone"), ("", "zone"), ("2025-03", "firm")):
        with pytest.raises(stats.StatsError):
            stats.rates(user=world.alice, zone_id=world.zone.pk, period=period, group_by=group)


@pytest.mark.parametrize("group_by", stats.GROUPS)
def test_query_count_does_not_grow_with_rows(world, group_by):
    history(world)
    stats.rates(
        user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by=group_by
    )  # warm the scope
    with CaptureQueriesContext(connection) as few:
        stats.rates(user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by=group_by)
    for day in range(11, 16):
        demand = dispatched(world, (2025, 3, day, 10), department=world.dept_a2, enterprise=world.firm_z)
        with at(2025, 3, day, 11):
            s.demand_reply(actor=world.harry, demand=demand, text="已办。")
            s.demand_rate(actor=world.alice, demand=demand, level="basically_satisfied")
    with CaptureQueriesContext(connection) as many:
        stats.rates(user=world.alice, zone_id=world.zone.pk, period="2025-03", group_by=group_by)
    assert len(few) == len(many) <= 4


# --- Pages -------------------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client):
    for url in ("/stats/", "/stats/ranking/", "/stats/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["nora", "fiona", "ivan"])
def test_people_without_statistics_rights_get_403(world, login, persona):
    client = login(world.persona(persona))
    for url in ("/stats/", "/stats/ranking/", "/stats/export.xlsx"):
        assert client.get(url).status_code == 403


def test_leader_sees_the_ranking_with_every_department(world, login):
    history(world)
    response = login(world.leo).get("/stats/ranking/?period=2025-03")
    assert response.status_code == 200
    body = response.content.decode()
    assert "企业服务局" in body and "市场监管局" in body and "rates-chart-data" in body
    assert body.index("企业服务局") < body.index("市场监管局")  # 100 points before 0


def test_overview_defaults_to_the_latest_month_with_closures_and_answers_htmx(world, login):
    history(world)
    client = login(world.alice)
    response = client.get("/stats/?group_by=zone")
    assert response.status_code == 200 and response.context["period"] == "2025-03"
    partial = client.get("/stats/?period=2025-03&group_by=month", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content and b"2024-04" in partial.content


def test_handler_page_and_export_hold_only_own_department(world, login):
    history(world)
    client = login(world.hannah)
    page = client.get("/stats/ranking/?period=2025-03").content.decode()
    assert "企业服务局" in page and "市场监管局" not in page
    response = client.get("/stats/export.xlsx?period=2025-03&group_by=department")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    labels = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert labels == ["企业服务局"]


def test_export_has_chinese_headers_and_an_rfc5987_filename(world, login):
    history(world)
    response = login(world.alice).get("/stats/export.xlsx?period=2025-03&group_by=department")
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''" in response["Content-Disposition"]
        and "rates-zone-a-2025-03" in response["Content-Disposition"]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    # The Chinese titles come from the zh-hans catalogue (部门, 响应率, 解决率, 满意率 once it holds them).
    with translation.override("zh-hans"):
        expected = tuple(
            str(_(t)) for t in ("Department", "Response rate", "Resolution rate", "Satisfaction rate")
        )
    assert headers[:4] == expected
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["企业服务局"][1] == 100 and rows["市场监管局"][2] == 0


def test_outside_zone_admin_sees_only_own_zone(world, login):
    history(world)
    response = login(world.zara).get("/stats/?period=2025-03&group_by=department")
    assert response.status_code == 200
    assert "企业服务局" in response.content.decode()  # zone B's own department of that name
    assert all(row.closed == 0 for row in response.context["rows"])


# --- API -------------------------------------------------------------------------------------------------


def test_api_needs_authentication(client):
    assert client.get("/api/v1/stats/rates?period=2025-03").status_code == 401


def test_api_returns_rates_as_fractions(world, login):
    history(world)
    response = login(world.alice).get("/api/v1/stats/rates?period=2025-03&group_by=department")
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == "2025-03" and data["group_by"] == "department"
    items = {item["key"]: item for item in data["items"]}
    assert (
        items[world.dept_a1.pk]["response_rate"] == 1.0
        and items[world.dept_a2.pk]["satisfaction_rate"] is None
    )
    assert items[world.dept_a2.pk]["closed"] == 1


@pytest.mark.parametrize("query", ["period=2025-13", "period=March", "period=2025-03&group_by=firm"])
def test_api_refuses_a_bad_period_or_grouping_with_422(world, login, query):
    assert login(world.alice).get(f"/api/v1/stats/rates?{query}").status_code == 422


def test_api_forbids_enterprise_contacts_and_other_zones(world, login):
    assert login(world.fiona).get("/api/v1/stats/rates?period=2025-03").status_code == 403
    other = login(world.zara).get(f"/api/v1/stats/rates?period=2025-03&zone={world.zone.pk}")
    assert other.status_code == 403


def test_api_gives_handler_only_own_department(world, login):
    history(world)
    data = login(world.hannah).get("/api/v1/stats/rates?period=2025-03&group_by=department").json()
    assert [item["key"] for item in data["items"]] == [world.dept_a1.pk]
