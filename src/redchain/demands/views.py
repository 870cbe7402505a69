"""Pages of the demand loop. Reads go through ``demands.selectors`` and writes through ``demands.services``:
a view never decides who sees a demand and never saves one itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_POST

from redchain.accounts.decorators import zone_member_required
from redchain.accounts.scope import scope_for
from redchain.core.idcard import mask_phone
from redchain.demands import forms as f
from redchain.demands import hooks, selectors
from redchain.demands import permissions as perms
from redchain.demands import services as s
from redchain.demands.attachments import attachment_add, download_response
from redchain.demands.models import Category, Channel, Demand, Extension, Notification
from redchain.demands.permissions import LoopError
from redchain.orgs import selectors as org_selectors

PAGE_SIZE = 50
TRACK_LIMIT_PER_MINUTE = 30
S = Demand.Status


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _demand_or_404(request, pk: int) -> Demand:
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return selectors.demand_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _in_language(text: str) -> str:
    """The services write "中文 / English"; show the half in the reader's language."""
    zh, sep, en = text.partition(" / ")
    if not sep:
        return text
    return zh if (get_language() or "zh-hans").startswith("zh") else en


def _loop_message(error: LoopError) -> str:
    return error.zh if (get_language() or "zh-hans").startswith("zh") else error.en


# ---------------------------------------------------------------------------------------------- lists


@zone_member_required
def demand_list(request):
    zone = request.zone.get()
    form = f.DemandFilterForm(request.GET or None, zone=zone)
    demands = selectors.demand_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    context = {
        "form": form,
        "page": _page(request, demands),
        "query": request.GET.urlencode(),
        "now": timezone.now(),
        "can_submit": _submit_mode(request.user, zone) is not None,
    }
    template = "demands/partials/_demand_table.html" if request.htmx else "demands/demand_list.html"
    return render(request, template, context)


@zone_member_required
def inbox(request):
    if not scope_for(request.user).department_ids:
        raise PermissionDenied
    # Overdue work orders have the earliest closure deadlines, so they come first, then the ones due soonest.
    assignments = selectors.department_inbox(user=request.user).order_by(
        F("close_due").asc(nulls_last=True), "id"
    )
    context = {"page": _page(request, assignments), "now": timezone.now(), "query": ""}
    return render(request, "demands/inbox.html", context)


@zone_member_required
def leaders(request):
    zone = request.zone.get()
    if not scope_for(request.user).reads_whole_zone(zone.pk):
        raise PermissionDenied
    demands = selectors.leader_queue(user=request.user, zone_id=zone.pk)
    context = {"page": _page(request, demands), "now": timezone.now(), "query": request.GET.urlencode()}
    return render(request, "demands/leaders.html", context)


# ---------------------------------------------------------------------------------------------- submit


def _submit_mode(user, zone) -> str | None:
    """ "staff" (any channel, any enterprise), "enterprise" (the portal, own enterprise) or None."""
    scope = scope_for(user)
    if scope.is_superuser or zone.pk in scope.full_zone_ids | scope.staff_zone_ids:
        return "staff"
    if scope.alliance_ids and zone.pk in scope.zone_ids:
        return "staff"
    return "enterprise" if scope.enterprise_ids else None


@zone_member_required
def submit(request):
    zone = request.zone.get()
    mode = _submit_mode(request.user, zone)
    if mode is None:
        raise PermissionDenied
    own = []
    if mode == "enterprise":
        own = list(org_selectors.enterprise_list(user=request.user, zone_id=zone.pk))
        if not own:
            raise PermissionDenied
    form = f.DemandSubmitForm(
        request.POST or None,
        request.FILES or None,
        # An enterprise contact reports for themselves: on a phone, two fields fewer to type.
        initial={"contact_name": request.user.display_name, "contact_phone": request.user.phone}
        if mode == "enterprise"
        else None,
        user=request.user,
        zone=zone,
        staff=mode == "staff",
        own_enterprises=own,
    )
    if request.method == "POST" and form.is_valid():
        try:
            demand = _submit(request, zone, form)
        except ValidationError as exc:
            _errors_onto_form(form, exc)
        except LoopError as exc:
            form.add_error(None, _loop_message(exc))
        else:
            request.session["demands_submitted"] = demand.tracking_code
            return redirect("demands:submitted")
    status = 400 if form.is_bound else 200
    return render(request, "demands/submit.html", {"form": form, "staff": mode == "staff"}, status=status)


