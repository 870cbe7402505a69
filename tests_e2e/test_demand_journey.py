"""The demand loop once in a real browser, in the demo zone: an enterprise asks, the zone accepts and
dispatches, the department replies, the enterprise rates it and sees it closed (已办结).

Leaves test-results/demand-*.png for a person to look at.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "redchain-demo"  # noqa: S105 - the published demo password


def sign_in_as(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def submit_demand(page, title: str, body: str, phone: str = "") -> str:
    """As the signed-in enterprise contact, send the portal form; the tracking code it answers with."""
    page.goto("/demands/new/")
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=body]").fill(body)
    if phone:
        page.locator("input[name=contact_phone]").fill(phone)
    page.locator("#demand-form button[type=submit]").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{12}", code), code
    return code


def open_demand(page, code: str) -> None:
    page.goto(f"/demands/?q={code}")
    # The title links to the demand at every width (on a phone the code column is folded away).
    page.locator("#demand-table tbody tr", has_text=code).locator("td:nth-child(2) a").click()
    expect(page.locator("#tracking-code")).to_have_text(code)


def take_step(page, name: str, fill=None) -> None:
    """Open a step's form on the detail page, fill it and send it."""
    step = page.locator(f"#action-{name}")
    if step.locator("summary").count():
        step.locator("summary").click()
    if fill:
        fill(step)
    step.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_enterprise_demand_goes_round_the_loop(page, demo_zone, screenshot):
    sign_in_as(page, "firm1")
    code = submit_demand(
        page, "新厂房用电增容", "新厂房投产需要增容 800 千伏安，请协调供电公司。", "13800001111"
    )
    screenshot("demand-1-submitted")

    sign_in_as(page, "zone-admin")
    open_demand(page, code)
    take_step(page, "accept")

    def dispatch(step):
        step.locator("select[name=department]").select_option(label="企业服务局")
        step.locator("select[name=disposition]").select_option("immediate")

    take_step(page, "dispatch", dispatch)
    expect(page.locator("#assignments")).to_contain_text("企业服务局")
    screenshot("demand-2-dispatched")

    sign_in_as(page, "handler1")
    page.goto("/demands/inbox/")
    expect(page.locator("#inbox-table")).to_contain_text(code)
    open_demand(page, code)
    take_step(
        page, "reply", lambda step: step.locator("textarea[name=text]").fill("已协调供电公司，下周完成增容。")
    )
    # A short reply draws the review's warnings once; sending it again sends it as it is.
    expect(page.locator("#reply-warnings")).to_be_visible()
    screenshot("demand-2b-reply-review")
    page.locator("#action-reply button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#timeline")).to_contain_text("已协调供电公司")

    sign_in_as(page, "firm1")
    open_demand(page, code)
    take_step(page, "rate", lambda step: step.locator("input[name=level][value=satisfied]").check())
    # 已办结 once the zh-hans catalogue holds the status labels; the badge class says it in any language.
    expect(page.locator("#demand-status .badge-closed")).to_be_visible()
    expect(page.locator("#demand-status")).to_contain_text(re.compile("已办结|closed"))
    screenshot("demand-3-closed")

    page.context.clear_cookies()
    page.goto(f"/track/{code}/")
    expect(page.locator("#track-status")).to_contain_text(re.compile("已办结|closed"))
    assert "新厂房" not in page.content()
