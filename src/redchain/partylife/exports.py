"""Excel exports of the party-life lists. Each takes what the page's selector returned under the page's
filters, so an export never shows more than its page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from redchain.orgs.excel.tables import table_workbook, xlsx_response
from redchain.partylife import compliance as compliance_module
from redchain.partylife.models import BranchBrand, BranchRating, PartyActivity
from redchain.partylife.selectors import attendance_rate


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.0%}"


def _activity_row(a: Any) -> list:
    # ``a`` carries the selector's roll-call annotations.
    return [
        a.held_on,
        a.org.name,
        a.get_kind_display(),
        a.title,
        a.topic,
        a.place,
        a.host,
        a.roll_count,
        a.present_count,
        _percent(attendance_rate(a)),
    ]


def activities(qs: QuerySet[PartyActivity]) -> HttpResponse:
    headers = [
        _("Held on"),
        _("Party organisation"),
        _("Kind"),
        _("Title"),
        _("Topic"),
        _("Place"),
        _("Host or lecturer"),
        _("On the roll"),
        _("Present"),
        _("Attendance rate"),
    ]
    rows = (_activity_row(a) for a in qs.iterator(chunk_size=500))
    data = table_workbook(
        title=_("Party activities"),
        headers=headers,
        rows=rows,
        widths=[12, 28, 16, 36, 24, 20, 12, 10, 10, 10],
    )
    return xlsx_response(data, name="组织生活记录", fallback="party-activities")


def compliance(report: compliance_module.Report) -> HttpResponse:
    headers = [
        _("Party organisation"),
        _("Organisation kind"),
        _("Activity kind"),
        _("Frequency"),
        _("Window"),
        _("Held in window"),
        _("Last held on"),
    ]
    rows = (
        [
            miss.org.name,
            miss.org.get_kind_display(),
            miss.rule.get_kind_display(),
            miss.rule.get_every_months_display(),
            f"{miss.window_start:%Y-%m-%d} ~ {miss.window_end:%Y-%m-%d}",
            miss.held,
            miss.last_held_on or _("never"),
        ]
        for miss in report.misses
    )
    title = _("Missed cadence %(month)s") % {"month": f"{report.month:%Y-%m}"}
    data = table_workbook(title=title, headers=headers, rows=rows, widths=[30, 12, 20, 10, 24, 10, 14])
    return xlsx_response(
        data, name=f"组织生活缺项清单-{report.month:%Y-%m}", fallback=f"compliance-{report.month:%Y-%m}"
    )


def brands(qs: QuerySet[BranchBrand]) -> HttpResponse:
    headers = [
        _("Brand name"),
        _("Branch"),
        _("Slogan"),
        _("Established in"),
        _("Status"),
        _("Named on"),
        _("Brand description"),
    ]
    rows = (
        [b.name, b.org.name, b.slogan, b.established_year, b.get_status_display(), b.named_on, b.description]
        for b in qs
    )
    data = table_workbook(
        title=_("Branch brands"), headers=headers, rows=rows, widths=[20, 28, 30, 10, 10, 12, 50]
    )
    return xlsx_response(data, name="一支部一品牌", fallback="branch-brands")


def ratings(qs: QuerySet[BranchRating]) -> HttpResponse:
    headers = [_("Year"), _("Branch"), _("Level"), _("Score"), _("Rated on"), _("Note")]
    rows = ([r.year, r.org.name, r.get_level_display(), float(r.score), r.rated_on, r.note] for r in qs)
    data = table_workbook(
        title=_("Branch ratings"), headers=headers, rows=rows, widths=[8, 30, 10, 8, 12, 40]
    )
    return xlsx_response(data, name="星级党支部评定", fallback="branch-ratings")
