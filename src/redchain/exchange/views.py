"""Pages of the exchange. Reads go through ``exchange.selectors``, writes through ``exchange.services``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from redchain.accounts.decorators import zone_member_required
from redchain.accounts.scope import scope_for
from redchain.core.errors import ActionRefused, Forbidden
from redchain.exchange import exports, selectors, services
from redchain.exchange import forms as f
from redchain.exchange import permissions as perms
from redchain.exchange.models import Listing, ListingStatus, Match
from redchain.orgs import selectors as org_selectors
from redchain.orgs.models import AllianceMember, Department, Enterprise

PAGE_SIZE = 50


@dataclass(frozen=True)
class Side:
    """What differs between the needs pages and the resources pages."""

    name: str
    list_selector: Any
    get_selector: Any
    post: Any


SIDES = {
    "need": Side("need", selectors.need_list, selectors.need_get, services.need_post),
    "resource": Side("resource", selectors.resource_list, selectors.resource_get, services.resource_post),
}


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _or_404(getter, **kwargs):
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _in_language(text: str) -> str:
    """Services write "中文 / English"; show the half in the reader's language."""
    zh, sep, en = text.partition(" / ")
    if not sep:
        return text
    return zh if (get_language() or "zh-hans").startswith("zh") else en


def _errors_onto_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, _in_language(" ".join(error.messages)))
    else:
        for message in exc.messages:
            form.add_error(None, _in_language(message))


def _run(request, form, action) -> Any:
    """Call a service for a valid form; its refusals land on the form. A forbidden step is a 404."""
    try:
        return action()
    except Forbidden as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _errors_onto_form(form, exc)
    except ActionRefused as exc:
        form.add_error(None, exc.localised(get_language()))
    return None


# ---------------------------------------------------------------------------------------------- board


@zone_member_required
def index(request):
    """The needs and resources board: filters, the newest of both lists, the proposals awaiting the user."""
    zone = request.zone.get()
    form = f.ListingFilterForm(request.GET or None, zone=zone)
    filters = form.cleaned_filters()
    context = {
        "form": form,
        "needs": selectors.need_list(user=request.user, zone_id=zone.pk, **filters)[:15],
        "resources": selectors.resource_list(user=request.user, zone_id=zone.pk, **filters)[:15],
        "awaiting": selectors.matches_awaiting(user=request.user, zone_id=zone.pk),
        "query": request.GET.urlencode(),
        "can_post": bool(f.owner_choices(request.user, zone)),
    }
    template = "exchange/partials/_board.html" if request.htmx else "exchange/index.html"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------- needs and resources


