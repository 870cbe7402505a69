"""Pages of pairings (结对共建). Reads go through ``pairings.selectors`` and writes through ``pairings.services``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from redchain.accounts.decorators import zone_member_required
from redchain.core.errors import ActionRefused
from redchain.pairings import exports, selectors, services
from redchain.pairings import forms as f
from redchain.pairings.models import Pairing

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _get_or_404(getter, **kwargs):
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _errors_onto_form(form: django_forms.Form, exc: ValidationError) -> None:
    """A service's ``ValidationError`` shown on the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, " ".join(error.messages))
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _run(request, form: django_forms.Form, write: Callable[[], object]) -> bool:
    """Call the service; a refusal or a bad value lands on the form or in the messages. True on success."""
    try:
        write()
    except ValidationError as exc:
        _errors_onto_form(form, exc)
    except ActionRefused as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.localised(get_language()))
    else:
        return True
    return False


# ---------------------------------------------------------------------------------------------- lists


@zone_member_required
def index(request):
    """The landing page: pairings with their counts, and what each agency has achieved."""
    zone = request.zone.get()
    form = f.PairingFilterForm(request.GET or None, zone=zone)
    filters = form.cleaned_filters()
    context = {
        "form": form,
        "page": _page(request, selectors.pairing_list(user=request.user, zone_id=zone.pk, **filters)),
        "agencies": selectors.agency_summary(user=request.user, zone_id=zone.pk, **filters),
        "query": request.GET.urlencode(),
        "can_create": selectors.agency_orgs(user=request.user, zone_id=zone.pk).exists(),
    }
    template = "pairings/partials/_results.html" if request.htmx else "pairings/index.html"
    return render(request, template, context)


@zone_member_required
def export(request):
    zone = request.zone.get()
    form = f.PairingFilterForm(request.GET or None, zone=zone)
    rows = selectors.pairing_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    return exports.pairings_response(rows)


@zone_member_required
def project_list(request):
    zone = request.zone.get()
    form = f.ProjectFilterForm(request.GET or None, zone=zone)
    projects = selectors.project_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    context = {"form": form, "page": _page(request, projects), "query": request.GET.urlencode()}
    template = "pairings/partials/_project_table.html" if request.htmx else "pairings/project_list.html"
    return render(request, template, context)


@zone_member_required
def project_export(request):
    zone = request.zone.get()
    form = f.ProjectFilterForm(request.GET or None, zone=zone)
    rows = selectors.project_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    return exports.projects_response(rows)


# ---------------------------------------------------------------------------------------------- one pairing


def _detail(
    request, pairing: Pairing, *, bound: tuple[str, int, django_forms.Form] | None = None, status=200
):
    """The pairing page; ``bound`` is a form that failed (its name, the row it belongs to, the form)."""
    may_manage = services.may_manage(request.user, pairing)
    promises = list(pairing.promises.all())
    projects = list(pairing.projects.all())

    def form_for(name: str, pk: int, make: Callable[[], django_forms.Form]) -> django_forms.Form:
        return bound[2] if bound and bound[0] == name and bound[1] == pk else make()

    if may_manage:
        for promise in promises:
            promise.deliver_form = form_for("deliver", promise.pk, f.DeliverForm)  # type: ignore[attr-defined]
        for project in projects:
            project.status_form = form_for(  # type: ignore[attr-defined]
                "status", project.pk, partial(f.ProjectStatusForm, project=project)
            )
    context = {
        "pairing": pairing,
        "promises": promises,
        "projects": projects,
        "may_manage": may_manage,
        "promise_form": form_for("promise", pairing.pk, f.PromiseForm),
        "project_form": form_for("project", pairing.pk, f.ProjectForm),
        "end_form": form_for("end", pairing.pk, f.EndForm),
        "open_form": bound[0] if bound else "",
    }
    return render(request, "pairings/detail.html", context, status=status)


def _pairing_or_404(request, pk: int) -> Pairing:
    return _get_or_404(selectors.pairing_get, user=request.user, pk=pk)


