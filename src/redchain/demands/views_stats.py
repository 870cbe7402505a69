"""三率 pages (overview, department ranking, Excel export) and the 12345 import page.

Statistics are for zone admins and leaders (the whole zone) and department staff (their own departments'
rows); everyone else gets 403. Importing is for administrators of the current zone.
"""

from __future__ import annotations

from base64 import b64encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from redchain.accounts.decorators import zone_admin_required, zone_member_required
from redchain.demands import importers, stats
from redchain.demands.models import Demand
from redchain.orgs.excel.reader import size_problem
from redchain.orgs.excel.tables import XLSX_CONTENT_TYPE, xlsx_response
from redchain.orgs.excel.workbooks import build_error_report, header_cells, safe_cell, save, set_widths

SHOWN_ERRORS = 500


# --- 三率 ---------------------------------------------------------------------------------------------------


def _stats_zone(request):
    zone = request.zone.get()
    if not stats.may_view(request.user, zone.pk):
        raise PermissionDenied
    return zone


def _period(request, zone) -> str:
    """The month asked for, or the latest month in which a visible demand was closed, or this month."""
    period = request.GET.get("period", "")
    if stats.PERIOD_PATTERN.match(period):
        return period
    latest = (
        Demand.objects.visible_to(request.user)
        .filter(zone=zone, closed_at__isnull=False)
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )
    return f"{latest.astimezone(stats.SHANGHAI):%Y-%m}" if latest else stats.current_period()


def _group(request, default: str = "department") -> str:
    group_by = request.GET.get("group_by", default)
    return group_by if group_by in stats.GROUPS else default


@zone_member_required
@require_GET
def overview(request):
    """三率 of one month with group-by tabs, a table with month-on-month and year-on-year change and a bar
    chart, then the zone's twelve-month trend, the category × month heat map and the channel mix. HTMX swaps
    only the table and its chart."""
    zone = _stats_zone(request)
    period, group_by = _period(request, zone), _group(request)
    rows = stats.rates_with_change(user=request.user, zone_id=zone.pk, period=period, group_by=group_by)
    context = _context(zone=zone, period=period, group_by=group_by, rows=rows)
    if getattr(request, "htmx", False):
        return render(request, "demands/stats/partials/_rates.html", context)
    context.update(_panels(request.user, zone, period))
    return render(request, "demands/stats/overview.html", context)


def _panels(user, zone, period: str) -> dict:
    """The trend, heat map and channel mix below the table (and on the wall screen)."""
    months, [zone_row] = stats.trend(user=user, zone_id=zone.pk, period=period, group_by="zone")
    _months, categories = stats.volume(user=user, zone_id=zone.pk, period=period, by="category")
    _months, channels = stats.volume(user=user, zone_id=zone.pk, period=period, by="channel")
    trend_chart = {
        "months": months,
        "response": [_percent(m.response_rate) for m in zone_row.extra["months"]],
        "resolution": [_percent(m.resolution_rate) for m in zone_row.extra["months"]],
        "satisfaction": [_percent(m.satisfaction_rate) for m in zone_row.extra["months"]],
        "score": [m.score for m in zone_row.extra["months"]],
    }
    heat = [
        [col, row, count] for row, cat in enumerate(categories) for col, count in enumerate(cat["counts"])
    ]
    heat_chart = {"months": months, "categories": [c["label"] for c in categories], "cells": heat}
    channel_chart = {
        "months": months,
        "series": [{"name": c["label"], "data": c["counts"]} for c in channels if c["total"]],
    }
    return {
        "months": months,
        "trend_row": zone_row,
        "categories": categories,
        "channels": channels,
        "trend_chart": trend_chart,
        "heat_chart": heat_chart,
        "channel_chart": channel_chart,
        "volume_title": _volume_title(user, zone),
    }


def _volume_title(user, zone) -> str:
    if stats.restricted_departments(user, zone.pk) is None:
        return _("Demands submitted")
    return _("Work orders received")


@zone_member_required
@require_GET
def wall(request):
    """The command-centre wall (大屏): the month's headline rates, the trend, the ranking, the heat map, the
    channel mix and the late work orders, large and dark, refreshing itself every minute."""
    zone = _stats_zone(request)
    period = _period(request, zone)
    [headline] = stats.rates_with_change(user=request.user, zone_id=zone.pk, period=period, group_by="zone")
    ranking = stats.ranking(user=request.user, zone_id=zone.pk, period=period)
    overdue = stats.urgent_orders(user=request.user, zone_id=zone.pk, urgency="overdue", limit=None)
    context = {
        "zone": zone,
        "period": period,
        "headline": headline,
        "ranking": [row for row in ranking if row.score is not None][:10],
        "overdue_count": overdue.count(),
        "overdue": list(overdue[:8]),
        **_panels(request.user, zone, period),
    }
    return render(request, "demands/stats/wall.html", context)


