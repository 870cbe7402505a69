"""Pages of the organisation graph. Every page reads through orgs.selectors, so scope is never skipped."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import render

from redchain.accounts.decorators import zone_member_required
from redchain.accounts.scope import scope_for
from redchain.orgs import hooks, selectors
from redchain.orgs.forms import EnterpriseFilterForm, PartyMemberFilterForm
from redchain.orgs.matrix import matrix_graph

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _get_or_404(getter, **kwargs):
    """Outside the user's scope and nonexistent look the same: 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@zone_member_required
def enterprise_list(request):
    zone = request.zone.get()
    form = EnterpriseFilterForm(request.GET or None, zone=zone)
    filters = form.cleaned_filters()
    enterprises = selectors.enterprise_list(user=request.user, zone_id=zone.pk, **filters)
    context = {
        "form": form,
        "page": _page(request, enterprises),
        "query": request.GET.urlencode(),
        "can_import": scope_for(request.user).administers(zone.pk),
    }
    template = "orgs/partials/_enterprise_table.html" if request.htmx else "orgs/enterprise_list.html"
    return render(request, template, context)


@zone_member_required
def enterprise_detail(request, pk: int):
    enterprise = _get_or_404(selectors.enterprise_get, user=request.user, pk=pk)
    context = {
        "enterprise": enterprise,
        "party_orgs": selectors.party_org_list(user=request.user).filter(owner_enterprise=enterprise),
        "alliances": [m.alliance for m in enterprise.alliance_memberships.all()],
        "member_count": selectors.party_member_list(user=request.user)
        .filter(org__owner_enterprise=enterprise)
        .count(),
        "panels": hooks.panels(hooks.ENTERPRISE_PANELS, request, enterprise),
    }
    return render(request, "orgs/enterprise_detail.html", context)


@zone_member_required
def party_org_tree(request):
    zone = request.zone.get()
    roots = selectors.party_org_forest(user=request.user, zone_id=zone.pk)
    context = {"roots": roots, "can_import": scope_for(request.user).administers(zone.pk)}
    return render(request, "orgs/party_org_tree.html", context)


@zone_member_required
def party_org_detail(request, pk: int):
    org = _get_or_404(selectors.party_org_get, user=request.user, pk=pk)
    context = {
        "org": org,
        "children": selectors.party_org_list(user=request.user)
        .filter(parent=org)
        .annotate(n_members=Count("members")),
        "members": selectors.party_member_list(user=request.user, org_id=org.pk),
        "alliances": org.alliance_memberships.select_related("alliance"),
        "panels": hooks.panels(hooks.PARTY_ORG_PANELS, request, org),
    }
    return render(request, "orgs/party_org_detail.html", context)


@zone_member_required
def party_member_list(request):
    zone = request.zone.get()
    form = PartyMemberFilterForm(request.GET or None, user=request.user, zone=zone)
    members = selectors.party_member_list(user=request.user, zone_id=zone.pk, **form.cleaned_filters())
    context = {
        "form": form,
        "page": _page(request, members),
        "query": request.GET.urlencode(),
        "can_import": scope_for(request.user).administers(zone.pk),
    }
    return render(request, "orgs/party_member_list.html", context)


@zone_member_required
def alliance_list(request):
    alliances = selectors.alliance_list(user=request.user, zone_id=request.zone.get().pk)
    return render(request, "orgs/alliance_list.html", {"alliances": alliances})


@zone_member_required
def alliance_detail(request, pk: int):
    alliance = _get_or_404(selectors.alliance_get, user=request.user, pk=pk)
    members = list(selectors.alliance_members(alliance))
    context = {
        "alliance": alliance,
        "members": members,
        # The roster is public within the zone, but only enterprises in the user's scope get a link.
        "linkable_enterprise_ids": set(
            selectors.enterprise_list(user=request.user)
            .filter(id__in=[m.enterprise_id for m in members if m.enterprise_id])
            .values_list("id", flat=True)
        ),
        "chain_enterprises": selectors.enterprise_list(user=request.user, chain_id=alliance.chain_id)[:200],
        "panels": hooks.panels(hooks.ALLIANCE_PANELS, request, alliance),
    }
    return render(request, "orgs/alliance_detail.html", context)


@zone_member_required
def matrix(request):
    return render(
        request,
        "orgs/matrix.html",
        {"alliances": selectors.alliance_list(user=request.user, zone_id=request.zone.get().pk)},
    )


@zone_member_required
def matrix_data(request):
    return JsonResponse(matrix_graph(user=request.user, zone=request.zone.get()))