@zone_member_required
def listing_list(request, side: str):
    zone = request.zone.get()
    form = f.ListingFilterForm(request.GET or None, zone=zone)
    rows = SIDES[side].list_selector(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    context = {
        "side": side,
        "form": form,
        "page": _page(request, rows),
        "query": request.GET.urlencode(),
        "can_post": bool(f.owner_choices(request.user, zone)),
    }
    template = "exchange/partials/_listing_table.html" if request.htmx else "exchange/listing_list.html"
    return render(request, template, context)


@zone_member_required
def listing_export(request, side: str):
    zone = request.zone.get()
    form = f.ListingFilterForm(request.GET or None, zone=zone)
    rows = SIDES[side].list_selector(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    return exports.listings(rows, side=side, user=request.user)


def _shows_phone(user, listing: Listing) -> bool:
    """Another firm's contact phone is never shown; staff and the owner's own people see it whole."""
    scope = scope_for(user)
    return perms.owns(user, listing) or bool(
        scope.full_zone_ids | scope.staff_zone_ids or perms.instructs_for(user, listing)
    )


@zone_member_required
def listing_detail(request, side: str, pk: int):
    listing = _or_404(SIDES[side].get_selector, user=request.user, pk=pk)
    matches = selectors.match_list(user=request.user, **{f"{side}_id": listing.pk})
    can_manage = perms.may_manage_listing(request.user, listing) and listing.status == ListingStatus.OPEN
    context = {
        "side": side,
        "listing": listing,
        "matches": matches,
        "can_manage": can_manage,
        "show_phone": _shows_phone(request.user, listing),
        "withdraw_form": f.WithdrawForm(),
    }
    if (
        side == "need"
        and listing.status == ListingStatus.OPEN
        and perms.may_propose_by_hand(request.user, listing)
    ):
        context["propose_form"] = f.ProposeForm(resources=_manual_candidates(request.user, listing))
    return render(request, "exchange/listing_detail.html", context)


def _manual_candidates(user, need):
    return (
        selectors.resource_list(
            user=user, zone_id=need.zone_id, chain_id=need.chain_id, status=ListingStatus.OPEN
        )
        .exclude(id__in=need.matches.values("resource_id"))
        .order_by("kind", "-posted_on")[:200]
    )


def _owner(value: str, zone) -> dict[str, Any]:
    """Decode an owner choice ("e:<id>", "d:<id>", "i:<alliance>:<name>") into service arguments."""
    tag, _sep, rest = value.partition(":")
    if tag == "e":
        return {"enterprise": Enterprise.objects.get(zone=zone, pk=int(rest))}
    if tag == "d":
        return {"department": Department.objects.get(zone=zone, pk=int(rest))}
    return {"institution": rest.partition(":")[2]}


def _alliances_for_posting(request, zone):
    return org_selectors.alliance_list(user=request.user, zone_id=zone.pk)


@zone_member_required
def listing_create(request, side: str):
    zone = request.zone.get()
    owners = f.owner_choices(request.user, zone)
    if not owners:
        raise PermissionDenied
    form = f.ListingForm(request.POST or None, owners=owners, alliances=_alliances_for_posting(request, zone))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = _owner(data.pop("owner"), zone)
        alliance_id = data.pop("alliance")
        alliance = zone.alliances.filter(pk=alliance_id).first() if alliance_id else None
        listing = _run(
            request,
            form,
            lambda: SIDES[side].post(
                actor=request.user, zone=zone, alliance=alliance, **owner, **_clean(data)
            ),
        )
        if listing is not None:
            messages.success(request, _("Posted."))
            return redirect(f"exchange:{side}_detail", pk=listing.pk)
    status = 400 if form.is_bound else 200
    return render(request, "exchange/listing_form.html", {"form": form, "side": side}, status=status)


def _clean(data: dict) -> dict:
    """Blank optional text stays "", a blank amount stays None."""
    return {
        name: ("" if value is None and name not in ("amount_wan",) else value) for name, value in data.items()
    }


@zone_member_required
def listing_edit(request, side: str, pk: int):
    listing = _or_404(SIDES[side].get_selector, user=request.user, pk=pk)
    if not perms.may_manage_listing(request.user, listing):
        raise Http404
    initial = {name: getattr(listing, name) for name in services.EDITABLE_LISTING_FIELDS}
    form = f.ListingForm(request.POST or None, initial=initial, owners=[], alliances=[], editing=True)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: services.listing_update(actor=request.user, listing=listing, **_clean(form.cleaned_data)),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect(f"exchange:{side}_detail", pk=listing.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "side": side, "listing": listing}
    return render(request, "exchange/listing_form.html", context, status=status)


@require_POST
@zone_member_required
def listing_withdraw(request, side: str, pk: int):
    listing = _or_404(SIDES[side].get_selector, user=request.user, pk=pk)
    form = f.WithdrawForm(request.POST)
    form.is_valid()
    _act(
        request,
        lambda: services.listing_withdraw(
            actor=request.user, listing=listing, reason=form.cleaned_data.get("reason", "")
        ),
        _("Withdrawn."),
    )
    return redirect(f"exchange:{side}_detail", pk=listing.pk)


def _act(request, action, done: str) -> bool:
    """A button without a form of its own: refusals become a message, a forbidden step a 404."""
    try:
        action()
    except Forbidden as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(_in_language(m) for m in exc.messages))
    except ActionRefused as exc:
        messages.error(request, exc.localised(get_language()))
    else:
        messages.success(request, done)
        return True
    return False


@require_POST
@zone_member_required
def need_propose(request, pk: int):
    """Run the matcher for the need."""
    need = _or_404(selectors.need_get, user=request.user, pk=pk)
    found: list[Match] = []

    def run():
        found.extend(services.need_propose(actor=request.user, need=need))

    if _act(request, run, _("The matcher ran.")) and not found:
        messages.info(request, _("No resource fits this need well enough yet."))
    return redirect("exchange:need_detail", pk=need.pk)


@require_POST
@zone_member_required
def need_propose_manual(request, pk: int):
    need = _or_404(selectors.need_get, user=request.user, pk=pk)
    form = f.ProposeForm(request.POST, resources=_manual_candidates(request.user, need))
    if not form.is_valid():
        messages.error(request, _("Choose a resource."))
        return redirect("exchange:need_detail", pk=need.pk)
    resource = _or_404(selectors.resource_get, user=request.user, pk=form.cleaned_data["resource"])
    _act(
        request,
        lambda: services.match_propose(actor=request.user, need=need, resource=resource),
        _("Match proposed."),
    )
    return redirect("exchange:need_detail", pk=need.pk)


# ---------------------------------------------------------------------------------------------- matches


@zone_member_required
def match_list(request):
    zone = request.zone.get()
    form = f.MatchFilterForm(request.GET or None, zone=zone)
    rows = selectors.match_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    context = {"form": form, "page": _page(request, rows), "query": request.GET.urlencode()}
    template = "exchange/partials/_match_table.html" if request.htmx else "exchange/match_list.html"
    return render(request, template, context)


@zone_member_required
def match_export(request):
    zone = request.zone.get()
    form = f.MatchFilterForm(request.GET or None, zone=zone)
    rows = selectors.match_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    return exports.matches(rows)


def _match_context(request, match: Match, **forms: Any) -> dict:
    sides = perms.sides_answered_by(request.user, match)
    owed = [side for side in sides if getattr(match, f"{side}_accepted_on") is None]
    may_close = perms.may_close_match(request.user, match)
    return {
        "match": match,
        "can_accept": match.status == Match.Status.PROPOSED and bool(owed),
        "can_decline": match.status == Match.Status.PROPOSED and may_close,
        "can_close": match.status == Match.Status.ACCEPTED and may_close,
        "decline_form": forms.get("decline_form") or f.ReasonForm(),
        "close_form": forms.get("close_form") or f.CloseMatchForm(),
    }


@zone_member_required
def match_detail(request, pk: int):
    match = _or_404(selectors.match_get, user=request.user, pk=pk)
    return render(request, "exchange/match_detail.html", _match_context(request, match))


@require_POST
@zone_member_required
def match_accept(request, pk: int):
    match = _or_404(selectors.match_get, user=request.user, pk=pk)
    _act(
        request, lambda: services.match_accept(actor=request.user, match=match), _("You accepted the match.")
    )
    return redirect("exchange:match_detail", pk=match.pk)


@require_POST
@zone_member_required
def match_decline(request, pk: int):
    match = _or_404(selectors.match_get, user=request.user, pk=pk)
    form = f.ReasonForm(request.POST)
    if form.is_valid():
        done = _run(
            request,
            form,
            lambda: services.match_decline(
                actor=request.user, match=match, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The match was declined."))
            return redirect("exchange:match_detail", pk=match.pk)
    return render(
        request, "exchange/match_detail.html", _match_context(request, match, decline_form=form), status=400
    )


@require_POST
@zone_member_required
def match_close(request, pk: int):
    match = _or_404(selectors.match_get, user=request.user, pk=pk)
    form = f.CloseMatchForm(request.POST)
    if form.is_valid():
        done = _run(
            request, form, lambda: services.match_close(actor=request.user, match=match, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("The match was closed with its result."))
            return redirect("exchange:match_detail", pk=match.pk)
    return render(
        request, "exchange/match_detail.html", _match_context(request, match, close_form=form), status=400
    )


# ---------------------------------------------------------------------------------------------- projects


@zone_member_required
def project_list(request):
    zone = request.zone.get()
    form = f.ProjectFilterForm(request.GET or None, zone=zone)
    rows = selectors.project_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    context = {
        "form": form,
        "page": _page(request, rows),
        "query": request.GET.urlencode(),
        "managed": _managed_alliances(request, zone),
    }
    return render(request, "exchange/project_list.html", context)


@zone_member_required
def project_export(request):
    zone = request.zone.get()
    form = f.ProjectFilterForm(request.GET or None, zone=zone)
    return exports.projects(
        selectors.project_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    )


@zone_member_required
def project_detail(request, pk: int):
    project = _or_404(selectors.project_get, user=request.user, pk=pk)
    can_edit = perms.may_manage_projects(request.user, project.alliance)
    return render(request, "exchange/project_detail.html", {"project": project, "can_edit": can_edit})


def _managed_alliances(request, zone) -> list:
    alliances = org_selectors.alliance_list(user=request.user, zone_id=zone.pk)
    return [a for a in alliances if perms.may_manage_projects(request.user, a)]


def _project_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["units"] = list(AllianceMember.objects.filter(pk__in=data.get("units") or []))
    data["description"] = data.get("description") or ""
    data["outcome"] = data.get("outcome") or ""
    return data


@zone_member_required
def project_create(request, alliance_pk: int):
    zone = request.zone.get()
    alliance = next((a for a in _managed_alliances(request, zone) if a.pk == alliance_pk), None)
    if alliance is None:
        raise Http404
    members = list(org_selectors.alliance_members(alliance))
    form = f.ProjectForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        project = _run(
            request,
            form,
            lambda: services.project_create(actor=request.user, alliance=alliance, **_project_values(form)),
        )
        if project is not None:
            messages.success(request, _("Project added."))
            return redirect("exchange:project_detail", pk=project.pk)
    status = 400 if form.is_bound else 200
    return render(request, "exchange/project_form.html", {"form": form, "alliance": alliance}, status=status)


@zone_member_required
def project_edit(request, pk: int):
    project = _or_404(selectors.project_get, user=request.user, pk=pk)
    if not perms.may_manage_projects(request.user, project.alliance):
        raise Http404
    members = list(org_selectors.alliance_members(project.alliance))
    initial = {name: getattr(project, name) for name in services.EDITABLE_PROJECT_FIELDS}
    initial["units"] = [u.pk for u in project.units.all()]
    form = f.ProjectForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: services.project_update(actor=request.user, project=project, **_project_values(form)),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("exchange:project_detail", pk=project.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "alliance": project.alliance, "project": project}
    return render(request, "exchange/project_form.html", context, status=status)


# ---------------------------------------------------------------------------------------------- feedback


@zone_member_required
def feedback_create(request):
    """A member raises feedback in an alliance; it enters the demand loop (反馈沟通制)."""
    zone = request.zone.get()
    alliances = [
        a
        for a in org_selectors.alliance_list(user=request.user, zone_id=zone.pk)
        if perms.may_raise_feedback(request.user, a, None) or _member_firms(request, a)
    ]
    if not alliances:
        raise PermissionDenied
    enterprises = (
        org_selectors.enterprise_list(user=request.user, zone_id=zone.pk)
        .filter(alliance_memberships__alliance__in=alliances)
        .distinct()
    )
    form = f.FeedbackForm(request.POST or None, alliances=alliances, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        alliance = next(a for a in alliances if a.pk == data["alliance"])
        enterprise = enterprises.filter(pk=data["enterprise"]).first() if data["enterprise"] else None
        demand = _run(
            request,
            form,
            lambda: services.feedback_submit(
                actor=request.user,
                alliance=alliance,
                enterprise=enterprise,
                title=data["title"],
                body=data["body"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
            ),
        )
        if demand is not None:
            messages.success(
                request, _("Feedback received; tracking code %(code)s.") % {"code": demand.tracking_code}
            )
            return redirect("demands:detail", pk=demand.pk)
    status = 400 if form.is_bound else 200
    return render(request, "exchange/feedback_form.html", {"form": form}, status=status)


def _member_firms(request, alliance) -> bool:
    firms = scope_for(request.user).enterprise_ids
    return bool(firms) and alliance.members.filter(enterprise_id__in=firms).exists()