@zone_member_required
@require_GET
def orders(request, urgency: str):
    """Open work orders past their closure deadline or due soon, for the same readers as the rates."""
    zone = _stats_zone(request)
    if urgency not in stats.URGENCIES:
        raise Http404
    found = stats.urgent_orders(user=request.user, zone_id=zone.pk, urgency=urgency)
    if request.GET.get("format") == "xlsx":
        return _orders_export(found, zone=zone, urgency=urgency)
    context = {"zone": zone, "urgency": urgency, "orders": found, "now": timezone.now()}
    return render(request, "demands/stats/orders.html", context)


URGENCY_TITLES = {
    "overdue": gettext_lazy("Overdue work orders"),
    "due_soon": gettext_lazy("Work orders due soon"),
}


def _orders_export(found, *, zone, urgency: str):
    headers = [
        _("Tracking code"),
        _("Title"),
        _("Enterprise"),
        _("Department"),
        _("Closure due"),
        _("Status"),
    ]
    table = [
        [
            order.demand.tracking_code,
            order.demand.title,
            order.demand.enterprise.name if order.demand.enterprise else "",
            order.department.name,
            timezone.localtime(order.close_due).strftime("%Y-%m-%d %H:%M"),
            order.get_status_display(),
        ]
        for order in found
    ]
    title = str(URGENCY_TITLES[urgency])
    data = table_workbook(title=f"{zone.name} {title}", headers=headers, rows=table)
    return xlsx_response(data, name=f"{zone.name} {title}", fallback=f"{urgency}-{zone.code}")


@zone_member_required
@require_GET
def panel_export(request, table: str):
    """The trend, heat-map or channel-mix table of the overview as .xlsx (same month and scope)."""
    zone = _stats_zone(request)
    if table not in ("trend", "categories", "channels"):
        raise Http404
    period = _period(request, zone)
    panels = _panels(request.user, zone, period)
    if table == "trend":
        headers = [_("Month"), _("Response rate"), _("Resolution rate"), _("Satisfaction rate"), _("Score")]
        chart = panels["trend_chart"]
        rows = [
            [m, chart["response"][i], chart["resolution"][i], chart["satisfaction"][i], chart["score"][i]]
            for i, m in enumerate(chart["months"])
        ]
        title = _("Twelve-month trend")
    else:
        headers = [
            str(stats.GROUP_LABELS["category" if table == "categories" else "channel"]),
            *panels["months"],
        ]
        rows = [[row["label"], *row["counts"]] for row in panels[table]]
        headers.append(_("Total"))
        rows = [[*row, sum(row[1:])] for row in rows]
        title = panels["volume_title"]
    data = table_workbook(title=f"{zone.name} {title} {period}", headers=headers, rows=rows)
    return xlsx_response(data, name=f"{zone.name} {title} {period}", fallback=f"{table}-{zone.code}-{period}")


