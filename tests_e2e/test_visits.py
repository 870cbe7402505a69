"""The walking office on a phone (390 × 844), in the demo zone: handler1 logs a visit to a firm, adds the problem
found there, turns it into a demand with one tap, and the demand's page says which visit found it.

Leaves test-results/visits-*.png for a person to look at.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "redchain-demo"  # noqa: S105 - the published demo password
PHONE = {"width": 390, "height": 844}


def sign_in_as(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_handler_logs_a_visit_and_turns_a_finding_into_a_demand_on_a_phone(page, demo_zone, screenshot):
    from redchain.orgs.models import Enterprise

    firm = Enterprise.objects.order_by("sort_name", "id").first()
    page.set_viewport_size(PHONE)
    sign_in_as(page, "handler1")

    page.goto("/visits/new/")
    assert fits_the_screen(page)
    page.locator("#enterprise-search").fill(firm.name[:4])
    choice = page.locator("#enterprise-picks label", has_text=firm.name)
    expect(choice).to_be_visible()
    box = choice.bounding_box()
    assert box is not None and box["height"] >= 44  # a comfortable tap target
    choice.click()
    page.locator("#visit-form label:has(input[name=purpose][value=onsite_office])").click()
    page.locator("textarea[name=summary]").fill("企业二期车间即将投产，现场了解用电和用工情况。")
    screenshot("visits-1-log-form")
    page.locator("#visit-form button[type=submit]").click()

    expect(page.locator("#visit-title")).to_have_text(firm.name)
    page.locator("#finding-form input[name=title]").fill("二期车间用电增容")
    page.locator("#finding-form textarea[name=detail]").fill("二期投产需增容 800 千伏安，请协调供电部门。")
    page.locator("#finding-form button[type=submit]").click()
    finding = page.locator("#finding-list li.finding", has_text="二期车间用电增容")
    expect(finding).to_be_visible()
    assert fits_the_screen(page)
    # The finding form stays on the page (htmx): its busy state must clear so a second finding goes too.
    page.locator("#finding-form input[name=title]").fill("技术工人招聘")
    page.locator("#finding-form textarea[name=detail]").fill("二期需新增技术工人四十名。")
    page.locator("#finding-form button[type=submit]").click()
    expect(page.locator("#finding-list li.finding", has_text="技术工人招聘")).to_be_visible()

    finding.locator("button.turn-into-demand").click()
    link = finding.locator(".finding-demand a")
    expect(link).to_have_text(re.compile(r"^[A-Z2-9]{12}$"))
    screenshot("visits-2-finding-turned-into-demand")
    code = link.inner_text()

    link.click()
    expect(page.locator("#tracking-code")).to_have_text(code)
    source = page.locator("#visit-source")
    expect(source).to_contain_text("张明")  # handler1's display name
    screenshot("visits-3-demand-shows-the-visit")
    page.locator("#visit-link").click()
    expect(page.locator("#visit-title")).to_have_text(firm.name)
