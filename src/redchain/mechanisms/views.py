"""Pages of the alliance mechanisms. Reads go through ``mechanisms.selectors``, writes through
``mechanisms.services``; a view only decides which buttons to show (``permissions``) and answers 403 to a
reader who posts a write, 404 for anything outside the reader's scope.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from redchain.accounts.decorators import zone_member_required
from redchain.accounts.scope import scope_for
from redchain.core.errors import ActionRefused
from redchain.mechanisms import exports, selectors, services
from redchain.mechanisms import forms as f
from redchain.mechanisms import permissions as perms
from redchain.mechanisms.models import Action, Meeting, today
from redchain.orgs import selectors as org_selectors

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _get_or_404(getter: Callable, **kwargs):
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _attempt(form, write: Callable):
    """Run a service; a refusal or a bad value lands on the form and nothing is written."""
    try:
        return write()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    except ActionRefused as exc:
        form.add_error(None, exc.localised(get_language()))
    return None


def _alliances(request):
    return selectors.alliances(user=request.user, zone_id=request.zone.get().pk)


def _managed(request):
    return selectors.managed_alliances(user=request.user, zone_id=request.zone.get().pk)


def _places(request):
    return selectors.place_list(user=request.user, zone_id=request.zone.get().pk)


def _meeting_places(request, meeting: Meeting):
    """The zone's places and the meeting's own alliance's places."""
    return _places(request).filter(Q(alliance__isnull=True) | Q(alliance_id=meeting.alliance_id))


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today().year


def _list_page(request, *, template: str, partial: str, context: dict):
    return render(request, partial if request.htmx else template, context)


# ---------------------------------------------------------------------------------------------- overview


@zone_member_required
def index(request):
    """联盟工作概览: per alliance the year's meetings, action items, pact fulfilment and the six actions."""
    year = _year(request)
    lines = selectors.overview(user=request.user, zone_id=request.zone.get().pk, year=year)
    peak = max((n for line in lines for n in line.action_cells), default=0)
    context = {
        "year": year,
        "years": range(today().year, today().year - 4, -1),
        "lines": lines,
        "actions": Action.choices,
        "totals": selectors.action_totals(lines),
        "heat": [
            (line, [(n, f"{0.15 * _heat_level(n, peak):.2f}") for n in line.action_cells]) for line in lines
        ],
        "can_manage": _managed(request).exists(),
    }
    return render(request, "mechanisms/index.html", context)


