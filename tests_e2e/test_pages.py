"""Every main page, as each kind of user sees it, checked three ways in a real browser:

- **language**: in zh-hans no English words are left on the page (an untranslated string shows as English, since
  the source strings are English), and the English pages render too;
- **accessibility**: axe-core (``tests_e2e/package.json``, installed by ``make e2e``) finds no serious or
  critical violation of WCAG 2.1 A/AA;
- **layout**: at 375 px, the narrowest phone in use, no page scrolls sideways.

One test walks every page and reports every finding at once, so a failure lists all that is wrong. Leaves
test-results/pages-*.png for a person to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_demand_journey import sign_in_as

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# Latin words that are the same in Chinese UI text: formats, standards, units, our API's name for itself.
LATIN_IN_CHINESE = {
    "api",
    "excel",
    "xlsx",
    "pdf",
    "png",
    "jpeg",
    "gif",
    "webp",
    "office",
    "csv",
    "json",
    "open311",
    "uscc",
    "km",
    "kg",
    "kva",
    "kw",
    "kwh",
    "mb",
    "gb",
    "kb",
    "sms",
    "app",
    "english",  # the language switch names each language in itself: English, 简体中文
}
# What data, not interface, looks like in Latin letters: tracking codes, usernames, credit codes, e-mail.
DATA = re.compile(
    r"[A-Z2-9]{12}"  # tracking code
    r"|[0-9A-HJ-NPQRTUWXY]{18}"  # unified social credit code
    r"|[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail
    r"|\b(zone-admin|handler\d+|firm\d+|leader\d*|instructor\d*|dispatcher\d*|[a-z]+\d+)\b"  # demo usernames
    r"|https?://\S+"
)
WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass
class Findings:
    language: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    layout: list[str] = field(default_factory=list)

    def report(self) -> str:
        parts = []
        for name in ("language", "accessibility", "layout"):
            items = getattr(self, name)
            if items:
                parts.append(f"{name} ({len(items)}):\n  " + "\n  ".join(items))
        return "\n".join(parts)


def english_left(page) -> list[str]:
    """Latin words in the visible text of a zh-hans page that are neither data nor the same in Chinese."""
    text = DATA.sub(" ", page.locator("body").inner_text())
    return sorted({w for w in WORD.findall(text) if w.lower() not in LATIN_IN_CHINESE})


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')
                          + (v.nodes.length > 3 ? ' … ' + v.nodes.length + ' in all' : ''));
        }"""
    )
    return list(result)


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def check(page, path: str, name: str, findings: Findings, screenshot) -> None:
    page.set_viewport_size(DESKTOP)
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    page.wait_for_load_state("networkidle")  # HTMX fragments and chart data arrive after the page
    findings.language += [f"{path}: {w}" for w in english_left(page)]
    findings.accessibility += [f"{path}: {v}" for v in axe_violations(page)]
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)  # charts resize on a debounced event
    overflow = sideways_overflow(page)
    if overflow > 0:
        findings.layout.append(f"{path}: {overflow}px wider than a 375px screen")
    screenshot(f"pages-{name}")


def staff_pages() -> list[tuple[str, str]]:
    from redchain.demands.models import Demand
    from redchain.orgs.models import Alliance, Enterprise

    demand = Demand.objects.order_by("id").first()
    firm = Enterprise.objects.filter(demands__isnull=False).order_by("id").first()
    alliance = Alliance.objects.order_by("id").first()
    return [
        ("/", "overview"),
        ("/demands/", "demands"),
        (f"/demands/{demand.pk}/", "demand"),
        ("/demands/new/", "demand-new-staff"),
        ("/demands/leaders/", "leaders-queue"),
        ("/stats/", "stats"),
        ("/stats/ranking/", "ranking"),
        ("/stats/wall/", "wall"),
        ("/orgs/enterprises/", "enterprises"),
        (f"/orgs/enterprises/{firm.pk}/", "enterprise"),
        ("/orgs/alliances/", "alliances"),
        (f"/orgs/alliances/{alliance.pk}/", "alliance"),
        ("/orgs/matrix/", "matrix"),
        ("/alliance-work/", "alliance-work"),
        ("/visits/", "visits"),
        ("/visits/new/", "visit-new"),
        ("/outcomes/", "outcomes"),
        ("/routing/triage/", "triage"),
    ]


@pytest.fixture
def main_pages(demo_zone):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: make e2e installs it (cd tests_e2e && npm ci)")
    return staff_pages()


def test_main_pages_are_chinese_accessible_and_fit_a_phone(page, main_pages, screenshot):
    from redchain.demands.models import Demand

    findings = Findings()
    code = Demand.objects.order_by("id").values_list("tracking_code", flat=True).first()
    for path, name in [
        ("/accounts/login/", "login"),
        ("/track/", "track-form"),
        (f"/track/{code}/", "track"),
    ]:
        check(page, path, name, findings, screenshot)

    sign_in_as(page, "zone-admin")
    for path, name in main_pages:
        check(page, path, name, findings, screenshot)

    sign_in_as(page, "handler1")
    check(page, "/demands/inbox/", "inbox", findings, screenshot)

    sign_in_as(page, "firm1")
    for path, name in [("/demands/", "my-demands"), ("/demands/new/", "demand-new-enterprise")]:
        check(page, path, name, findings, screenshot)

    assert not findings.report(), "\n" + findings.report()


def test_english_pages_render_in_english(page, main_pages):
    """Switched to English, the interface speaks English: the navigation and page heads carry no Chinese."""
    sign_in_as(page, "zone-admin")
    page.locator("#language-switch select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    from redchain.orgs.models import Zone

    han = re.compile(r"[\u4e00-\u9fff]")
    zone_names = list(Zone.objects.values_list("name", flat=True))
    leftovers = []
    for path, _ in main_pages:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en", path
        parts = [page.locator(".main-nav").all_inner_texts()]
        if not path.rstrip("/").split("/")[-1].isdigit():  # a record's heading is its own (Chinese) name
            parts.append(page.locator("main h1").all_inner_texts())
        # Glossary terms stand in brackets beside the English on purpose: "Core and bastions (一核多堡)".
        chrome = re.sub(r"\([^)]*\)", "", " ".join(t for texts in parts for t in texts))
        for name in zone_names:  # the zone's name heads its overview and wall screen
            chrome = chrome.replace(name, "")
        if han.search(chrome):
            leftovers.append(f"{path}: {chrome[:120]!r}")
    assert not leftovers, leftovers
