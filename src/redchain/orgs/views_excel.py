"""Excel in and out: import templates, the import page and scoped exports.

``<kind>`` is one of enterprises, party-orgs or party-members; anything else is a 404. Importing is for
administrators of the current zone; exporting is for any member of it and yields what they may see.
"""

from __future__ import annotations

from base64 import b64encode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from redchain.accounts.decorators import zone_admin_required, zone_member_required
from redchain.orgs.excel import KINDS
from redchain.orgs.excel.columns import COLUMNS, IMPORT_TITLES, kind_label
from redchain.orgs.excel.exporters import export_workbook, party_org_filters
from redchain.orgs.excel.forms import ImportForm
from redchain.orgs.excel.importers import run_import
from redchain.orgs.excel.results import ImportResult
from redchain.orgs.excel.tables import XLSX_CONTENT_TYPE, xlsx_response
from redchain.orgs.excel.workbooks import allowed_text, build_error_report, build_template
from redchain.orgs.forms import EnterpriseFilterForm, PartyMemberFilterForm

LIST_URLS = {
    "enterprises": "orgs:enterprise_list",
    "party-orgs": "orgs:party_org_tree",
    "party-members": "orgs:party_member_list",
}
# The page shows the first problems; the downloadable report holds many more.
SHOWN_ERRORS = 500
REPORTED_ERRORS = 5000


@zone_member_required
@require_GET
def import_template(request, kind):
    """The blank template of ``kind``, with instructions; it holds no data, so any zone member may have it."""
    _check_kind(kind)
    name = _("%(kind)s import template") % {"kind": kind_label(kind)}
    return xlsx_response(build_template(kind=kind), name=name, fallback=f"{kind}-import-template")


@zone_admin_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    """The upload form; a good file is imported whole, a bad one is reported row by row."""
    _check_kind(kind)
    zone = request.zone.get()
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if form.is_bound and form.is_valid():
        result = run_import(kind=kind, actor=request.user, zone=zone, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _success_message(result))
            return redirect(request.path)
    return render(request, "orgs/import.html", _page_context(kind=kind, form=form, result=result))


@zone_member_required
@require_GET
def export(request, kind):
    """The list of ``kind`` the user may see in the current zone, filtered like the list page."""
    _check_kind(kind)
    zone = request.zone.get()
    filters = _export_filters(request, kind=kind, zone=zone)
    data = export_workbook(kind=kind, user=request.user, zone=zone, filters=filters)
    stamp = f"{timezone.localdate():%Y%m%d}"
    return xlsx_response(
        data, name=f"{kind_label(kind)}-{zone.name}-{stamp}", fallback=f"{kind}-{zone.code}-{stamp}"
    )


def _export_filters(request, *, kind: str, zone) -> dict:
    """The list page's filters, read by the list page's own form so both always agree."""
    query = request.GET or None
    if kind == "enterprises":
        return EnterpriseFilterForm(query, zone=zone).cleaned_filters()
    if kind == "party-members":
        return PartyMemberFilterForm(query, user=request.user, zone=zone).cleaned_filters()
    return party_org_filters(request.GET)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise Http404


def _success_message(result: ImportResult) -> str:
    return _("Imported %(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


def _report_link(kind: str, result: ImportResult | None) -> dict[str, str]:
    """The problems as an .xlsx inside the page (a data: link), so no copy of them stays on the server."""
    if result is None or not result.row_errors:
        return {}
    data = build_error_report(errors=result.errors[:REPORTED_ERRORS])
    name = _("%(kind)s import problems") % {"kind": kind_label(kind)}
    return {"href": f"data:{XLSX_CONTENT_TYPE};base64,{b64encode(data).decode()}", "name": f"{name}.xlsx"}


def _page_context(*, kind: str, form: ImportForm, result: ImportResult | None) -> dict:
    columns = [
        {
            "title": column.title,
            "required": column.required,
            "help": column.help,
            "allowed": allowed_text(column),
        }
        for column in COLUMNS[kind]
    ]
    return {
        "kind": kind,
        "title": IMPORT_TITLES[kind],
        "kind_label": kind_label(kind),
        "form": form,
        "result": result,
        "shown_errors": result.row_errors[:SHOWN_ERRORS] if result else [],
        "columns": columns,
        "template_url": reverse("orgs:import_template", kwargs={"kind": kind}),
        "report": _report_link(kind, result),
        "list_url": reverse(LIST_URLS[kind]),
        "max_size": filesizeformat(settings.REDCHAIN_IMPORT_MAX_BYTES),
        "max_rows": settings.REDCHAIN_IMPORT_MAX_ROWS,
    }
