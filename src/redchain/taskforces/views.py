"""Pages of task forces and suggestions. Reads go through ``taskforces.selectors`` and writes through
``taskforces.services``. An object outside the user's scope is a 404; a visible one the user may only read
(leaders, instructors, other departments) offers no forms, and a write to it is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from redchain.accounts.decorators import zone_member_required
from redchain.core.errors import ActionRefused
from redchain.taskforces import exports, selectors, services
from redchain.taskforces import forms as f
from redchain.taskforces.models import Suggestion, TaskForce
from redchain.taskforces.permissions import may_manage, may_manage_anywhere

PAGE_SIZE = 50
S = Suggestion.Status


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _get_or_404(getter, **kwargs):
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _errors_onto(form, exc: ValidationError) -> None:
    """A service's field errors onto the form's fields where it has them, else onto the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _run(request, form, write: Callable[[], Any]) -> Any | None:
    """Call the service; a refusal lands on the form and nothing is written."""
    try:
        return write()
    except ValidationError as exc:
        _errors_onto(form, exc)
    except ActionRefused as exc:
        form.add_error(None, exc.localised(get_language()))
    return None


def _unshown_errors(bound: tuple[str, Any] | None, offered: list[str]) -> list[str]:
    """The errors of a refused step whose form the page no longer offers (the state moved on)."""
    if bound is None or bound[0] in offered:
        return []
    return [message for messages_ in bound[1].errors.values() for message in messages_]


def funnel_labels() -> dict[str, str]:
    return {"collected": _("Collected"), "adopted": _("Adopted"), "implemented": _("Implemented")}


# ---------------------------------------------------------------------------------------------- task forces


@zone_member_required
def index(request):
    """The landing page: the task forces with their filters, and the zone's suggestion funnel."""
    zone = request.zone.get()
    form = f.TaskForceFilterForm(request.GET or None, user=request.user, zone=zone)
    task_forces = selectors.task_force_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    context = {"form": form, "page": _page(request, task_forces), "query": request.GET.urlencode()}
    if request.htmx:
        return render(request, "taskforces/partials/_task_force_table.html", context)
    total = selectors.funnel_total(selectors.suggestion_list(user=request.user, zone_id=zone.pk))
    context |= {
        "funnel": total,
        "chart": selectors.funnel_chart(total, funnel_labels()),
        "can_write": may_manage_anywhere(request.user, zone.pk),
    }
    return render(request, "taskforces/index.html", context)


@zone_member_required
def task_force_export(request):
    zone = request.zone.get()
    form = f.TaskForceFilterForm(request.GET or None, user=request.user, zone=zone)
    task_forces = selectors.task_force_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    return exports.task_forces(selectors.task_forces_with_members(task_forces))


@zone_member_required
@require_http_methods(["GET", "POST"])
def task_force_create(request):
    zone = request.zone.get()
    if not may_manage_anywhere(request.user, zone.pk):
        raise PermissionDenied
    form = f.TaskForceForm(request.POST or None, user=request.user, zone=zone)
    if request.method == "POST" and form.is_valid():
        task_force = _run(
            request, form, lambda: services.task_force_create(actor=request.user, **form.values())
        )
        if task_force is not None:
            messages.success(request, _("The task force was formed."))
            return redirect("taskforces:detail", pk=task_force.pk)
    status = 400 if form.is_bound else 200
    return render(request, "taskforces/task_force_form.html", {"form": form}, status=status)


@zone_member_required
def task_force_detail(request, pk: int):
    return _task_force_page(request, _get_or_404(selectors.task_force_get, user=request.user, pk=pk))


def _task_force_page(request, task_force: TaskForce, *, bound: tuple[str, Any] | None = None, status=200):
    can_write = may_manage(request.user, task_force.org) and task_force.status == TaskForce.Status.ACTIVE
    forms: dict[str, Any] = {}
    if can_write:
        forms = {
            "members": f.MemberAddForm(user=request.user, task_force=task_force),
            "finish": f.FinishForm(),
            "disband": f.DisbandForm(),
        }
        if bound:
            forms[bound[0]] = bound[1]
    suggestions = selectors.suggestion_list(user=request.user, task_force_id=task_force.pk)
    total = selectors.funnel_total(suggestions)
    context = {
        "task_force": task_force,
        "members": list(task_force.members.all()),
        "forms": forms,
        "open_action": bound[0] if bound else "",
        "refusals": _unshown_errors(bound, list(forms)),
        "can_write": can_write,
        "suggestions": suggestions[:20],
        "funnel": total,
    }
    return render(request, "taskforces/task_force_detail.html", context, status=status)


