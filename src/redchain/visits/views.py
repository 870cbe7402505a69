"""Pages of the walking office. Reads go through ``visits.selectors`` and writes through ``visits.services``:
a view never decides who sees a visit and never saves one itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from redchain.accounts.decorators import zone_member_required
from redchain.core.errors import ActionRefused
from redchain.orgs.excel.tables import table_workbook, xlsx_response
from redchain.visits import forms as f
from redchain.visits import permissions as perms
from redchain.visits import selectors, services
from redchain.visits.exports import HEADERS, WIDTHS, export_row

PAGE_SIZE = 30


def _get_or_404(getter, **kwargs):
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _errors_onto_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _refusal(error: ActionRefused) -> str:
    return error.localised(get_language())


# ---------------------------------------------------------------------------------------------- list


@zone_member_required
def index(request):
    zone = request.zone.get()
    form = f.VisitFilterForm(request.GET or None, user=request.user, zone=zone)
    visits = selectors.visit_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "stats": selectors.visit_stats(
            user=request.user, zone_id=zone.pk, visits=visits, today=timezone.localdate()
        ),
        "can_log": perms.may_log_visits(request.user, zone.pk),
    }
    template = "visits/partials/_visit_results.html" if request.htmx else "visits/visit_list.html"
    return render(request, template, context)


@zone_member_required
def export(request):
    """The list as .xlsx, one row per finding: the same selector and filters as the page."""
    zone = request.zone.get()
    form = f.VisitFilterForm(request.GET or None, user=request.user, zone=zone)
    visits = selectors.visit_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    rows = (
        export_row(request.user, visit, finding)
        for visit, finding in selectors.export_rows(user=request.user, visits=visits)
    )
    data = table_workbook(title=_("Visits"), headers=HEADERS(), rows=rows, widths=WIDTHS)
    return xlsx_response(data, name="行走的办公室走访记录", fallback="visits")


# ---------------------------------------------------------------------------------------------- log and edit


@zone_member_required
def create(request):
    zone = request.zone.get()
    if not perms.may_log_visits(request.user, zone.pk):
        raise PermissionDenied
    initial = {"enterprise": request.GET.get("enterprise", "")}
    form = f.VisitCreateForm(request.POST or None, user=request.user, zone=zone, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(
                actor=request.user, enterprise=form.cleaned_data["enterprise"], **form.visit_fields()
            )
        except ValidationError as exc:
            _errors_onto_form(form, exc)
        except ActionRefused as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("Visit logged. Add what you found below."))
            return redirect("visits:detail", pk=visit.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "chosen": form.chosen_enterprise()}
    return render(request, "visits/visit_form.html", context, status=status)


@zone_member_required
def enterprise_options(request):
    """Radio buttons for the enterprises matching the search box of the log-a-visit form (HTMX)."""
    query = request.GET.get("q", "").strip()
    rows = []
    if query:
        rows = list(
            selectors.loggable_enterprises(user=request.user, zone_id=request.zone.get().pk, q=query)[:12]
        )
    return render(request, "visits/partials/_enterprise_options.html", {"enterprises": rows, "query": query})


@zone_member_required
def edit(request, pk: int):
    visit = _get_or_404(selectors.visit_get, user=request.user, pk=pk)
    if not perms.may_change(request.user, visit):
        raise Http404
    initial = {name: getattr(visit, name) for name in services.EDITABLE_FIELDS}
    form = f.VisitEditForm(request.POST or None, user=request.user, zone=visit.zone, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(actor=request.user, visit=visit, **form.visit_fields())
        except ValidationError as exc:
            _errors_onto_form(form, exc)
        except ActionRefused as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("Visit updated."))
            return redirect("visits:detail", pk=visit.pk)
    status = 400 if form.is_bound else 200
    return render(request, "visits/visit_form.html", {"form": form, "visit": visit}, status=status)


# ---------------------------------------------------------------------------------------------- detail and findings


def _detail_context(request, visit, *, finding_form=None) -> dict:
    findings = selectors.attach_demands(user=request.user, findings=visit.findings.all())
    can_change = perms.may_change(request.user, visit)
    return {
        "visit": visit,
        "findings": findings,
        "can_change": can_change,
        "sees_note": perms.sees_internal_note(request.user, visit),
        "finding_form": finding_form or (f.FindingForm() if can_change else None),
    }


@zone_member_required
def detail(request, pk: int):
    visit = _get_or_404(selectors.visit_get, user=request.user, pk=pk)
    return render(request, "visits/visit_detail.html", _detail_context(request, visit))


@require_POST
@zone_member_required
def finding_add(request, pk: int):
    visit = _get_or_404(selectors.visit_get, user=request.user, pk=pk)
    if not perms.may_change(request.user, visit):
        raise Http404
    form = f.FindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_create(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as exc:
            _errors_onto_form(form, exc)
        else:
            if not request.htmx:
                return redirect("visits:detail", pk=visit.pk)
            visit = selectors.visit_get(user=request.user, pk=pk)
            form = f.FindingForm()
    context = _detail_context(request, visit, finding_form=form)
    if request.htmx:
        # htmx swaps only 2xx answers, so a refused finding comes back as 200 with the errors in the form.
        return render(request, "visits/partials/_findings.html", context)
    return render(request, "visits/visit_detail.html", context, status=400)


def _finding_step(request, pk: int, step) -> object:
    """Run one step on a finding of a visible visit and answer with the finding's row (HTMX) or the page."""
    finding = _get_or_404(selectors.finding_get, user=request.user, pk=pk)
    error = ""
    try:
        step(finding)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except ActionRefused as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        error = _refusal(exc)
    visit = selectors.visit_get(user=request.user, pk=finding.visit_id)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("visits:detail", pk=visit.pk)
    context = _detail_context(request, visit)
    context["finding"] = next(x for x in context["findings"] if x.pk == finding.pk)
    context["error"] = error
    return render(request, "visits/partials/_finding.html", context)


@require_POST
@zone_member_required
def finding_demand(request, pk: int):
    """转为诉求, one click; a second click finds the demand already there."""
    return _finding_step(
        request, pk, lambda finding: services.finding_refer(actor=request.user, finding=finding)
    )


@require_POST
@zone_member_required
def finding_resolve(request, pk: int):
    form = f.ResolveForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _finding_step(
        request, pk, lambda finding: services.finding_resolve(actor=request.user, finding=finding, note=note)
    )