def table_workbook(*, title: str, headers: list, rows: list[list]) -> bytes:
    """One sheet with a title line, a header row and the rows, every cell escaped against formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31].replace("/", "-"))
    set_widths(sheet, [24] + [12] * (len(headers) - 1))
    sheet.append([safe_cell(sheet, title)])
    sheet.append(header_cells(sheet, [str(h) for h in headers]))
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])
    return save(workbook)


@zone_member_required
@require_GET
def ranking(request):
    """Departments ranked by score for one month."""
    zone = _stats_zone(request)
    period = _period(request, zone)
    rows = stats.ranking(user=request.user, zone_id=zone.pk, period=period)
    context = _context(zone=zone, period=period, group_by="department", rows=rows)
    return render(request, "demands/stats/ranking.html", context)


@zone_member_required
@require_GET
def export(request):
    """The table of the overview (same month, same grouping, same scope) as .xlsx with Chinese headers."""
    zone = _stats_zone(request)
    period, group_by = _period(request, zone), _group(request)
    rows = stats.rates(user=request.user, zone_id=zone.pk, period=period, group_by=group_by)
    if request.GET.get("order") == "score":
        rows = sorted(rows, key=lambda row: (row.score is None, -(row.score or 0)))
    data = rates_workbook(rows=rows, title=f"{zone.name} {period}", group_by=group_by)
    name = _("%(zone)s demand handling rates %(period)s") % {"zone": zone.name, "period": period}
    return xlsx_response(data, name=name, fallback=f"rates-{zone.code}-{period}-{group_by}")


def _context(*, zone, period: str, group_by: str, rows) -> dict:
    chart = {
        "labels": [row.label for row in rows],
        "response": [_percent(row.response_rate) for row in rows],
        "resolution": [_percent(row.resolution_rate) for row in rows],
        "satisfaction": [_percent(row.satisfaction_rate) for row in rows],
        "score": [row.score for row in rows],
    }
    return {
        "zone": zone,
        "period": period,
        "periods": stats.recent_periods(24, until=max(period, stats.current_period())),
        "group_by": group_by,
        "groups": [(key, stats.GROUP_LABELS[key]) for key in stats.GROUPS],
        "rows": rows,
        "chart": chart,
        "weights": _weights_text(),
    }


def _weights_text() -> str:
    names = {
        "response": _("Response rate"),
        "resolution": _("Resolution rate"),
        "satisfaction": _("Satisfaction rate"),
        "on_time": _("On-time closure rate"),
    }
    return "、".join(f"{names.get(key, key)} {weight:g}" for key, weight in stats.rate_weights().items())


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


COLUMN_TITLES = (
    gettext_lazy("Response rate"),
    gettext_lazy("Resolution rate"),
    gettext_lazy("Satisfaction rate"),
    gettext_lazy("On-time closure rate"),
    gettext_lazy("Score"),
    gettext_lazy("Work orders due for contact"),
    gettext_lazy("Contacted on time"),
    gettext_lazy("Demands closed"),
    gettext_lazy("Closed as solved"),
    gettext_lazy("Closed on time"),
    gettext_lazy("Ratings"),
    gettext_lazy("Satisfied or basically satisfied"),
)


def rates_workbook(*, rows, title: str, group_by: str) -> bytes:
    """One sheet: the grouping's label, the four rates in per cent, the score and the counts behind them."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Demand handling rates"))
    set_widths(sheet, (26, 10, 10, 10, 12, 10, 14, 12, 12, 12, 12, 10, 16))
    sheet.append([safe_cell(sheet, title)])
    headers = [str(stats.GROUP_LABELS[group_by]), *[str(t) for t in COLUMN_TITLES]]
    sheet.append(header_cells(sheet, headers))
    for row in rows:
        values = [
            row.label,
            *[_percent(rate) for rate in (row.response_rate, row.resolution_rate, row.satisfaction_rate)],
            _percent(row.on_time_rate),
            row.score,
            row.contact_due,
            row.contacted_on_time,
            row.closed,
            row.solved,
            row.closed_on_time,
            row.rated,
            row.satisfied,
        ]
        sheet.append([safe_cell(sheet, value) for value in values])
    return save(workbook)


# --- 12345 import --------------------------------------------------------------------------------------------


class Import12345Form(forms.Form):
    """One .xlsx or .csv file, refused early when too large."""

    file = forms.FileField(label=gettext_lazy("12345 export (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem:
            raise forms.ValidationError(problem, code="too_large")
        return upload


@zone_admin_required
@require_http_methods(["GET", "POST"])
def import_12345(request):
    """Upload a 12345 export; a good file is imported whole, a bad one is reported row by row."""
    zone = request.zone.get()
    form = Import12345Form(request.POST, request.FILES) if request.method == "POST" else Import12345Form()
    result = None
    if form.is_bound and form.is_valid():
        result = importers.import_12345(actor=request.user, zone=zone, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _("Imported %(rows)s work orders: %(created)s new demands, %(skipped)s already imported.")
                % {"rows": result.rows, "created": result.created, "skipped": result.unchanged},
            )
            return redirect(request.path)
    context = {
        "form": form,
        "result": result,
        "shown_errors": result.row_errors[:SHOWN_ERRORS] if result else [],
        "report": _report_link(result),
        "fields": [(title, required) for title, required in importers.FIELDS.values()],
        "aliases": importers.DEFAULT_MAPPING,
        "notes": importers.template_notes(),
        "max_size": filesizeformat(settings.REDCHAIN_IMPORT_MAX_BYTES),
        "max_rows": settings.REDCHAIN_IMPORT_MAX_ROWS,
    }
    return render(request, "demands/import_12345.html", context)


@zone_admin_required
@require_GET
def import_12345_template(request):
    return xlsx_response(
        importers.build_template(), name=_("12345 import template"), fallback="12345-template"
    )


def _report_link(result) -> dict[str, str]:
    if result is None or not result.row_errors:
        return {}
    data = build_error_report(errors=result.errors[:5000])
    href = f"data:{XLSX_CONTENT_TYPE};base64,{b64encode(data).decode()}"
    return {"href": href, "name": _("12345 import problems") + ".xlsx"}