def _submit(request, zone, form) -> Demand:
    """The demand and its files in one transaction: a refused file leaves no demand behind."""
    kwargs = form.submission()
    if kwargs["channel"] == Channel.ALLIANCE:
        alliances = scope_for(request.user).alliance_ids
        kwargs["alliance"] = (
            org_selectors.alliance_list(user=request.user, zone_id=zone.pk).filter(pk__in=alliances).first()
        )
    with transaction.atomic():
        demand = s.demand_submit(actor=request.user, zone=zone, **kwargs)
        for upload in form.cleaned_data.get("attachments") or []:
            attachment_add(actor=request.user, demand=demand, upload=upload)
    return demand


@zone_member_required
def submitted(request):
    code = request.session.get("demands_submitted")
    if not code:
        return redirect("demands:submit")
    visible = Demand.objects.visible_to(request.user).filter(tracking_code=code).values_list("pk", flat=True)
    return render(request, "demands/submitted.html", {"code": code, "demand_pk": next(iter(visible), None)})


@zone_member_required
def enterprise_options(request):
    """``<option>`` rows for the staff form's enterprise search (HTMX fills a datalist)."""
    query = request.GET.get("enterprise", "").strip()
    rows: list = []
    if query:
        rows = list(
            org_selectors.enterprise_list(user=request.user, zone_id=request.zone.get().pk, q=query)[:15]
        )
    return render(request, "demands/partials/_enterprise_options.html", {"enterprises": rows})


# ---------------------------------------------------------------------------------------------- detail and steps


@dataclass(frozen=True)
class Step:
    """One loop step as the page offers it: its button, its form and the service it calls."""

    label: Any
    form: Callable[..., django_forms.Form]
    run: Callable[[Any, Demand, dict], Any]
    done: Any
    danger: bool = False


def _category(demand: Demand, category_id):
    return Category.objects.filter(zone_id=demand.zone_id, pk=category_id).first() if category_id else None


def _zone_form(cls):
    return lambda data, request, demand: cls(data, zone=demand.zone)


def _plain_form(cls):
    return lambda data, request, demand: cls(data)


STEPS: dict[str, Step] = {
    "accept": Step(
        gettext_lazy("Accept"),
        _zone_form(f.AcceptForm),
        lambda u, d, c: s.demand_accept(actor=u, demand=d, category=_category(d, c["category"])),
        gettext_lazy("The demand was accepted."),
    ),
    "reject": Step(
        gettext_lazy("Do not accept"),
        _plain_form(f.ReasonForm),
        lambda u, d, c: s.demand_reject(actor=u, demand=d, reason=c["reason"]),
        gettext_lazy("The demand was not accepted."),
        danger=True,
    ),
    "dispatch": Step(
        gettext_lazy("Dispatch"),
        lambda data, request, demand: f.DispatchForm(data, user=request.user, zone=demand.zone),
        lambda u, d, c: s.demand_dispatch(
            actor=u,
            demand=d,
            department=c["department"],
            disposition=c["disposition"],
            co_departments=list(c["co_departments"]),
            category=_category(d, c["category"]),
        ),
        gettext_lazy("The demand was dispatched."),
    ),
    "contact": Step(
        gettext_lazy("Record first contact"),
        _plain_form(f.EmptyForm),
        lambda u, d, c: s.assignment_contact(actor=u, demand=d),
        gettext_lazy("First contact recorded."),
    ),
    "interim": Step(
        gettext_lazy("Interim reply"),
        _plain_form(f.TextForm),
        lambda u, d, c: s.assignment_interim_reply(actor=u, demand=d, text=c["text"]),
        gettext_lazy("Interim reply recorded."),
    ),
    "pause": Step(
        gettext_lazy("Wait for materials"),
        _plain_form(f.ReasonForm),
        lambda u, d, c: s.assignment_pause(actor=u, demand=d, reason=c["reason"]),
        gettext_lazy("The clock is paused until the materials arrive."),
    ),
    "resume": Step(
        gettext_lazy("Materials received"),
        _plain_form(f.EmptyForm),
        lambda u, d, c: s.assignment_resume(actor=u, demand=d),
        gettext_lazy("The clock runs again."),
    ),
    "extend": Step(
        gettext_lazy("Request an extension"),
        _plain_form(f.ExtensionRequestForm),
        lambda u, d, c: s.assignment_request_extension(
            actor=u, demand=d, until=c["until"], reason=c["reason"]
        ),
        gettext_lazy("Extension requested."),
    ),
    "decide_extension": Step(
        gettext_lazy("Decide on the extension"),
        _plain_form(f.ExtensionDecideForm),
        lambda u, d, c: s.extension_decide(actor=u, demand=d, approve=c["approve"], note=c["note"]),
        gettext_lazy("Extension decided."),
    ),
    "return": Step(
        gettext_lazy("Return (not our duty)"),
        _plain_form(f.ReasonForm),
        lambda u, d, c: s.assignment_return(actor=u, demand=d, reason=c["reason"]),
        gettext_lazy("The work order was returned."),
        danger=True,
    ),
    "reply": Step(
        gettext_lazy("Final reply"),
        _plain_form(f.TextForm),
        lambda u, d, c: s.demand_reply(actor=u, demand=d, text=c["text"]),
        gettext_lazy("Final reply sent; the demand awaits the follow-up."),
    ),
    "instruct": Step(
        gettext_lazy("Write an instruction"),
        _plain_form(f.TextForm),
        lambda u, d, c: s.demand_instruct(actor=u, demand=d, text=c["text"]),
        gettext_lazy("Instruction recorded."),
    ),
    "supervise": Step(
        gettext_lazy("Issue a supervision order"),
        _plain_form(f.SuperviseForm),
        lambda u, d, c: s.demand_supervise(actor=u, demand=d, level=c["level"], note=c["note"]),
        gettext_lazy("Supervision order issued."),
    ),
    "rate": Step(
        gettext_lazy("Rate the reply"),
        _plain_form(f.RateForm),
        lambda u, d, c: s.demand_rate(actor=u, demand=d, level=c["level"], comment=c["comment"]),
        gettext_lazy("Thank you, the rating was recorded."),
    ),
    "merge": Step(
        gettext_lazy("Merge into another demand"),
        lambda data, request, demand: f.MergeForm(data, user=request.user),
        lambda u, d, c: s.demand_merge(actor=u, demand=d, into=c["into"]),
        gettext_lazy("The demand was merged."),
        danger=True,
    ),
    "close": Step(
        gettext_lazy("Close"),
        _plain_form(f.CloseForm),
        lambda u, d, c: s.demand_close(actor=u, demand=d, solved=c["solved"], reason=c["reason"]),
        gettext_lazy("The demand was closed."),
        danger=True,
    ),
}