def _heat_level(n: int, peak: int) -> int:
    """0–4 for the heatmap's shading, relative to the busiest cell."""
    return 0 if not n or not peak else 1 + min(3, (4 * n - 1) // peak)


@zone_member_required
def cadence(request, pk: int):
    alliance = _get_or_404(selectors.alliance_get, user=request.user, pk=pk)
    year = _year(request)
    context = {
        "alliance": alliance,
        "year": year,
        "years": range(today().year + 1, today().year - 4, -1),
        "slots": selectors.cadence(user=request.user, alliance=alliance, year=year),
        "can_manage": perms.manages(request.user, alliance),
        "schedule_form": f.ScheduleYearForm(
            alliances=_managed(request), initial={"alliance": alliance, "year": year}
        ),
    }
    return render(request, "mechanisms/cadence.html", context)


# ---------------------------------------------------------------------------------------------- meetings


def _meeting_filters(request):
    form = f.MeetingFilterForm(request.GET or None, alliances=_alliances(request))
    meetings = selectors.meeting_list(
        user=request.user, zone_id=request.zone.get().pk, **form.cleaned_filters()
    )
    return form, meetings


@zone_member_required
def meeting_list(request):
    form, meetings = _meeting_filters(request)
    context = {
        "form": form,
        "page": _page(request, meetings),
        "query": request.GET.urlencode(),
        "can_manage": _managed(request).exists(),
    }
    return _list_page(
        request,
        template="mechanisms/meeting_list.html",
        partial="mechanisms/partials/_meeting_table.html",
        context=context,
    )


@zone_member_required
def meeting_export(request):
    _, meetings = _meeting_filters(request)
    return exports.meetings(meetings)


@zone_member_required
def meeting_create(request):
    alliances = _managed(request)
    if not alliances.exists():
        raise PermissionDenied
    form = f.MeetingPlanForm(request.POST or None, alliances=alliances, places=_places(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = _attempt(
            form,
            lambda: services.meeting_plan(
                actor=request.user,
                alliance=data["alliance"],
                kind=data["kind"],
                planned_on=data["planned_on"],
                title=data["title"],
                place=data["place"],
            ),
        )
        if meeting is not None:
            messages.success(request, _("The meeting is planned."))
            return redirect("mechanisms:meeting_detail", meeting.pk)
    return render(
        request,
        "mechanisms/form.html",
        _form_context(form, _("Plan a meeting")),
        status=400 if form.errors else 200,
    )


def _form_context(form, title, **extra) -> dict:
    return {"form": form, "title": title, **extra}


@zone_member_required
@require_POST
def meeting_schedule(request):
    alliances = _managed(request)
    if not alliances.exists():
        raise PermissionDenied
    form = f.ScheduleYearForm(request.POST, alliances=alliances)
    if form.is_valid():
        alliance, year = form.cleaned_data["alliance"], form.cleaned_data["year"]
        planned = _attempt(
            form, lambda: services.meetings_schedule_year(actor=request.user, alliance=alliance, year=year)
        )
        if planned is not None:
            messages.success(request, _("%(n)s bimonthly meetings planned.") % {"n": len(planned)})
            return redirect(f"{_cadence_url(alliance.pk)}?year={year}")
    return render(
        request, "mechanisms/form.html", _form_context(form, _("Schedule the bimonthly meetings")), status=400
    )


def _cadence_url(pk: int) -> str:
    return reverse("mechanisms:cadence", args=[pk])


def _meeting_page(request, meeting: Meeting, *, status: int = 200, **forms):
    manages = perms.manages(request.user, meeting.alliance)
    members = selectors.alliance_members(alliance=meeting.alliance)
    places = _meeting_places(request, meeting) if manages else None
    context = {
        "meeting": meeting,
        "can_manage": manages,
        "held_form": forms.get("held_form")
        or (manages and meeting.status == "planned" and f.MeetingHeldForm(members=members, places=places)),
        "missed_form": forms.get("missed_form") or (manages and meeting.is_overdue and f.MissedForm()),
        "item_form": forms.get("item_form")
        or (manages and meeting.status == "held" and f.ActionItemForm(members=members)),
        "completable": {
            item.pk for item in meeting.action_items.all() if perms.may_complete(request.user, item)
        },
    }
    return render(request, "mechanisms/meeting_detail.html", context, status=status)


@zone_member_required
def meeting_detail(request, pk: int):
    return _meeting_page(request, _get_or_404(selectors.meeting_get, user=request.user, pk=pk))


def _managed_meeting(request, pk: int) -> Meeting:
    meeting = _get_or_404(selectors.meeting_get, user=request.user, pk=pk)
    if not perms.manages(request.user, meeting.alliance):
        raise PermissionDenied
    return meeting


@zone_member_required
@require_POST
def meeting_held(request, pk: int):
    meeting = _managed_meeting(request, pk)
    members = selectors.alliance_members(alliance=meeting.alliance)
    places = _meeting_places(request, meeting)
    form = f.MeetingHeldForm(request.POST, members=members, places=places)
    if form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            form,
            lambda: services.meeting_record_held(
                actor=request.user,
                meeting=meeting,
                held_on=data["held_on"],
                minutes=data["minutes"],
                attendance=form.presences(),
                place=data["place"],
                place_note=data["place_note"],
            ),
        )
        if done is not None:
            messages.success(request, _("The meeting is recorded as held."))
            return redirect("mechanisms:meeting_detail", pk)
    return _meeting_page(request, meeting, status=400, held_form=form)


@zone_member_required
@require_POST
def meeting_missed(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = f.MissedForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        if _attempt(
            form, lambda: services.meeting_mark_missed(actor=request.user, meeting=meeting, reason=reason)
        ):
            messages.success(request, _("The meeting is marked as missed."))
            return redirect("mechanisms:meeting_detail", pk)
    return _meeting_page(request, meeting, status=400, missed_form=form)


@zone_member_required
@require_POST
def action_item_add(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = f.ActionItemForm(request.POST, members=selectors.alliance_members(alliance=meeting.alliance))
    if form.is_valid():
        data = form.cleaned_data
        item = _attempt(
            form,
            lambda: services.action_item_add(
                actor=request.user,
                meeting=meeting,
                decision=data["decision"],
                owner=data["owner"],
                due_on=data["due_on"],
            ),
        )
        if item is not None:
            messages.success(request, _("The decision is recorded."))
            return redirect("mechanisms:meeting_detail", pk)
    return _meeting_page(request, meeting, status=400, item_form=form)


# ---------------------------------------------------------------------------------------------- action items


def _item_filters(request):
    form = f.ActionItemFilterForm(request.GET or None, alliances=_alliances(request))
    items = selectors.action_item_list(
        user=request.user, zone_id=request.zone.get().pk, **form.cleaned_filters()
    )
    return form, items


@zone_member_required
def action_item_list(request):
    form, items = _item_filters(request)
    page = _page(request, items)
    context = {
        "form": form,
        "page": page,
        "query": request.GET.urlencode(),
        "completable": {item.pk for item in page if perms.may_complete(request.user, item)},
    }
    return _list_page(
        request,
        template="mechanisms/action_item_list.html",
        partial="mechanisms/partials/_action_item_table.html",
        context=context,
    )


@zone_member_required
def action_item_export(request):
    _, items = _item_filters(request)
    return exports.action_items(items)


@zone_member_required
def action_item_complete(request, pk: int):
    item = _get_or_404(selectors.action_item_get, user=request.user, pk=pk)
    if not perms.may_complete(request.user, item):
        raise PermissionDenied
    form = f.CompleteForm(request.POST or None, initial={"done_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            form,
            lambda: services.action_item_complete(
                actor=request.user, item=item, done_on=data["done_on"], result=data["result"]
            ),
        )
        if done is not None:
            messages.success(request, _("The action item is done."))
            return redirect("mechanisms:meeting_detail", item.meeting_id)
    context = _form_context(form, _("Mark the action item done"), subject=item.decision)
    return render(request, "mechanisms/form.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- pacts


def _pact_filters(request):
    form = f.PactFilterForm(request.GET or None, alliances=_alliances(request))
    pacts = selectors.pact_list(user=request.user, zone_id=request.zone.get().pk, **form.cleaned_filters())
    return form, pacts


@zone_member_required
def pact_list(request):
    form, pacts = _pact_filters(request)
    context = {
        "form": form,
        "page": _page(request, pacts),
        "query": request.GET.urlencode(),
        "can_manage": _managed(request).exists(),
    }
    return _list_page(
        request,
        template="mechanisms/pact_list.html",
        partial="mechanisms/partials/_pact_table.html",
        context=context,
    )


@zone_member_required
def pact_export(request):
    _, pacts = _pact_filters(request)
    return exports.pacts(selectors.commitment_rows(pacts=pacts))


@zone_member_required
def pact_create(request):
    alliances = _managed(request)
    if not alliances.exists():
        raise PermissionDenied
    form = f.PactForm(request.POST or None, alliances=alliances)
    if request.method == "POST" and form.is_valid():
        pact = _attempt(form, lambda: services.pact_create(actor=request.user, **form.cleaned_data))
        if pact is not None:
            messages.success(request, _("The pact is recorded."))
            return redirect("mechanisms:pact_detail", pact.pk)
    return render(
        request,
        "mechanisms/form.html",
        _form_context(form, _("Record a pact")),
        status=400 if form.errors else 200,
    )


def _pact_page(request, pact, *, status: int = 200, commitment_form=None):
    manages = perms.manages(request.user, pact.alliance)
    members = selectors.alliance_members(alliance=pact.alliance)
    context = {
        "pact": pact,
        "can_manage": manages,
        "rate": selectors.rate(pact.fulfilled_count, pact.commitment_count),
        "commitment_form": commitment_form or (manages and f.CommitmentForm(members=members)),
        "assessable": {
            c.pk
            for c in pact.commitments.all()
            if c.status == "pending" and perms.may_fulfil(request.user, c)
        },
    }
    return render(request, "mechanisms/pact_detail.html", context, status=status)


@zone_member_required
def pact_detail(request, pk: int):
    return _pact_page(request, _get_or_404(selectors.pact_get, user=request.user, pk=pk))


@zone_member_required
@require_POST
def commitment_add(request, pk: int):
    pact = _get_or_404(selectors.pact_get, user=request.user, pk=pk)
    if not perms.manages(request.user, pact.alliance):
        raise PermissionDenied
    form = f.CommitmentForm(request.POST, members=selectors.alliance_members(alliance=pact.alliance))
    if form.is_valid():
        if _attempt(
            form, lambda: services.commitment_add(actor=request.user, pact=pact, **form.cleaned_data)
        ):
            messages.success(request, _("The commitment is recorded."))
            return redirect("mechanisms:pact_detail", pk)
    return _pact_page(request, pact, status=400, commitment_form=form)


@zone_member_required
def commitment_fulfil(request, pk: int):
    commitment = _get_or_404(selectors.commitment_get, user=request.user, pk=pk)
    if not perms.may_fulfil(request.user, commitment):
        raise PermissionDenied
    form = f.FulfilForm(request.POST or None, initial={"assessed_on": today()})
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.commitment_fulfil(
                actor=request.user, commitment=commitment, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("The fulfilment is recorded."))
            return redirect("mechanisms:pact_detail", commitment.pact_id)
    context = _form_context(form, _("Record the fulfilment of a commitment"), subject=commitment.content)
    return render(request, "mechanisms/form.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- activities


def _activity_filters(request):
    form = f.ActivityFilterForm(request.GET or None, alliances=_alliances(request))
    activities = selectors.activity_list(
        user=request.user, zone_id=request.zone.get().pk, **form.cleaned_filters()
    )
    return form, activities


@zone_member_required
def activity_list(request):
    form, activities = _activity_filters(request)
    context = {
        "form": form,
        "page": _page(request, activities),
        "query": request.GET.urlencode(),
        "can_manage": _managed(request).exists(),
    }
    return _list_page(
        request,
        template="mechanisms/activity_list.html",
        partial="mechanisms/partials/_activity_table.html",
        context=context,
    )


@zone_member_required
def activity_export(request):
    _, activities = _activity_filters(request)
    return exports.activities(activities)


@zone_member_required
def activity_detail(request, pk: int):
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    return render(request, "mechanisms/activity_detail.html", {"activity": activity})


@zone_member_required
def activity_create(request):
    alliances = _managed(request)
    if not alliances.exists():
        raise PermissionDenied
    form = f.ActivityForm(request.POST or None, alliances=alliances, places=_places(request))
    if request.method == "POST" and form.is_valid():
        activity = _attempt(form, lambda: services.activity_record(actor=request.user, **form.cleaned_data))
        if activity is not None:
            messages.success(request, _("The activity is recorded."))
            return redirect("mechanisms:activity_detail", activity.pk)
    context = _form_context(form, _("Record an activity"))
    return render(request, "mechanisms/form.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- places


def _place_filters(request):
    form = f.PlaceFilterForm(request.GET or None, alliances=_alliances(request))
    places = selectors.place_list(user=request.user, zone_id=request.zone.get().pk, **form.cleaned_filters())
    return form, places


@zone_member_required
def place_list(request):
    form, places = _place_filters(request)
    context = {"form": form, "page": _page(request, places), "query": request.GET.urlencode()}
    context["can_manage"] = _managed(request).exists()
    return _list_page(
        request,
        template="mechanisms/place_list.html",
        partial="mechanisms/partials/_place_table.html",
        context=context,
    )


@zone_member_required
def place_export(request):
    _, places = _place_filters(request)
    return exports.places(places)


@zone_member_required
def place_create(request):
    zone = request.zone.get()
    alliances = _managed(request)
    zone_wide = scope_for(request.user).administers(zone.pk)
    if not alliances.exists() and not zone_wide:
        raise PermissionDenied
    enterprises = org_selectors.enterprise_list(user=request.user, zone_id=zone.pk)
    form = f.PlaceForm(
        request.POST or None, alliances=alliances, enterprises=enterprises, zone_wide=zone_wide
    )
    if request.method == "POST" and form.is_valid():
        place = _attempt(
            form, lambda: services.place_create(actor=request.user, zone=zone, **form.cleaned_data)
        )
        if place is not None:
            messages.success(request, _("The place is recorded."))
            return redirect("mechanisms:place_list")
    return render(
        request,
        "mechanisms/form.html",
        _form_context(form, _("Add a place")),
        status=400 if form.errors else 200,
    )
