"""The zone overview (what a committee member or leader opens first) and the 党建成效 outcome view."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from redchain.accounts.decorators import zone_member_required
from redchain.dashboards import outcomes as o
from redchain.dashboards.selectors import zone_overview
from redchain.orgs.excel.tables import table_workbook, xlsx_response


@zone_member_required
def overview(request):
    zone = request.zone.get()
    figures = zone_overview(user=request.user, zone=zone)
    chart = {
        "chains": [c.name for c in figures.chains],
        "above": [c.above_count for c in figures.chains],
        "below": [c.visible_count - c.above_count for c in figures.chains],
    }
    return render(request, "dashboards/overview.html", {"zone": zone, "figures": figures, "chart": chart})


def _table(request) -> o.Outcomes:
    zone = request.zone.get()
    if not o.may_view(request.user, zone.pk):
        raise PermissionDenied
    kind = request.GET.get("per", "alliance")
    kind = kind if kind in o.KINDS else "alliance"
    return o.outcomes(user=request.user, zone_id=zone.pk, kind=kind, window=_window(request, zone.pk))


def _window(request, zone_id: int) -> o.Window:
    """The dates asked for, or the default year; a malformed or reversed pair falls back to the default."""
    default = o.default_window(zone_id=zone_id)
    try:
        since = dt.date.fromisoformat(request.GET.get("since") or default.since.isoformat())
        until = dt.date.fromisoformat(request.GET.get("until") or default.until.isoformat())
    except ValueError:
        return default
    return o.Window(since, until) if since <= until else default


@zone_member_required
def outcomes(request):
    table = _table(request)
    context = {"table": table, "kinds": [(key, o.KIND_LABELS[key]) for key in o.KINDS]}
    return render(request, "dashboards/outcomes.html", context)


@zone_member_required
def outcomes_export(request):
    table = _table(request)
    headers = [
        str(o.KIND_LABELS[table.kind]),
        _("Enterprises"),
        *[str(label) for _key, label in table.work_columns],
        _("Demands submitted"),
        _("Demands closed"),
        _("Closed as solved"),
        _("Resolution rate (%)"),
        _("Ratings"),
        _("Satisfied or basically satisfied"),
        _("Satisfaction rate (%)"),
        str(table.benefit_label),
    ]
    rows = [
        [
            row.label,
            row.enterprise_count,
            *work,
            row.demands,
            row.closed,
            row.solved,
            _percent(row.resolution_rate),
            row.rated,
            row.satisfied,
            _percent(row.satisfaction_rate),
            float(row.benefit_wan),
        ]
        for row, work in table.table()
    ]
    window = f"{table.window.since:%Y%m%d}-{table.window.until:%Y%m%d}"
    data = table_workbook(title=_("Party work and results"), headers=headers, rows=rows)
    name = _("Party work and results %(window)s") % {"window": window}
    return xlsx_response(data, name=name, fallback=f"outcomes-{table.kind}-{window}")


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)
