"""The 党建成效 section of an alliance's page and of an enterprise party organisation's page, registered in
``DashboardsConfig.ready()``. It shows only to whole-zone readers (see ``dashboards.outcomes``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from redchain.dashboards import outcomes as o


def outcome_panel(request, obj) -> list[str]:
    if not o.may_view(request.user, obj.zone_id):
        return []
    found = o.outcome_for(user=request.user, obj=obj)
    if found is None:
        return []
    table, row = found
    work = [(label, row.work.get(key, 0)) for key, label in table.work_columns]
    context = {"table": table, "row": row, "work": work}
    return [render_to_string("dashboards/_outcome_panel.html", context, request=request)]
