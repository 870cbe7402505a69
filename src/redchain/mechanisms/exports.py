"""Excel exports of the alliance-work lists. Each takes the queryset the list page shows (same selector, same
filters), so an export never holds more than its page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from redchain.mechanisms.models import ActionItem, Activity, Commitment, Meeting, Place
from redchain.orgs.excel.tables import table_workbook, xlsx_response


def _state(obj) -> str:
    return _("overdue") if obj.is_overdue else str(obj.get_status_display())


def meetings(qs: QuerySet[Meeting]) -> HttpResponse:
    headers = [
        _("Alliance"),
        _("Kind"),
        _("Title"),
        _("Planned date"),
        _("Status"),
        _("Held on"),
        _("Place"),
        _("Units present"),
        _("Decisions"),
        _("Minutes"),
        _("Reason missed"),
    ]
    rows = (
        [
            m.alliance.name,
            m.get_kind_display(),
            m.title,
            m.planned_on,
            _state(m),
            m.held_on,
            m.place_label,
            m.present_count if m.status == Meeting.Status.HELD else None,  # type: ignore[attr-defined]
            m.item_count,  # type: ignore[attr-defined]
            m.minutes,
            m.missed_reason,
        ]
        for m in qs
    )
    data = table_workbook(
        title=_("Alliance meetings"),
        headers=headers,
        rows=rows,
        widths=[24, 14, 36, 12, 10, 12, 20, 10, 10, 50, 30],
    )
    return xlsx_response(data, name="联盟会议", fallback="alliance-meetings")


def action_items(qs: QuerySet[ActionItem]) -> HttpResponse:
    headers = [
        _("Alliance"),
        _("Meeting"),
        pgettext("meeting", "Decision"),
        _("Responsible unit"),
        _("Due date"),
        _("Status"),
        _("Done on"),
        _("Result"),
    ]
    rows = (
        [
            i.alliance.name,
            i.meeting.title,
            i.decision,
            i.owner.display_name,
            i.due_on,
            _state(i),
            i.done_on,
            i.result,
        ]
        for i in qs
    )
    data = table_workbook(
        title=_("Action items"), headers=headers, rows=rows, widths=[24, 32, 40, 24, 12, 10, 12, 40]
    )
    return xlsx_response(data, name="会议决定事项", fallback="action-items")


def pacts(commitments: QuerySet[Commitment]) -> HttpResponse:
    """One row per commitment, carrying its pact's title, dates and alliance."""
    headers = [
        _("Alliance"),
        _("Pact"),
        _("Signed on"),
        _("Valid until"),
        _("Member unit"),
        _("Commitment"),
        _("Due date"),
        _("Status"),
        _("Assessed on"),
        _("Evidence"),
    ]
    rows = (
        [
            c.pact.alliance.name,
            c.pact.title,
            c.pact.signed_on,
            c.pact.valid_until,
            c.member.display_name,
            c.content,
            c.due_on,
            c.get_status_display(),
            c.assessed_on,
            c.evidence,
        ]
        for c in commitments
    )
    data = table_workbook(
        title=_("Pacts and commitments"),
        headers=headers,
        rows=rows,
        widths=[24, 30, 12, 12, 24, 40, 12, 10, 12, 40],
    )
    return xlsx_response(data, name="结盟立约", fallback="pacts")


def activities(qs: QuerySet[Activity]) -> HttpResponse:
    headers = [_("Alliance"), _("Action"), _("Title"), _("Date"), _("Place"), _("Participants"), _("Summary")]
    rows = (
        [
            a.alliance.name,
            a.get_action_display(),
            a.title,
            a.held_on,
            a.place_label,
            a.participant_count,
            a.summary,
        ]
        for a in qs
    )
    data = table_workbook(
        title=_("Alliance activities"), headers=headers, rows=rows, widths=[24, 16, 36, 12, 24, 10, 60]
    )
    return xlsx_response(data, name="六大行动活动", fallback="alliance-activities")


def places(qs: QuerySet[Place]) -> HttpResponse:
    headers = [_("Name"), _("Kind"), _("Alliance"), _("Host enterprise"), _("Address")]
    rows = (
        [
            p.name,
            p.get_kind_display(),
            p.alliance.name if p.alliance else _("The whole zone"),
            p.host_enterprise.name if p.host_enterprise else "",
            p.address,
        ]
        for p in qs
    )
    data = table_workbook(
        title=_("Places of alliance work"), headers=headers, rows=rows, widths=[30, 14, 24, 30, 40]
    )
    return xlsx_response(data, name="联盟工作阵地", fallback="alliance-places")
