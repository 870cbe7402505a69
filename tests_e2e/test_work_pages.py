"""Party work and the page behaviours everyone meets, in a real browser.

- The alliance instructor plans a bimonthly meeting, records it as held with attendance and minutes, and adds
  a decision with an owner and a due date.
- On a phone the header's links fold behind a 菜单 button.
- A step that cannot be undone asks first; declining it changes nothing.
- An Excel export shows a progress bar and arrives under its Chinese file name; an import shows its progress
  bar and a second click does not send the file twice.

Leaves test-results/work-*.png for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from test_demand_journey import open_demand, sign_in_as, submit_demand, take_step
from test_pages import axe_violations

PHONE = {"width": 375, "height": 740}


def test_instructor_records_a_bimonthly_meeting_with_attendance_and_a_decision(page, demo_zone, screenshot):
    sign_in_as(page, "instructor1")
    page.goto("/alliance-work/meetings/new/")
    form = page.locator("main form[method=post]")
    alliance = form.locator("select[name=alliance] option:checked").inner_text().strip()
    assert alliance, "an instructor's own alliance comes first"
    form.locator("select[name=kind]").select_option("bimonthly")
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the zone's own day
    form.locator("input[name=planned_on]").fill(today.isoformat())
    screenshot("work-1-meeting-plan")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("双月")

    page.locator("details:has(#held-form) > summary").click()
    held = page.locator("#held-form")
    held.locator("input[name=held_on]").fill(today.isoformat())
    held.locator("textarea[name=minutes]").fill(
        "一、通报本联盟上两月诉求办理情况；二、链主企业介绍供应链配套需求；三、议定组织一次产销对接会。"
    )
    present = held.locator("input[type=checkbox][name^=present_]")
    assert present.count() >= 2, "the alliance's member units are listed for attendance"
    present.nth(0).check()
    present.nth(1).check()
    assert not axe_violations(page), "the attendance form is labelled for screen readers"
    screenshot("work-2-meeting-held-form")
    held.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#attendance")).to_be_visible()
    expect(page.locator("main")).to_contain_text("产销对接会")

    page.locator("details:has(#item-form) > summary").click()
    item = page.locator("#item-form")
    item.locator("textarea[name=decision]").fill("下月中旬前组织一次链上企业产销对接会")
    item.locator("input[name=due_on]").fill((today + dt.timedelta(days=30)).isoformat())
    owner = item.locator("select[name=owner] option").nth(1).get_attribute("value")
    item.locator("select[name=owner]").select_option(owner)
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#action-items")).to_contain_text("产销对接会")
    screenshot("work-3-meeting-recorded")


def test_the_header_folds_into_a_menu_on_a_phone(signed_in_page, screenshot):
    page = signed_in_page
    page.set_viewport_size(PHONE)
    page.goto("/demands/")
    menu, toggle = page.locator("#site-menu"), page.locator("#nav-toggle")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 120, f"the folded header is {header_height}px tall"
    screenshot("work-4-phone-menu-folded")

    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    screenshot("work-4-phone-menu-open")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(menu).to_be_visible()  # a desktop shows the links and no button
    expect(toggle).to_be_hidden()


def test_a_step_that_cannot_be_undone_asks_first(page, demo_zone, screenshot):
    sign_in_as(page, "firm1")
    code = submit_demand(page, "咨询高新技术企业认定条件", "想了解今年高新技术企业认定的申报条件和时间安排。")

    sign_in_as(page, "zone-admin")
    open_demand(page, code)
    questions: list[str] = []

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    take_step(
        page, "reject", lambda step: step.locator("textarea[name=reason]").fill("不属于诉求，转政策咨询")
    )
    assert questions and "无法撤销" in questions[0], questions
    expect(page.locator("#demand-status")).to_contain_text("待受理")  # nothing was sent

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#action-reject button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#demand-status")).not_to_contain_text("待受理")
    screenshot("work-5-rejected-after-confirming")


def test_an_export_shows_progress_and_keeps_its_chinese_name(signed_in_page):
    page = signed_in_page
    page.goto("/orgs/enterprises/")
    page.evaluate(
        """() => {
            window.sawProgress = false;
            new MutationObserver(() => {
                if (document.querySelector('.download-progress')) window.sawProgress = true;
            }).observe(document.body, {childList: true, subtree: true});
        }"""
    )
    with page.expect_download() as info:
        page.locator("#export-enterprises").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx") and "企业" in download.suggested_filename
    assert page.evaluate("window.sawProgress"), "the export link showed a progress bar while the file came"
    expect(page.locator(".download-progress")).to_have_count(0)  # and removed it when the file arrived
    expect(page.locator("#export-enterprises")).not_to_have_attribute("aria-busy", "true")


def test_an_import_shows_progress_and_sends_the_file_once(signed_in_page, screenshot):
    from openpyxl import Workbook

    page = signed_in_page
    workbook = Workbook()
    workbook.active.append(["这不是模板"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    page.goto("/orgs/import/enterprises/")
    page.locator("#import-form input[type=file]").set_input_files(
        [{"name": "企业名单.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}]
    )
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    # What the person saw at the moment of sending, kept across the page load in sessionStorage.
    page.evaluate(
        """() => window.addEventListener('submit', (event) => {
            const bar = event.target.querySelector('.form-progress');
            sessionStorage.setItem('progressShown', String(!!bar && !bar.hidden));
        })"""
    )
    with page.expect_navigation():
        page.evaluate(
            """() => { const form = document.getElementById('import-form');
                       form.requestSubmit(); form.requestSubmit(); }"""
        )
    assert page.evaluate("sessionStorage.getItem('progressShown')") == "true"
    assert len(posts) == 1, posts
    expect(page.locator("main")).to_contain_text("未导入")  # the wrong sheet is refused, nothing imported
    screenshot("work-6-import-refused")
