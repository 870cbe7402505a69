"""Pages of party life. Reads go through ``partylife.selectors`` and writes through ``partylife.services``.

An object outside the user's scope is a 404; one the user sees but may not change is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from redchain.accounts.decorators import zone_admin_required, zone_member_required
from redchain.core.errors import ActionRefused
from redchain.orgs.models import PartyOrg
from redchain.partylife import exports, selectors, services
from redchain.partylife import forms as f
from redchain.partylife.models import ActivityKind, BranchBrand
from redchain.partylife.permissions import administers, may_record, writable_orgs

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _get_or_404(getter: Callable, **kwargs) -> Any:
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _run(form, request, action: Callable[[], Any]) -> Any | None:
    """Call a service; show a refusal or invalid input on the form and return None."""
    try:
        return action()
    except ValidationError as error:
        f.apply_errors(form, error)
    except ActionRefused as refusal:
        form.add_error(None, refusal.localised(get_language()))
    return None


def _visible_orgs(request):
    return PartyOrg.objects.visible_to(request.user).filter(zone=request.zone.get())


# ---------------------------------------------------------------------------------------------- activities


def _activity_filters(request) -> tuple[f.ActivityFilterForm, dict]:
    zone = request.zone.get()
    form = f.ActivityFilterForm(request.GET or None, orgs=_visible_orgs(request))
    return form, {"zone_id": zone.pk, **form.cleaned_filters()}


@zone_member_required
def index(request):
    """The activities list (landing page): filters by organisation, kind and month, with counts per kind."""
    form, filters = _activity_filters(request)
    counts = selectors.kind_counts(user=request.user, **filters)
    context = {
        "form": form,
        "page": _page(request, selectors.activity_list(user=request.user, **filters)),
        "query": request.GET.urlencode(),
        "kind_counts": [(label, counts.get(value, 0)) for value, label in ActivityKind.choices],
        "can_record": writable_orgs(request.user, filters["zone_id"]).exists(),
    }
    template = "partylife/partials/_activity_table.html" if request.htmx else "partylife/index.html"
    return render(request, template, context)


@zone_member_required
def activity_export(request):
    _form, filters = _activity_filters(request)
    return exports.activities(selectors.activity_list(user=request.user, **filters))


@zone_member_required
def activity_detail(request, pk: int):
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    context = {
        "activity": activity,
        "roll": selectors.roll_call(activity),
        "rate": selectors.attendance_rate(activity),
        "can_edit": may_record(request.user, activity.org),
    }
    return render(request, "partylife/activity_detail.html", context)


def _members(org: PartyOrg) -> list:
    return list(org.members.order_by("sort_name", "id"))


@zone_member_required
def activity_create(request):
    zone = request.zone.get()
    pick = f.OrgPickForm(request.GET or None, user=request.user, zone=zone)
    if not writable_orgs(request.user, zone.pk).exists():
        raise PermissionDenied
    if not pick.is_valid():
        return render(request, "partylife/activity_pick.html", {"form": pick})
    org = PartyOrg.objects.get(pk=pick.cleaned_data["org"])
    form = f.ActivityForm(request.POST or None, members=_members(org))
    if request.method == "POST" and form.is_valid():
        activity = _run(
            form,
            request,
            lambda: services.activity_record(
                actor=request.user, org=org, attendance=form.attendance(), **form.values()
            ),
        )
        if activity is not None:
            messages.success(request, _("The activity was recorded."))
            return redirect("partylife:activity_detail", pk=activity.pk)
    return render(request, "partylife/activity_form.html", {"form": form, "org": org})


@zone_member_required
def activity_edit(request, pk: int):
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    if not may_record(request.user, activity.org):
        raise PermissionDenied
    statuses = dict(activity.attendance.values_list("member_id", "status"))
    initial = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    form = f.ActivityForm(
        request.POST or None, initial=initial, members=_members(activity.org), statuses=statuses
    )
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form,
            request,
            lambda: services.activity_update(
                actor=request.user, activity=activity, attendance=form.attendance(), **form.values()
            ),
        )
        if saved is not None:
            messages.success(request, _("The activity was saved."))
            return redirect("partylife:activity_detail", pk=activity.pk)
    return render(
        request, "partylife/activity_form.html", {"form": form, "org": activity.org, "activity": activity}
    )


# ---------------------------------------------------------------------------------------------- compliance


def _compliance(request):
    zone = request.zone.get()
    form = f.ComplianceFilterForm(request.GET or None)
    filters = form.cleaned_filters()
    month = filters.get("month") or selectors.default_month(user=request.user, zone_id=zone.pk)
    report = selectors.compliance_report(
        user=request.user, zone_id=zone.pk, month=month, kind=filters.get("kind", "")
    )
    return form, report


@zone_member_required
def compliance_view(request):
    form, report = _compliance(request)
    context = {
        "form": form,
        "report": report,
        "page": _page(request, report.misses),
        "query": request.GET.urlencode(),
        "month_value": f"{report.month:%Y-%m}",
    }
    return render(request, "partylife/compliance.html", context)


@zone_member_required
def compliance_export(request):
    _form, report = _compliance(request)
    return exports.compliance(report)


@zone_member_required
def cadence(request):
    zone = request.zone.get()
    context = {
        "rules": selectors.cadence_rules(user=request.user, zone_id=zone.pk),
        "can_edit": administers(request.user, zone.pk),
    }
    return render(request, "partylife/cadence.html", context)


@zone_admin_required
def cadence_form(request, pk: int | None = None):
    zone = request.zone.get()
    rule = _get_or_404(selectors.cadence_rule_get, user=request.user, zone_id=zone.pk, pk=pk) if pk else None
    initial = (
        {
            "kind": rule.kind,
            "every_months": rule.every_months,
            "org_kinds": rule.org_kinds,
            "is_active": rule.is_active,
        }
        if rule
        else {}
    )
    form = f.CadenceRuleForm(request.POST or None, initial=initial)
    if rule:
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _run(
            form,
            request,
            lambda: services.cadence_rule_save(
                actor=request.user,
                zone=zone,
                kind=data["kind"],
                every_months=data["every_months"],
                org_kinds=data["org_kinds"],
                is_active=data["is_active"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The cadence rule was saved."))
            return redirect("partylife:cadence")
    title = _("Edit cadence rule") if rule else _("New cadence rule")
    return render(request, "partylife/form.html", {"form": form, "title": title, "back": "partylife:cadence"})


@require_POST
@zone_admin_required
def cadence_defaults(request):
    created = services.cadence_defaults_create(actor=request.user, zone=request.zone.get())
    messages.success(request, _("%(count)s default rules were added.") % {"count": len(created)})
    return redirect("partylife:cadence")


# ---------------------------------------------------------------------------------------------- brands


def _brand_filters(request) -> tuple[f.BrandFilterForm, dict]:
    form = f.BrandFilterForm(request.GET or None)
    return form, {"zone_id": request.zone.get().pk, **form.cleaned_filters()}


@zone_member_required
def brand_list(request):
    form, filters = _brand_filters(request)
    zone_id = filters["zone_id"]
    context = {
        "form": form,
        "page": _page(request, selectors.brand_list(user=request.user, **filters)),
        "query": request.GET.urlencode(),
        "can_create": writable_orgs(request.user, zone_id).filter(kind__in=f.BRANCH_KINDS).exists(),
        "can_name": administers(request.user, zone_id),
    }
    return render(request, "partylife/brand_list.html", context)


@zone_member_required
def brand_export(request):
    _form, filters = _brand_filters(request)
    return exports.brands(selectors.brand_list(user=request.user, **filters))


@zone_member_required
def brand_create(request):
    zone = request.zone.get()
    if not writable_orgs(request.user, zone.pk).filter(kind__in=f.BRANCH_KINDS).exists():
        raise PermissionDenied
    form = f.BrandForm(request.POST or None, user=request.user, zone=zone)
    if request.method == "POST" and form.is_valid():
        org = PartyOrg.objects.get(pk=form.cleaned_data["org"])
        brand = _run(
            form, request, lambda: services.brand_create(actor=request.user, org=org, **form.values())
        )
        if brand is not None:
            messages.success(request, _("The brand was created."))
            return redirect("partylife:brand_list")
    return render(
        request,
        "partylife/form.html",
        {"form": form, "title": _("New branch brand"), "back": "partylife:brand_list"},
    )


def _writable_brand(request, pk: int) -> BranchBrand:
    brand = _get_or_404(selectors.brand_get, user=request.user, pk=pk)
    if not may_record(request.user, brand.org):
        raise PermissionDenied
    return brand


@zone_member_required
def brand_edit(request, pk: int):
    brand = _writable_brand(request, pk)
    initial = {name: getattr(brand, name) for name in services.BRAND_FIELDS}
    form = f.BrandForm(
        request.POST or None, initial=initial, user=request.user, zone=request.zone.get(), editing=True
    )
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form, request, lambda: services.brand_update(actor=request.user, brand=brand, **form.values())
        )
        if saved is not None:
            messages.success(request, _("The brand was saved."))
            return redirect("partylife:brand_list")
    title = _("Edit brand: %(name)s") % {"name": brand.name}
    return render(
        request, "partylife/form.html", {"form": form, "title": title, "back": "partylife:brand_list"}
    )


def _refusal_message(request, action: Callable[[], Any]) -> None:
    try:
        action()
    except ActionRefused as refusal:
        messages.error(request, refusal.localised(get_language()))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))


@require_POST
@zone_member_required
def brand_name(request, pk: int):
    brand = _get_or_404(selectors.brand_get, user=request.user, pk=pk)
    if not administers(request.user, brand.zone_id):
        raise PermissionDenied
    form = f.BrandNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the brand was named."))
    else:
        _refusal_message(
            request,
            lambda: services.brand_name(
                actor=request.user, brand=brand, named_on=form.cleaned_data["named_on"]
            ),
        )
    return redirect("partylife:brand_list")


@require_POST
@zone_member_required
def brand_retire(request, pk: int):
    brand = _writable_brand(request, pk)
    _refusal_message(request, lambda: services.brand_retire(actor=request.user, brand=brand))
    return redirect("partylife:brand_list")


# ---------------------------------------------------------------------------------------------- ratings


def _rating_filters(request) -> tuple[f.RatingFilterForm, dict]:
    zone = request.zone.get()
    form = f.RatingFilterForm(
        request.GET or None, years=selectors.rating_years(user=request.user, zone_id=zone.pk)
    )
    return form, {"zone_id": zone.pk, **form.cleaned_filters()}


@zone_member_required
def rating_list(request):
    form, filters = _rating_filters(request)
    context = {
        "form": form,
        "page": _page(request, selectors.rating_list(user=request.user, **filters)),
        "query": request.GET.urlencode(),
        "can_rate": administers(request.user, filters["zone_id"]),
    }
    return render(request, "partylife/rating_list.html", context)


@zone_member_required
def rating_export(request):
    _form, filters = _rating_filters(request)
    return exports.ratings(selectors.rating_list(user=request.user, **filters))


@zone_admin_required
def rating_create(request):
    zone = request.zone.get()
    form = f.RatingForm(request.POST or None, user=request.user, zone=zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = PartyOrg.objects.get(pk=data["org"])
        rating = _run(
            form,
            request,
            lambda: services.rating_create(
                actor=request.user,
                org=org,
                year=data["year"],
                score=data["score"],
                rated_on=data["rated_on"],
                note=data["note"],
            ),
        )
        if rating is not None:
            messages.success(request, _("The rating was saved."))
            return redirect("partylife:rating_list")
    return render(
        request,
        "partylife/form.html",
        {"form": form, "title": _("New branch rating"), "back": "partylife:rating_list"},
    )


@zone_admin_required
def rating_edit(request, pk: int):
    rating = _get_or_404(selectors.rating_get, user=request.user, pk=pk)
    if not administers(request.user, rating.zone_id):
        raise Http404
    initial = {"score": rating.score, "rated_on": rating.rated_on, "note": rating.note}
    form = f.RatingForm(
        request.POST or None, initial=initial, user=request.user, zone=request.zone.get(), editing=True
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.RATING_FIELDS}
        saved = _run(
            form, request, lambda: services.rating_update(actor=request.user, rating=rating, **values)
        )
        if saved is not None:
            messages.success(request, _("The rating was saved."))
            return redirect("partylife:rating_list")
    title = _("Edit rating: %(org)s %(year)s") % {"org": rating.org.name, "year": rating.year}
    return render(
        request, "partylife/form.html", {"form": form, "title": title, "back": "partylife:rating_list"}
    )
