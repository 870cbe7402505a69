"""Routing pages for zone admins: the manual triage queue, accuracy in production, responsibility keywords.

Each page shows the current zone only; a department id from another zone is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from redchain.accounts.decorators import zone_admin_required
from redchain.routing import selectors, services
from redchain.routing.models import RouterModel

PAGE_SIZE = 50


def _in_language(text: str) -> str:
    """Service messages are written "中文 / English"; show the reader's half."""
    zh, sep, en = text.partition(" / ")
    if not sep:
        return text
    return zh if (get_language() or "zh-hans").startswith("zh") else en


@zone_admin_required
def triage(request):
    zone = request.zone.get()
    page = Paginator(selectors.triage_queue(user=request.user, zone_id=zone.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = selectors.label_names(zone_id=zone.pk)
    rows = []
    for demand in page:
        by_target = {s.target: s for s in demand.suggestions.all()}
        rows.append(
            {
                "demand": demand,
                "department": selectors.with_names(by_target[RouterModel.Target.DEPARTMENT], names)
                if RouterModel.Target.DEPARTMENT in by_target
                else [],
                "category": selectors.with_names(by_target[RouterModel.Target.CATEGORY], names)
                if RouterModel.Target.CATEGORY in by_target
                else [],
            }
        )
    context = {"page": page, "rows": rows, "threshold": services.threshold(), "query": ""}
    return render(request, "routing/triage.html", context)


@zone_admin_required
def accuracy(request):
    zone = request.zone.get()
    rows = selectors.accuracy_in_production(zone_id=zone.pk)
    grouped = selectors.per_target(rows)
    context = {
        "targets": [
            {"value": value, "label": label, "rows": grouped.get(value, [])}
            for value, label in RouterModel.Target.choices
        ],
        "models": list(selectors.router_models(zone_id=zone.pk)),
        "threshold": services.threshold(),
    }
    return render(request, "routing/accuracy.html", context)


@zone_admin_required
@require_POST
def retrain(request):
    zone = request.zone.get()
    for value, label in RouterModel.Target.choices:
        try:
            router = services.router_train(zone=zone, target=value, actor=request.user)
        except ValidationError as exc:
            messages.warning(request, f"{label}: {_in_language(' '.join(exc.messages))}")
        else:
            messages.success(
                request,
                _("%(target)s router version %(version)s is now in use.")
                % {"target": label, "version": router.version},
            )
    return redirect("routing:accuracy")


class ResponsibilitiesForm(forms.Form):
    department = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Responsibility keywords (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@zone_admin_required
@require_http_methods(["GET", "POST"])
def responsibilities(request):
    zone = request.zone.get()
    departments = selectors.departments_for_keywords(zone_id=zone.pk)
    bound = ResponsibilitiesForm(request.POST) if request.method == "POST" else None
    if bound is not None and bound.is_valid():
        department = departments.filter(pk=bound.cleaned_data["department"]).first()
        if department is None:
            raise Http404
        services.department_update_responsibilities(
            actor=request.user, department=department, text=bound.cleaned_data["text"]
        )
        messages.success(request, _("Responsibility keywords of %(name)s saved.") % {"name": department.name})
        return redirect("routing:keywords")
    rows = [
        {
            "department": d,
            "form": ResponsibilitiesForm(initial={"department": d.pk, "text": d.responsibilities}),
        }
        for d in departments
    ]
    return render(request, "routing/keywords.html", {"rows": rows}, status=400 if bound is not None else 200)
