"""The columns of the visits workbook (visits with findings): one row per finding, a visit without findings
once. A demand's code and status appear only when the reader may see that demand; the internal note only when
the reader may see it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from redchain.visits import permissions as perms
from redchain.visits.models import Visit, VisitFinding

WIDTHS = (12, 8, 28, 16, 10, 10, 20, 24, 16, 40, 28, 40, 8, 12, 16, 14, 30, 30)


def HEADERS() -> list[str]:  # noqa: N802 - a constant, translated when called
    return [
        _("Visited on"),
        _("Time"),
        _("Enterprise"),
        _("Department"),
        _("Visitor"),
        _("Purpose"),
        _("Companions"),
        _("Place"),
        _("People met"),
        _("What was found"),
        _("Problem"),
        _("Details of the problem"),
        _("Urgency"),
        _("Status"),
        _("Demand tracking code"),
        _("Demand status"),
        _("How it was resolved"),
        _("Internal note"),
    ]


def export_row(user, visit: Visit, finding: VisitFinding | None) -> list:
    demand = getattr(finding, "shown_demand", None)
    return [
        visit.visited_on,
        f"{visit.start_time:%H:%M}" if visit.start_time else "",
        visit.enterprise.name,
        visit.department.name if visit.department else "",
        str(visit.visitor),
        visit.get_purpose_display(),
        visit.companions,
        visit.place,
        visit.people_met,
        visit.summary,
        finding.title if finding else "",
        finding.detail if finding else "",
        finding.get_urgency_display() if finding else "",
        finding.get_status_display() if finding else "",
        demand.tracking_code if demand else "",
        demand.get_status_display() if demand else "",
        finding.resolution_note if finding else "",
        visit.internal_note if perms.sees_internal_note(user, visit) else "",
    ]
