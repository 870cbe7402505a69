"""The leaders' dashboard pages: the overview's panels, the wall screen, the late and due-soon lists and the
panel exports — tested four ways, in both languages, with a query-count guard."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redchain.demands.tests.test_stats import at, dispatched, history

pytestmark = pytest.mark.django_db
PAGES = (
    "/stats/?period=2025-03",
    "/stats/wall/?period=2025-03",
    "/stats/orders/overdue/",
    "/stats/orders/due_soon/",
    "/stats/orders/overdue/?format=xlsx",
    "/stats/export/trend.xlsx?period=2025-03",
    "/stats/export/categories.xlsx?period=2025-03",
    "/stats/export/channels.xlsx?period=2025-03",
)


def test_anonymous_visitor_is_sent_to_login(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("persona", ["nora", "fiona", "ivan"])
def test_people_without_statistics_rights_get_403(world, login, persona):
    client = login(world.persona(persona))
    for url in PAGES:
        assert client.get(url).status_code == 403, url


def test_unknown_lists_and_tables_are_404(world, login):
    client = login(world.alice)
    assert client.get("/stats/orders/late/").status_code == 404
    assert client.get("/stats/export/secrets.xlsx").status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_overview_shows_change_trend_heat_map_and_channels(world, login, language):
    history(world)
    client = login(world.alice)
    client.cookies["django_language"] = language
    body = client.get("/stats/?period=2025-03&group_by=department").content.decode()
    for fragment in ("trend-chart-data", "heat-chart-data", "channel-chart-data", "categories-table"):
        assert fragment in body
    month_on_month = "较上月" if language == "zh-hans" else "Month on month"
    assert month_on_month in body


def test_the_wall_screen_shows_the_headline_and_refreshes_itself_until_paused(world, login):
    history(world)
    response = login(world.leo).get("/stats/wall/?period=2025-03")
    body = response.content.decode()
    # A script reloads it every minute; a meta refresh could not be paused (WCAG 2.2.1, axe's meta-refresh).
    assert response.status_code == 200 and 'data-seconds="60"' in body and 'id="wall-pause"' in body
    assert 'http-equiv="refresh"' not in body
    assert response.context["headline"].closed == 2 and "wall-ranking" in body


def test_dashboard_pages_run_a_constant_number_of_queries(world, login):
    history(world)
    client = login(world.alice)
    counts = []
    for extra in range(2):
        for number in range(5 * extra):
            dispatched(
                world, (2025, 3, 12 + number % 3, 10), department=world.dept_a2, title=f"更多 {number}"
            )
        for url in ("/stats/?period=2025-03", "/stats/wall/?period=2025-03", "/stats/orders/overdue/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:3] == counts[3:], counts


def test_a_handler_sees_only_own_departments_late_orders(world, login):
    with at(2025, 3, 3, 10):
        pass
    mine = dispatched(world, (2025, 3, 3, 10), department=world.dept_a1, title="我部门的逾期")
    theirs = dispatched(world, (2025, 3, 3, 10), department=world.dept_a2, title="别的部门的逾期")
    body = login(world.hannah).get("/stats/orders/overdue/").content.decode()
    assert mine.title in body and theirs.title not in body
    everything = login(world.alice).get("/stats/orders/overdue/").content.decode()
    assert mine.title in everything and theirs.title in everything
    other_zone = login(world.zara).get("/stats/orders/overdue/").content.decode()
    assert mine.title not in other_zone


def test_panel_exports_hold_the_tables_with_chinese_headers(world, login):
    history(world)
    client = login(world.hannah)
    response = client.get("/stats/export/channels.xlsx?period=2025-03")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "渠道" and rows[1][-1] == "合计"
    portal = next(row for row in rows[2:] if row[0] == "企业网上诉求")
    assert portal[-1] == 2  # hannah's department received two work orders, both from the portal
    late = client.get("/stats/orders/overdue/?format=xlsx")
    assert late.status_code == 200 and "filename*=UTF-8''" in late["Content-Disposition"]


# --- API -------------------------------------------------------------------------------------------------

API = (
    "/api/v1/stats/trend?period=2025-03",
    "/api/v1/stats/volume?period=2025-03",
    "/api/v1/stats/orders/overdue",
)


def test_api_needs_authentication_and_statistics_rights(client, world, login):
    for url in API:
        assert client.get(url).status_code == 401, url
    for url in API:
        assert login(world.fiona).get(url).status_code == 403, url
        assert (
            login(world.zara).get(f"{url}{'&' if '?' in url else '?'}zone={world.zone.pk}").status_code == 403
        )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stats/trend?group_by=firm",
        "/api/v1/stats/trend?months=0",
        "/api/v1/stats/volume?by=department",
        "/api/v1/stats/volume?period=2025-13",
        "/api/v1/stats/orders/late",
        "/api/v1/stats/orders/overdue?limit=0",
    ],
)
def test_api_refuses_bad_parameters_with_422(world, login, url):
    assert login(world.alice).get(url).status_code == 422


def test_api_trend_and_change_match_the_month_by_month_rates(world, login):
    history(world)
    client = login(world.alice)
    trend = client.get("/api/v1/stats/trend?period=2025-03&group_by=department&months=2").json()
    assert trend["months"] == ["2025-02", "2025-03"]
    rates = client.get("/api/v1/stats/rates?period=2025-03&group_by=department").json()["items"]
    a1 = next(item for item in trend["items"] if item["key"] == world.dept_a1.pk)
    rate_a1 = next(item for item in rates if item["key"] == world.dept_a1.pk)
    assert a1["months"][1]["resolution_rate"] == rate_a1["resolution_rate"] == 1.0
    assert rate_a1["mom"]["satisfaction_rate"] == 100.0  # 0 % in February (unsatisfied), 100 % in March


def test_api_lists_only_the_handlers_late_work_orders(world, login):
    mine = dispatched(world, (2025, 3, 3, 10), department=world.dept_a1, title="我部门的逾期")
    dispatched(world, (2025, 3, 3, 10), department=world.dept_a2, title="别的部门的逾期")
    orders = login(world.hannah).get("/api/v1/stats/orders/overdue").json()
    assert [order["demand"] for order in orders] == [mine.pk]
    volume = login(world.hannah).get("/api/v1/stats/volume?by=channel&period=2025-03").json()
    assert volume["measure"] == "received" and sum(item["total"] for item in volume["items"]) == 1