def available_actions(user, demand: Demand) -> list[str]:
    """The steps this user may take on this demand now: what the page offers (the services still decide)."""
    admin = perms.administers(user, demand)
    status = demand.status
    mine = [a for a in demand.assignments.all() if a.is_active and perms.handles(user, a)]
    working = [a for a in mine if a.status != "replied"] if status == S.HANDLING else []
    pending_extension = any(
        e.status == Extension.Status.PENDING for a in demand.assignments.all() for e in a.extensions.all()
    )
    allowed = {
        "accept": admin and status == S.SUBMITTED,
        "reject": admin and status == S.SUBMITTED,
        "dispatch": admin and status in (S.ACCEPTED, S.RETURNED),
        "contact": any(a.contacted_at is None for a in working),
        "interim": bool(working),
        "pause": any(a.status != "paused" for a in working),
        "resume": any(a.status == "paused" for a in working),
        "extend": bool(working)
        and not any(e.status == "pending" for a in working for e in a.extensions.all()),
        "decide_extension": admin and pending_extension,
        "return": bool(working),
        "reply": any(a.role == "lead" and a.status != "paused" for a in working),
        "rate": status == S.REPLIED and (admin or perms.is_contact_of(user, demand)),
        "merge": admin and status in (S.SUBMITTED, S.ACCEPTED, S.HANDLING, S.RETURNED, S.REPLIED),
        "close": admin and status in (S.REPLIED, S.RETURNED),
    }
    if demand.zone_id in scope_for(user).full_zone_ids and not admin:
        leader = perms.is_leader(user, demand)
    else:
        leader = False
    allowed["instruct"] = leader and status in (S.SUBMITTED, S.ACCEPTED, S.HANDLING, S.RETURNED, S.REPLIED)
    allowed["supervise"] = (admin or leader) and status in (S.ACCEPTED, S.HANDLING, S.RETURNED)
    return [name for name in STEPS if allowed.get(name)]


def _timeline(demand: Demand, *, internal: bool) -> list:
    """The demand's events; internal notes (returns, extensions, instructions) only for those working on it."""
    labels = dict(Demand.Status.choices)
    events = [event for event in demand.events.all() if internal or event.public]
    for event in events:
        event.from_label = labels.get(event.from_status, "")  # type: ignore[attr-defined]
        event.to_label = labels.get(event.to_status, "")  # type: ignore[attr-defined]
    return events