@zone_member_required
def detail(request, pk: int):
    return _detail(request, _pairing_or_404(request, pk))


@zone_member_required
def create(request):
    zone = request.zone.get()
    if not selectors.agency_orgs(user=request.user, zone_id=zone.pk).exists():
        raise PermissionDenied
    form = f.PairingForm(request.POST or None, user=request.user, zone=zone)
    if request.method == "POST" and form.is_valid():
        created: list[Pairing] = []
        if _run(
            request,
            form,
            lambda: created.append(
                services.pairing_create(actor=request.user, zone=zone, **form.cleaned_data)
            ),
        ):
            messages.success(request, _("The pairing was created."))
            return redirect("pairings:detail", pk=created[0].pk)
    status = 400 if form.is_bound else 200
    return render(request, "pairings/form.html", {"form": form, "pairing": None}, status=status)


@zone_member_required
def edit(request, pk: int):
    pairing = _pairing_or_404(request, pk)
    if not services.may_manage(request.user, pairing):
        raise Http404
    initial = {name: getattr(pairing, name) for name in services.EDITABLE_FIELDS}
    form = f.PairingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.pairing_update(actor=request.user, pairing=pairing, **form.cleaned_data),
        ):
            messages.success(request, _("The pairing was saved."))
            return redirect("pairings:detail", pk=pairing.pk)
    status = 400 if form.is_bound else 200
    return render(request, "pairings/form.html", {"form": form, "pairing": pairing}, status=status)


def _post(request, pairing: Pairing, name: str, row_pk: int, form, write, done: str):
    """The common shape of a write posted from the pairing page; readers who may not write get a 404."""
    if not services.may_manage(request.user, pairing):
        raise Http404
    if form.is_valid() and _run(request, form, lambda: write(form)):
        messages.success(request, done)
        return redirect("pairings:detail", pk=pairing.pk)
    pairing = _pairing_or_404(request, pairing.pk)
    return _detail(request, pairing, bound=(name, row_pk, form), status=400 if form.errors else 409)


@require_POST
@zone_member_required
def end(request, pk: int):
    pairing = _pairing_or_404(request, pk)
    form = f.EndForm(request.POST)

    def write(form):
        services.pairing_end(actor=request.user, pairing=pairing, **form.cleaned_data)

    return _post(request, pairing, "end", pairing.pk, form, write, _("The pairing was ended."))


@require_POST
@zone_member_required
def promise_add(request, pk: int):
    pairing = _pairing_or_404(request, pk)
    form = f.PromiseForm(request.POST)

    def write(form):
        services.promise_add(actor=request.user, pairing=pairing, **form.cleaned_data)

    return _post(request, pairing, "promise", pairing.pk, form, write, _("The promise was recorded."))


@require_POST
@zone_member_required
def promise_deliver(request, pk: int):
    promise = _get_or_404(selectors.promise_get, user=request.user, pk=pk)
    form = f.DeliverForm(request.POST)

    def write(form):
        services.promise_deliver(actor=request.user, promise=promise, **form.cleaned_data)

    return _post(
        request, promise.pairing, "deliver", promise.pk, form, write, _("The delivery was recorded.")
    )


@require_POST
@zone_member_required
def project_add(request, pk: int):
    pairing = _pairing_or_404(request, pk)
    form = f.ProjectForm(request.POST)

    def write(form):
        services.project_add(actor=request.user, pairing=pairing, **form.arguments())

    return _post(request, pairing, "project", pairing.pk, form, write, _("The project was added."))


@require_POST
@zone_member_required
def project_status(request, pk: int):
    project = _get_or_404(selectors.project_get, user=request.user, pk=pk)
    form = f.ProjectStatusForm(request.POST, project=project)

    def write(form):
        services.project_set_status(actor=request.user, project=project, **form.arguments())

    return _post(request, project.pairing, "status", project.pk, form, write, _("The project was updated."))