@zone_member_required
@require_http_methods(["GET", "POST"])
def task_force_edit(request, pk: int):
    task_force = _get_or_404(selectors.task_force_get, user=request.user, pk=pk)
    if not may_manage(request.user, task_force.org) or task_force.status != TaskForce.Status.ACTIVE:
        raise PermissionDenied
    form = f.TaskForceForm(request.POST or None, instance=task_force, user=request.user, zone=task_force.zone)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: services.task_force_update(actor=request.user, task_force=task_force, **form.values()),
        )
        if done is not None:
            messages.success(request, _("The task force was saved."))
            return redirect("taskforces:detail", pk=task_force.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "task_force": task_force}
    return render(request, "taskforces/task_force_form.html", context, status=status)


TASK_FORCE_ACTIONS: dict[str, tuple[Callable[..., Any], Callable[..., Any], Any]] = {
    "members": (
        lambda request, tf: f.MemberAddForm(request.POST, user=request.user, task_force=tf),
        lambda user, tf, c: services.task_force_add_member(actor=user, task_force=tf, **c),
        gettext_lazy("The party member joined the task force."),
    ),
    "finish": (
        lambda request, tf: f.FinishForm(request.POST),
        lambda user, tf, c: services.task_force_finish(actor=user, task_force=tf, **c),
        gettext_lazy("The task force was finished."),
    ),
    "disband": (
        lambda request, tf: f.DisbandForm(request.POST),
        lambda user, tf, c: services.task_force_disband(actor=user, task_force=tf, **c),
        gettext_lazy("The task force was disbanded."),
    ),
}


@require_POST
@zone_member_required
def task_force_action(request, pk: int, action: str):
    task_force = _get_or_404(selectors.task_force_get, user=request.user, pk=pk)
    if action not in TASK_FORCE_ACTIONS:
        raise Http404
    if not may_manage(request.user, task_force.org):
        raise PermissionDenied
    make_form, write, done = TASK_FORCE_ACTIONS[action]
    form = make_form(request, task_force)
    if form.is_valid() and _run(request, form, lambda: write(request.user, task_force, form.cleaned_data)):
        messages.success(request, done)
        return redirect("taskforces:detail", pk=task_force.pk)
    task_force = selectors.task_force_get(user=request.user, pk=pk)
    return _task_force_page(request, task_force, bound=(action, form), status=400)


# ---------------------------------------------------------------------------------------------- suggestions


def _suggestions(request, zone):
    form = f.SuggestionFilterForm(request.GET or None, user=request.user, zone=zone)
    return form, selectors.suggestion_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())


@zone_member_required
def suggestion_list(request):
    zone = request.zone.get()
    form, suggestions = _suggestions(request, zone)
    context = {
        "form": form,
        "page": _page(request, suggestions),
        "query": request.GET.urlencode(),
        "funnel": selectors.funnel_total(suggestions),
        "can_write": may_manage_anywhere(request.user, zone.pk),
    }
    template = (
        "taskforces/partials/_suggestion_table.html" if request.htmx else "taskforces/suggestion_list.html"
    )
    return render(request, template, context)


@zone_member_required
def suggestion_export(request):
    _form, suggestions = _suggestions(request, request.zone.get())
    return exports.suggestions(suggestions)


@zone_member_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request):
    zone = request.zone.get()
    if not may_manage_anywhere(request.user, zone.pk):
        raise PermissionDenied
    initial = {"task_force": request.GET.get("task_force")} if request.GET.get("task_force") else None
    form = f.SuggestionForm(request.POST or None, initial=initial, user=request.user, zone=zone)
    if request.method == "POST" and form.is_valid():
        suggestion = _run(
            request, form, lambda: services.suggestion_submit(actor=request.user, **form.cleaned_data)
        )
        if suggestion is not None:
            messages.success(request, _("The suggestion was collected."))
            return redirect("taskforces:suggestion_detail", pk=suggestion.pk)
    status = 400 if form.is_bound else 200
    return render(request, "taskforces/suggestion_form.html", {"form": form}, status=status)