def _detail(
    request,
    demand: Demand,
    *,
    bound: tuple[str, django_forms.Form] | None = None,
    status=200,
    reply_warnings: list[str] | None = None,
):
    actions = []
    names = available_actions(request.user, demand)
    extras = hooks.detail_extras(request, demand, names)
    prefill = bool(extras["dispatch_initial"] and request.GET.get("suggested") and not bound)
    for name in names:
        step = STEPS[name]
        form = bound[1] if bound and bound[0] == name else step.form(None, request, demand)
        if name == "dispatch" and prefill:
            form.initial.update(extras["dispatch_initial"])
        actions.append({"name": name, "label": step.label, "form": form, "danger": step.danger})
    internal = perms.works_on(request.user, demand)
    context = {
        "demand": demand,
        "assignments": list(demand.assignments.all()),
        "events": _timeline(demand, internal=internal),
        "internal": internal,
        "contact_phone": demand.contact_phone
        if perms.sees_contact_phone(request.user, demand) or perms.is_contact_of(request.user, demand)
        else mask_phone(demand.contact_phone),
        "actions": actions,
        "open_action": bound[0] if bound else ("dispatch" if prefill else ""),
        "panels": extras["panels"],
        "reply_warnings": reply_warnings or [],
        "dispatch_panel": extras["dispatch_panel"],
        "now": timezone.now(),
        "is_contact": perms.is_contact_of(request.user, demand),
    }
    return render(request, "demands/demand_detail.html", context, status=status)


@zone_member_required
def detail(request, pk: int):
    return _detail(request, _demand_or_404(request, pk))


@require_POST
@zone_member_required
def demand_action(request, pk: int, action: str):
    demand = _demand_or_404(request, pk)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    form = step.form(request.POST, request, demand)
    may_reply = action == "reply" and action in available_actions(request.user, demand)
    if form.is_valid() and may_reply and not request.POST.get("reviewed"):
        warnings = hooks.reply_warnings(demand, form.cleaned_data["text"])
        if warnings:
            # Shown once: sending the same form again (it now carries "reviewed") sends the reply as it is.
            return _detail(request, demand, bound=(action, form), reply_warnings=warnings)
    if form.is_valid():
        try:
            step.run(request.user, demand, form.cleaned_data)
        except ValidationError as exc:
            _errors_onto_form(form, exc)
        except LoopError as exc:
            # The step was refused and nothing changed: say why on the page, with the refusal's status.
            messages.error(request, _loop_message(exc))
            return _detail(request, _demand_or_404(request, pk), status=exc.status_code)
        else:
            messages.success(request, step.done)
            return redirect("demands:detail", pk=demand.pk)
    return _detail(request, _demand_or_404(request, pk), bound=(action, form), status=400)


def _errors_onto_form(form, exc: ValidationError) -> None:
    """A service's ``ValidationError`` shown on the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, _in_language(" ".join(error.messages)))
    else:
        for message in exc.messages:
            form.add_error(None, _in_language(message))


@zone_member_required
def attachment_download(request, pk: int, attachment_pk: int):
    demand = _demand_or_404(request, pk)
    attachment = next((a for a in demand.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    return download_response(attachment)


# ---------------------------------------------------------------------------------------------- notifications


@zone_member_required
def notifications(request):
    rows = Notification.objects.filter(user=request.user).select_related("demand", "event")
    if request.method == "POST":
        rows.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("demands:notifications")
    return render(request, "demands/notifications.html", {"page": _page(request, rows), "query": ""})


@zone_member_required
def notification_open(request, pk: int):
    """Follow a notification to its demand, marking it read."""
    rows = Notification.objects.filter(user=request.user, pk=pk)
    target = rows.values_list("demand_id", flat=True).first()
    if target is None:
        raise Http404
    rows.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("demands:detail", pk=target)


def bell(request):
    """The header's unread count: one query, loaded by HTMX after the page so no page waits for it."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    count = selectors.unread_notifications(user=request.user).count()
    return render(request, "demands/partials/_bell.html", {"unread": count})


# ---------------------------------------------------------------------------------------------- public tracking


def _throttled(request) -> bool:
    """At most ``TRACK_LIMIT_PER_MINUTE`` lookups a minute from one address, so codes cannot be guessed."""
    key = f"redchain:track:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > TRACK_LIMIT_PER_MINUTE


def track_form(request):
    form = f.TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("track:status", code=form.cleaned_data["code"].strip().upper())
    return render(request, "demands/track_form.html", {"form": form})


def track(request, code: str):
    """Where a demand stands, for anyone holding its code: kinds of steps and times, never names or text."""
    if _throttled(request):
        return render(request, "demands/track_throttled.html", status=429)
    demand = Demand.objects.filter(tracking_code=code.strip().upper()).only("status", "created_at").first()
    if demand is None:
        raise Http404
    context = {
        "code": code.upper(),
        "status": demand.get_status_display(),
        "is_closed": demand.status in (S.CLOSED, S.REJECTED, S.MERGED),
        "submitted_at": demand.created_at,
        "events": selectors.public_timeline(demand),
        "form": f.TrackForm(),
        "track_url": reverse("track:status", kwargs={"code": code.upper()}),
    }
    return render(request, "demands/track.html", context)
