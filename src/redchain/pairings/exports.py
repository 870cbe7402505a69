"""Excel exports of the pairing list (with its counts) and of the joint projects.

The rows come from the same selectors and filters as the pages, so an export never shows more than its page.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from redchain.orgs.excel.tables import table_workbook, xlsx_response
from redchain.pairings.models import Pairing, PairingProject


def _number(value: Decimal | None) -> float | None:
    # openpyxl writes a Decimal as text; a float keeps the column summable in Excel.
    return None if value is None else float(value)


def _rate(done: int, total: int) -> float | None:
    return round(done / total, 3) if total else None


def pairings_response(rows: Iterable[Pairing]) -> HttpResponse:
    headers = [
        _("Name"),
        _("Agency"),
        _("Agency party organisation"),
        _("Partner kind"),
        _("Partner"),
        _("Mechanism"),
        _("Status"),
        _("Started on"),
        _("Ended on"),
        _("Promises"),
        _("Delivered"),
        _("Overdue"),
        _("Delivery rate"),
        _("Funds promised (10k yuan)"),
        _("Funds delivered (10k yuan)"),
        _("Projects"),
        _("Planned"),
        _("In progress"),
        _("Done"),
        _("Stalled"),
    ]
    data = (
        [
            p.name,
            str(p.agency_org.owner_department or ""),
            p.agency_org.name,
            p.get_partner_kind_display(),
            p.partner_label,
            p.get_mechanism_display(),
            p.get_status_display(),
            p.started_on,
            p.ended_on,
            p.promise_count,  # type: ignore[attr-defined]
            p.delivered_count,  # type: ignore[attr-defined]
            p.overdue_count,  # type: ignore[attr-defined]
            _rate(p.delivered_count, p.promise_count),  # type: ignore[attr-defined]
            _number(p.funds_promised_wan),  # type: ignore[attr-defined]
            _number(p.funds_delivered_wan),  # type: ignore[attr-defined]
            p.project_count,  # type: ignore[attr-defined]
            p.projects_planned,  # type: ignore[attr-defined]
            p.projects_in_progress,  # type: ignore[attr-defined]
            p.projects_done,  # type: ignore[attr-defined]
            p.projects_stalled,  # type: ignore[attr-defined]
        ]
        for p in rows
    )
    widths = [36, 18, 22, 10, 24, 18, 8, 12, 12] + [10] * 11
    workbook = table_workbook(title=_("Pairings"), headers=headers, rows=data, widths=widths)
    return xlsx_response(workbook, name=_("Pairings"), fallback="pairings")


def projects_response(rows: Iterable[PairingProject]) -> HttpResponse:
    headers = [
        _("Title"),
        _("Pairing"),
        _("Agency"),
        _("Partner"),
        _("Kind"),
        _("Status"),
        _("Started on"),
        _("Completed on"),
        _("Investment (10k yuan)"),
        _("Beneficiaries"),
        _("Counted in"),
        _("Outcome"),
    ]
    data = (
        [
            p.title,
            p.pairing.name,
            str(p.pairing.agency_org.owner_department or ""),
            p.pairing.partner_label,
            p.get_kind_display(),
            p.get_status_display(),
            p.started_on,
            p.completed_on,
            _number(p.investment_wan),
            p.beneficiaries,
            p.get_beneficiary_unit_display(),
            p.outcome,
        ]
        for p in rows
    )
    widths = [30, 36, 18, 24, 12, 10, 12, 12, 12, 10, 8, 40]
    workbook = table_workbook(title=_("Joint projects"), headers=headers, rows=data, widths=widths)
    return xlsx_response(workbook, name=_("Joint projects"), fallback="pairing-projects")
