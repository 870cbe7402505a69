"""The resource-sharing loop (资源共享制) once in a real browser, in the demo zone: firm1's contact posts a
procurement need, the matcher proposes another firm's resource, both firms accept, and the match is closed
with its saving recorded.

Leaves test-results/exchange-*.png for a person to look at.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

PASSWORD = "redchain-demo"  # noqa: S105 - the published demo password


def sign_in_as(page, username: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def supplier_with_contact():
    """Another member firm of firm1's alliance offers battery cells today, and gets a contact account."""
    from redchain.accounts.models import Membership, Role
    from redchain.accounts.services import membership_grant, user_create
    from redchain.exchange.services import resource_post

    firm1 = Membership.objects.get(user__username="firm1").enterprise
    membership = firm1.alliance_memberships.select_related("alliance").first()
    alliance = membership.alliance
    supplier = (
        alliance.members.filter(enterprise__isnull=False)
        .exclude(enterprise=firm1)
        .select_related("enterprise")
        .first()
    ).enterprise
    resource_post(
        actor=None,
        zone=alliance.zone,
        alliance=alliance,
        enterprise=supplier,
        kind="procurement",
        title="动力电池电芯批量供应",
        description="可稳定供应动力电池电芯，联盟成员联合采购给予价格优惠。",
        valid_until=timezone.localdate() + timedelta(days=365),
    )
    user = user_create(actor=None, username="supplier", password="supplier-pw", display_name="供应商联系人")
    membership_grant(
        actor=None, user=user, zone=alliance.zone, role=Role.ENTERPRISE_CONTACT, enterprise=supplier
    )
    return alliance


def test_need_is_matched_accepted_and_closed_with_its_saving(page, demo_zone, screenshot):
    alliance = supplier_with_contact()

    sign_in_as(page, "firm1")
    page.goto("/exchange/")
    page.locator("#post-need").click()
    page.locator("select[name=alliance]").select_option(label=alliance.name)
    page.locator("select[name=kind]").select_option("procurement")
    page.locator("input[name=title]").fill("联合采购动力电池电芯")
    page.locator("textarea[name=description]").fill("下半年采购动力电池电芯两万套，希望联合采购降低成本。")
    page.locator("input[name=valid_until]").fill((timezone.localdate() + timedelta(days=120)).isoformat())
    page.locator("#listing-form button[type=submit]").click()
    expect(page.locator("#listing-status")).to_have_attribute("data-status", "open")
    page.locator("#run-matcher").click()
    match_link = page.locator(".match-table a", has_text="联合采购动力电池电芯")
    expect(match_link).to_have_count(1)
    screenshot("exchange-1-proposed")
    match_link.click()
    page.locator("#accept-match").click()
    match_url = page.url

    sign_in_as(page, "supplier", "supplier-pw")
    page.goto("/exchange/")
    page.locator("#awaiting .match-table a").first.click()
    page.locator("#accept-match").click()
    expect(page.locator("#match-status")).to_have_attribute("data-status", "accepted")

    sign_in_as(page, "firm1")
    page.goto(match_url)
    page.locator("textarea[name=result]").fill("联合采购动力电池电芯，统一议价后节约35万元")
    page.locator("input[name=saved_wan]").fill("35")
    page.locator("input[name=deal_value_wan]").fill("420")
    page.locator("#close-match-button").click()
    expect(page.locator("#match-status")).to_have_attribute("data-status", "closed")
    expect(page.locator("#match-saved")).to_have_text("35.00")
    screenshot("exchange-2-closed")
