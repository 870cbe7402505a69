"""Routing once in a real browser: a dispatcher opens an accepted demand, sees the suggested lead department
and category, takes them with one click, and the accuracy page counts the suggestion as accepted.

The journey's demo zone has too few closed demands to train a router, so the suggestions come from the
departments' responsibility keywords (职责清单), as they would in a new zone. Leaves test-results/routing-*.png.
"""

from __future__ import annotations

from playwright.sync_api import expect
from test_demand_journey import open_demand, sign_in_as, submit_demand, take_step


def test_dispatcher_takes_the_suggested_routing_and_the_accuracy_page_counts_it(page, demo_zone, screenshot):
    sign_in_as(page, "firm1")
    code = submit_demand(
        page,
        "企业招工难，申请用工对接",
        "新生产线缺少熟练技工三十名，希望协助招聘和职业技能培训对接。",
        "13800002222",
    )

    sign_in_as(page, "zone-admin")
    open_demand(page, code)
    take_step(page, "accept")
    page.locator("#action-dispatch summary").click()  # the suggestions sit above the dispatch form
    suggestions = page.locator("#routing-suggestions")
    expect(suggestions).to_be_visible()
    suggested = suggestions.locator("li").first.inner_text()
    screenshot("routing-1-suggestions")

    page.locator("#accept-suggestion").click()
    page.wait_for_load_state()
    dispatch = page.locator("#action-dispatch")
    expect(dispatch).to_have_attribute("open", "")  # the page comes back with the form open and filled in
    department = dispatch.locator("select[name=department] option:checked").inner_text().strip()
    assert department and department in suggested
    dispatch.locator("select[name=disposition]").select_option("immediate")
    dispatch.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#assignments")).to_contain_text(department)

    page.goto("/routing/accuracy/")
    decided = page.locator("#accuracy-department tbody tr").first.locator("td")
    expect(decided.nth(2)).to_have_text("1")  # decided
    expect(decided.nth(3)).to_have_text("100%")  # accepted as suggested
    screenshot("routing-2-accuracy")
