"""Harness for the real-browser journeys: Debian's Chromium driven by Playwright against a live server.

Run with ``make e2e``. Playwright never downloads a browser here; it drives ``/usr/bin/chromium``
(``apt-get install chromium fonts-noto-cjk``). Without that browser the suite is skipped on a
workstation but fails in CI, where a skipped browser suite would hide a broken page.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM calls from a thread
# with a running loop unless told it is safe. It is: the loop only talks to the browser process.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# The flags the machine's own browser check uses. The background-networking ones matter: without
# them Chromium keeps calling Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-results"
# The enterprise list shows this many rows a page (redchain.orgs.views.PAGE_SIZE).
PAGE_SIZE = 50


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class DemoZone:
    """Who signs in, and what the pages should then show."""

    username: str
    password: str
    zone_name: str
    # A Chinese fragment of some, not all, enterprise names, and how many names hold it.
    search_term: str
    search_matches: int


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the browser journeys, but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser profile per test, as a Chinese-speaking user on a laptop would have."""
    # zh-CN makes Chromium send Accept-Language: zh-CN, which Django maps to zh-hans.
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """``screenshot("name")`` saves the whole page to test-results/<name>.png for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def _take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.fixture
def demo_zone(transactional_db) -> DemoZone:
    """The demo zone, loaded afresh for each test: the live server sees only committed rows, and
    transactional_db empties the tables after every test. Without the year of party work, which no journey
    reads and which would triple the load; the party-work journeys make the records they look at."""
    from redchain.demo.generator import load_demo

    load_demo(demand_count=20, party_work=False)
    return _describe(username="zone-admin", password="redchain-demo")


def _describe(*, username: str, password: str) -> DemoZone:
    from redchain.accounts.models import User
    from redchain.orgs.models import Zone

    user = User.objects.get(username=username)
    # The same choice as CurrentZoneMiddleware makes for a fresh session: the user's first zone.
    zone = Zone.objects.visible_to(user).order_by("id").first()
    names = sorted(zone.enterprises.values_list("name", flat=True))
    term, matches = _search_term(names)
    return DemoZone(
        username=username,
        password=password,
        zone_name=zone.name,
        search_term=term,
        search_matches=matches,
    )


def _search_term(names: list[str]) -> tuple[str, int]:
    """A two-character Chinese fragment that narrows the list: in several names if possible, never in all."""
    counts: dict[str, int] = {}
    for name in names:
        for start in range(len(name) - 1):
            fragment = name[start : start + 2]
            if all(unicodedata.name(char, "").startswith("CJK UNIFIED") for char in fragment):
                counts.setdefault(fragment, sum(fragment in other for other in names))
    limit = min(len(names), PAGE_SIZE + 1)
    narrowing = [(fragment, n) for fragment, n in counts.items() if 0 < n < limit]
    assert narrowing, f"no Chinese fragment narrows these enterprise names: {names}"
    # Prefer a fragment several firms share, but at most half of them, so the filtering is visible.
    best = max(narrowing, key=lambda item: (item[1] <= max(len(names) // 2, 1), item[1]))
    return best


@pytest.fixture
def signed_in_page(page, demo_zone):
    """A page signed in as the demo zone's admin, through the login form as a person would."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(demo_zone.username)
    page.locator("input[name=password]").fill(demo_zone.password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    # The zone overview lives at the root; staying on the login page means the login failed.
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    return page
