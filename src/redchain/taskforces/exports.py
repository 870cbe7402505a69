"""Excel exports of the task-force pages. Each takes the rows its page's selector produced, so an export never
shows more than the page (same scope, same filters)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redchain.orgs.excel.tables import table_workbook, xlsx_response
from redchain.taskforces.models import Suggestion, TaskForce
from redchain.taskforces.selectors import FunnelRow


def _number(value: Decimal | None) -> float | None:
    # Decimals would be written as text; a number lets the reader sum the column.
    return None if value is None else float(value)


def _roster(task_force: TaskForce) -> str:
    return "、".join(
        f"{row.member.name}（{row.get_role_display()}）" if row.role == "leader" else row.member.name
        for row in task_force.members.all()
    )


def task_forces(rows: Iterable[TaskForce]) -> HttpResponse:
    headers: list[Any] = [
        _("Name"),
        _("Kind"),
        _("Party organisation"),
        _("Enterprise"),
        _("Project or problem"),
        _("Goal"),
        _("Formed on"),
        _("Status"),
        _("Finished on"),
        _("Result"),
        _("Benefit (10k yuan)"),
        _("Members"),
        _("Roster"),
    ]
    data = [
        [
            tf.name,
            tf.get_kind_display(),
            tf.org.name,
            tf.enterprise.name if tf.enterprise else "",
            tf.project,
            tf.goal,
            tf.formed_on,
            tf.get_status_display(),
            tf.finished_on,
            tf.result,
            _number(tf.benefit_wan),
            len(tf.members.all()),
            _roster(tf),
        ]
        for tf in rows
    ]
    book = table_workbook(
        title=_("Task forces"),
        headers=headers,
        rows=data,
        widths=[24, 10, 24, 24, 36, 30, 12, 10, 12, 30, 12, 8, 40],
    )
    return xlsx_response(book, name=_("Task forces"), fallback="task-forces")


def suggestions(rows: Iterable[Suggestion]) -> HttpResponse:
    headers: list[Any] = [
        _("Title"),
        _("Content"),
        _("Submitted by"),
        _("Party organisation"),
        _("Task force"),
        _("Enterprise"),
        _("Submitted on"),
        _("Status"),
        _("Adopted on"),
        _("Implemented on"),
        _("Economic benefit (10k yuan)"),
        _("Other benefit"),
        _("Reason for not adopting"),
    ]
    data = [
        [
            s.title,
            s.content,
            s.submitted_by,
            s.org.name,
            s.task_force.name if s.task_force else "",
            s.enterprise.name if s.enterprise else "",
            s.submitted_on,
            s.get_status_display(),
            s.adopted_on,
            s.implemented_on,
            _number(s.benefit_wan),
            s.other_benefit,
            s.rejection_reason,
        ]
        for s in rows
    ]
    book = table_workbook(
        title=_("Suggestions"),
        headers=headers,
        rows=data,
        widths=[30, 40, 10, 24, 20, 24, 12, 10, 12, 12, 12, 24, 24],
    )
    return xlsx_response(book, name=_("Suggestions"), fallback="suggestions")


GROUP_HEADERS = {
    "org": gettext_lazy("Party organisation"),
    "enterprise": gettext_lazy("Enterprise"),
    "task_force": gettext_lazy("Task force"),
}


def funnel(rows: list[FunnelRow], *, total: FunnelRow, by: str) -> HttpResponse:
    headers: list[Any] = [
        _("Rank"),
        GROUP_HEADERS[by],
        _("Collected"),
        _("Adopted"),
        _("Implemented"),
        _("Benefit (10k yuan)"),
        _("Adoption rate (%)"),
        _("Implementation rate (%)"),
        _("Adopted ideas implemented (%)"),
    ]

    def line(rank, row: FunnelRow) -> list:
        return [
            rank,
            row.name,
            row.collected,
            row.adopted,
            row.implemented,
            _number(row.benefit_wan),
            row.adoption_rate,
            row.implementation_rate,
            row.conversion_rate,
        ]

    data = [line(rank, row) for rank, row in enumerate(rows, start=1)]
    data.append(
        line(
            "",
            FunnelRow(None, _("Total"), total.collected, total.adopted, total.implemented, total.benefit_wan),
        )
    )
    book = table_workbook(
        title=_("Suggestion funnel"), headers=headers, rows=data, widths=[6, 30, 10, 10, 10, 14, 12, 12, 14]
    )
    return xlsx_response(book, name=_("Suggestion funnel"), fallback="suggestion-funnel")
