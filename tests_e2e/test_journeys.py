"""The pages that matter, once each in a real browser: sign in, the zone overview, the 一核多堡 graph,
switching language, and searching the enterprise list in Chinese.

Each journey leaves a full-page screenshot in test-results/ for a person to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import expect

VENDORED_ASSETS = ["vendor/pico/pico.min.css", "vendor/htmx/htmx.min.js", "vendor/echarts/echarts.min.js"]
CATALOGUE_MO = Path(__file__).resolve().parent.parent / "src/redchain/locale/zh_Hans/LC_MESSAGES/django.mo"


def test_health_check_answers_the_browser(page):
    response = page.goto("/healthz")

    assert response.status == 200
    assert json.loads(page.locator("body").inner_text())["status"] == "ok"


def test_vendored_assets_are_served(page):
    # Every page needs these; a 404 here explains an unstyled page, a missing chart or a dead search box.
    for path in VENDORED_ASSETS:
        response = page.request.get(f"/static/{path}")
        assert response.status == 200, f"/static/{path} answered {response.status}"


def test_login_page_shows_the_sign_in_form(page, screenshot):
    page.goto("/accounts/login/")

    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("form:has(input[name=password]) [type=submit]")).to_be_enabled()
    # Assets are vendored and served by the app itself; a broken path would leave the page unstyled.
    assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--pico-font-family').length > 0")
    screenshot("01-login")


def test_zone_admin_lands_on_the_zone_overview(signed_in_page, demo_zone, screenshot):
    page = signed_in_page

    expect(page.locator("#zone-overview")).to_be_visible()
    expect(page.locator(".zone-name")).to_have_text(demo_zone.zone_name)
    screenshot("02-zone-overview")


def test_matrix_draws_the_committee_alliances_and_members(signed_in_page, screenshot):
    page = signed_in_page
    page.goto("/orgs/matrix/")

    # ECharts draws into a canvas it adds to the container; the data arrives by a second request.
    expect(page.locator("#matrix-chart canvas").first).to_be_attached()
    page.wait_for_function(
        "() => { const chart = echarts.getInstanceByDom(document.getElementById('matrix-chart'));"
        " return Boolean(chart && chart.getOption().series && chart.getOption().series.length); }"
    )
    nodes = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('matrix-chart')).getOption().series[0].data.length"
    )
    # The working committee, the demo zone's seven alliances, and at least one member unit.
    assert nodes > 8
    screenshot("03-matrix")


def test_language_switch_turns_the_pages_english_and_back(signed_in_page, screenshot):
    page = signed_in_page
    language = page.locator("#language-switch select[name=language]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    language.select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".main-nav")).to_contain_text("Enterprises")
    screenshot("04-overview-english")

    language.select_option("zh-hans")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # The Chinese labels come with the compiled catalogue; once it is committed this check always runs.
    if CATALOGUE_MO.exists():
        expect(page.locator(".main-nav")).to_contain_text("企业")


def test_enterprise_search_filters_by_chinese_text(signed_in_page, demo_zone, screenshot):
    page = signed_in_page
    page.goto("/orgs/enterprises/")
    rows = page.locator("#enterprise-table tbody tr")
    expect(rows.first).to_be_visible()
    screenshot("05-enterprises")

    search = page.locator("input[name=q]")
    search.fill(demo_zone.search_term)
    # The list reloads through htmx on a key press in the box; End moves the cursor and changes nothing.
    search.press("End")

    expect(rows.filter(has_not_text=demo_zone.search_term)).to_have_count(0)
    expect(rows).to_have_count(demo_zone.search_matches)
    expect(page).to_have_url(re.compile(r"[?&]q="))
    screenshot("06-enterprises-search")


def test_pages_fit_a_phone_screen(signed_in_page, screenshot):
    """Staff log visits on site: the overview and the enterprise list must not scroll sideways on a phone."""
    page = signed_in_page
    page.set_viewport_size({"width": 390, "height": 844})

    for path, name in [("/", "07-overview-phone"), ("/orgs/enterprises/", "08-enterprises-phone")]:
        page.goto(path)
        screenshot(name)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone screen"


def test_the_party_work_menu_leads_to_party_work_and_results(signed_in_page, screenshot):
    page = signed_in_page

    page.locator("#nav-party-work summary").click()
    page.locator("#nav-outcomes").click()

    page.wait_for_url(re.compile(r"/outcomes/$"))
    # One row for each of the demo zone's seven alliances, with the comparison above the table.
    expect(page.locator("#outcomes-table tbody tr")).to_have_count(7)
    expect(page.locator("#outcome-comparison")).to_be_visible()
    page.locator(".stats-tabs a").nth(1).click()
    expect(page.locator("#outcomes-table tbody tr").first).to_be_visible()
    screenshot("07-party-work-and-results")
