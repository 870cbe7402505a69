"""The whole demand loop as the people in it live it, in a real browser: an enterprise contact on a phone
submits a demand with a photo; the dispatcher takes the suggested category and sends it for coordinated
handling (协调办) with a co-handling department; the lead handler records first contact, an interim reply and
the final reply; the enterprise rates it 不满意, so it goes back to the handler (退回重办), who replies again;
the enterprise rates 满意; and the leader's dashboard for this month shows the closed, rated demand.

Each step leaves test-results/loop-*.png for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from test_demand_journey import open_demand, sign_in_as, take_step

PHONE = {"width": 375, "height": 740}
LEAD, CO = "企业服务局", "市场监督管理局"  # handler1's and handler2's departments in the demo zone


def photo_png(width: int = 4, height: int = 3) -> bytes:
    """A small but valid PNG, as a phone camera's upload would be (the kind, not the size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xc0\x20\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def send_reply(page, text: str) -> None:
    """The final reply as a handler sends it: the review may warn once (it never blocks); read, send anyway."""
    take_step(page, "reply", lambda step: step.locator("textarea[name=text]").fill(text))
    if page.locator("#reply-warnings").is_visible():
        page.locator("#action-reply button[type=submit]").click()
        page.wait_for_load_state()


def department_row(page, department: str) -> dict[str, str]:
    """The leader's 三率 table row of one department, as header → cell text ({} when it has no row)."""
    table = page.locator("#rates-table")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    row = table.locator("tbody tr", has=page.locator("th", has_text=department))
    if not row.count():
        return {}
    cells = [c.strip() for c in row.first.locator("th, td").all_inner_texts()]
    return dict(zip(headers, cells, strict=True))


def test_enterprise_on_a_phone_rates_unsatisfied_then_satisfied_and_the_leader_sees_it(
    page, demo_zone, screenshot
):
    month = dt.datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    sign_in_as(page, "leader")
    page.goto(f"/stats/?period={month}&group_by=department")
    before = department_row(page, LEAD)
    screenshot("loop-0-leader-before")

    # 1. On a phone: the enterprise contact submits with a photo of the problem.
    page.set_viewport_size(PHONE)
    sign_in_as(page, "firm1")
    page.goto("/demands/new/")
    page.locator("input[name=title]").fill("厂区门前道路积水严重")
    page.locator("textarea[name=body]").fill(
        "雨后厂区门前道路积水超过三十厘米，货车无法进出，请协调排水改造。"
    )
    page.locator("input[name=contact_phone]").fill("13800003333")
    page.locator("input[name=attachments]").set_input_files(
        [{"name": "积水照片.png", "mimeType": "image/png", "buffer": photo_png()}]
    )
    screenshot("loop-1-phone-form")
    page.locator("#demand-form button[type=submit]").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("loop-1-phone-submitted")

    page.goto("/demands/")  # an enterprise contact's list holds only its own demands (我的诉求)
    expect(page.locator("#demand-table")).to_contain_text(code)
    screenshot("loop-1-phone-my-demands")
    open_demand(page, code)
    expect(page.locator("#attachments")).to_contain_text("积水照片.png")

    page.context.clear_cookies()
    page.goto(f"/track/{code}/")
    expect(page.locator("#track-status")).to_be_visible()
    assert "积水" not in page.locator("main").inner_text()  # the public sees the progress, not the content
    screenshot("loop-1-phone-public-track")

    # 2. The dispatcher on a desktop: accept, take the suggested category, 协调办 with a co-handler.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, "zone-admin")
    open_demand(page, code)
    take_step(page, "accept")
    page.locator("#action-dispatch summary").click()
    expect(page.locator("#routing-suggestions")).to_be_visible()
    page.locator("#accept-suggestion").click()
    page.wait_for_load_state()
    dispatch = page.locator("#action-dispatch")
    category = dispatch.locator("select[name=category] option:checked").inner_text().strip()
    assert category, "the suggestion fills in a category"
    dispatch.locator("select[name=department]").select_option(label=LEAD)
    dispatch.locator("select[name=disposition]").select_option("coordinated")
    dispatch.locator("select[name=co_departments]").select_option(label=CO)
    screenshot("loop-2-dispatch-form")
    dispatch.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#assignments")).to_contain_text(LEAD)
    expect(page.locator("#assignments")).to_contain_text(CO)
    screenshot("loop-2-dispatched")

    # 3. The lead handler: first contact, an interim reply, the final reply.
    sign_in_as(page, "handler1")
    page.goto("/demands/inbox/")
    expect(page.locator("#inbox-table")).to_contain_text(code)
    open_demand(page, code)
    take_step(page, "contact")
    take_step(
        page,
        "interim",
        lambda step: step.locator("textarea[name=text]").fill(
            "已到现场查看，正在与城管、水务部门会商排水方案。"
        ),
    )
    send_reply(
        page,
        "根据《城镇排水与污水处理条例》，经与水务部门现场会商，已于12月5日完成厂区门前雨水管道疏通，"
        "并增设两处雨水篦子，道路积水问题已解决。",
    )
    expect(page.locator("#timeline")).to_contain_text("雨水管道疏通")
    screenshot("loop-3-replied")

    # 4. The enterprise is not satisfied: the demand goes back to the lead department.
    page.set_viewport_size(PHONE)
    sign_in_as(page, "firm1")
    open_demand(page, code)

    def unsatisfied(step):
        step.locator("input[name=level][value=unsatisfied]").check()
        step.locator("textarea[name=comment]").fill("昨天下雨后仍有积水，问题没有根本解决。")

    take_step(page, "rate", unsatisfied)
    expect(page.locator("#demand-status .badge-closed")).to_have_count(0)
    screenshot("loop-4-phone-unsatisfied")

    sign_in_as(page, "handler1")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/demands/inbox/")
    expect(page.locator("#inbox-table")).to_contain_text(code)  # back in the handler's inbox
    open_demand(page, code)
    expect(page.locator("#timeline")).to_contain_text("问题没有根本解决")
    send_reply(
        page,
        "根据企业反映的情况，已协调施工单位于12月20日前对厂区门前道路进行整体抬高，并新建排水沟一百二十米；"
        "经两次降雨检验不再积水，货车可正常进出，请企业复核。",
    )
    expect(page.locator("#timeline")).to_contain_text("新建排水沟")
    screenshot("loop-5-replied-again")

    # 5. Satisfied now: the demand closes, and the public page says so.
    page.set_viewport_size(PHONE)
    sign_in_as(page, "firm1")
    open_demand(page, code)
    take_step(page, "rate", lambda step: step.locator("input[name=level][value=satisfied]").check())
    expect(page.locator("#demand-status .badge-closed")).to_be_visible()
    screenshot("loop-6-phone-closed")
    page.context.clear_cookies()
    page.goto(f"/track/{code}/")
    expect(page.locator("#track-status")).to_contain_text("已办结")

    # 6. The leader's dashboard counts the closed, rated demand for the lead department this month.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, "leader")
    page.goto(f"/stats/?period={month}&group_by=department")
    after = department_row(page, LEAD)
    screenshot("loop-7-leader-after")
    assert after, f"{LEAD} has a row in {month} after the demand closed"
    closed, ratings = "办结诉求数", "回访评价"
    assert closed in after and ratings in after, after
    assert int(after[closed]) == int(before.get(closed, 0)) + 1
    assert int(after[ratings]) > int(before.get(ratings, 0))