SUGGESTION_ACTIONS: dict[str, tuple[Any, Callable[..., Any], Any, tuple[str, ...]]] = {
    "adopt": (
        f.AdoptForm,
        services.suggestion_adopt,
        gettext_lazy("The suggestion was adopted."),
        (S.COLLECTED,),
    ),
    "implement": (
        f.ImplementForm,
        services.suggestion_implement,
        gettext_lazy("The suggestion was recorded as implemented."),
        (S.ADOPTED,),
    ),
    "reject": (
        f.RejectForm,
        services.suggestion_reject,
        gettext_lazy("The suggestion was recorded as not adopted."),
        (S.COLLECTED, S.ADOPTED),
    ),
}
ACTION_LABELS = {
    "adopt": gettext_lazy("Adopt"),
    "implement": gettext_lazy("Record implementation"),
    "reject": gettext_lazy("Do not adopt"),
}


@zone_member_required
def suggestion_detail(request, pk: int):
    return _suggestion_page(request, _get_or_404(selectors.suggestion_get, user=request.user, pk=pk))


def _suggestion_page(request, suggestion: Suggestion, *, bound: tuple[str, Any] | None = None, status=200):
    actions = []
    if may_manage(request.user, suggestion.org):
        for name, (form_class, _write, _done, statuses) in SUGGESTION_ACTIONS.items():
            if suggestion.status in statuses:
                form = bound[1] if bound and bound[0] == name else form_class()
                actions.append({"name": name, "label": ACTION_LABELS[name], "form": form})
    context = {
        "suggestion": suggestion,
        "actions": actions,
        "refusals": _unshown_errors(bound, [a["name"] for a in actions]),
        "open_action": bound[0] if bound else "",
        "can_edit": bool(actions) and suggestion.status == S.COLLECTED,
    }
    return render(request, "taskforces/suggestion_detail.html", context, status=status)


@require_POST
@zone_member_required
def suggestion_action(request, pk: int, action: str):
    suggestion = _get_or_404(selectors.suggestion_get, user=request.user, pk=pk)
    if action not in SUGGESTION_ACTIONS:
        raise Http404
    if not may_manage(request.user, suggestion.org):
        raise PermissionDenied
    form_class, write, done, _statuses = SUGGESTION_ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid() and _run(
        request, form, lambda: write(actor=request.user, suggestion=suggestion, **form.cleaned_data)
    ):
        messages.success(request, done)
        return redirect("taskforces:suggestion_detail", pk=suggestion.pk)
    suggestion = selectors.suggestion_get(user=request.user, pk=pk)
    return _suggestion_page(request, suggestion, bound=(action, form), status=400)


@zone_member_required
@require_http_methods(["GET", "POST"])
def suggestion_edit(request, pk: int):
    suggestion = _get_or_404(selectors.suggestion_get, user=request.user, pk=pk)
    if not may_manage(request.user, suggestion.org) or suggestion.status != S.COLLECTED:
        raise PermissionDenied
    initial = {name: getattr(suggestion, name) for name in ("title", "content", "submitted_on")}
    form = f.SuggestionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: services.suggestion_update(
                actor=request.user, suggestion=suggestion, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("The suggestion was saved."))
            return redirect("taskforces:suggestion_detail", pk=suggestion.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "suggestion": suggestion}
    return render(request, "taskforces/suggestion_form.html", context, status=status)


# ---------------------------------------------------------------------------------------------- the funnel


def _funnel(request):
    zone = request.zone.get()
    form = f.FunnelForm(request.GET or None)
    by, year = form.grouping()
    suggestions = selectors.suggestion_list(user=request.user, zone_id=zone.pk, year=year)
    return form, by, suggestions


@zone_member_required
def funnel(request):
    form, by, suggestions = _funnel(request)
    total = selectors.funnel_total(suggestions)
    context = {
        "form": form,
        "by": by,
        "total": total,
        "rows": selectors.funnel_rows(suggestions, by=by),
        "chart": selectors.funnel_chart(total, funnel_labels()),
        "query": request.GET.urlencode(),
    }
    return render(request, "taskforces/funnel.html", context)


@zone_member_required
def funnel_export(request):
    form, by, suggestions = _funnel(request)
    return exports.funnel(
        selectors.funnel_rows(suggestions, by=by), total=selectors.funnel_total(suggestions), by=by
    )
