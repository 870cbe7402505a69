"""The hot-topics page (每月一题): the month's topics, hottest first, with their demands; leaders adopt one.

Wired by the lead in ``config/urls.py`` as ``path("topics/", include("redchain.routing.urls_topics"))``.
Topics summarise the whole zone, so only readers of the whole zone (zone admins and leaders) see the page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from redchain.accounts.decorators import zone_member_required
from redchain.accounts.scope import scope_for
from redchain.demands.models import Demand
from redchain.demands.permissions import LoopError
from redchain.orgs.models import Department
from redchain.routing import topics as t
from redchain.routing.models_topics import Topic


def _month(request) -> dt.date:
    raw = request.GET.get("month") or request.POST.get("month") or ""
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()  # noqa: DTZ007 - a calendar month, not a moment
    except ValueError:
        return timezone.localdate().replace(day=1)


def _zone_reader(request):
    zone = request.zone.get()
    if not scope_for(request.user).reads_whole_zone(zone.pk):
        raise PermissionDenied
    return zone


@zone_member_required
def topic_list(request):
    zone = _zone_reader(request)
    month = _month(request)
    demands = Prefetch("demands", queryset=Demand.objects.only("pk", "title", "status").order_by("pk"))
    topics = (
        Topic.objects.filter(zone=zone, month=month)
        .select_related("department", "adopted_by")
        .prefetch_related(demands)
        .order_by("rank")
    )
    can_adopt = t.may_adopt(request.user, zone.pk)
    context = {
        "month": month,
        "topics": topics,
        "can_adopt": can_adopt,
        "departments": Department.objects.filter(zone=zone).order_by("pk") if can_adopt else [],
        "has_theme": any(topic.is_adopted for topic in topics),
    }
    return render(request, "routing/topics.html", context)


@require_POST
@zone_member_required
def topic_build(request):
    zone = _zone_reader(request)
    if not t.may_adopt(request.user, zone.pk):
        raise PermissionDenied
    month = _month(request)
    built = t.build_topics(zone=zone, month=month)
    messages.success(request, _("%(count)d topics found.") % {"count": len(built)})
    return redirect(f"{reverse('topics:list')}?month={month:%Y-%m}")


@require_POST
@zone_member_required
def topic_adopt(request, pk: int):
    zone = _zone_reader(request)
    try:
        topic = Topic.objects.get(pk=pk, zone=zone)
        department = Department.objects.get(pk=request.POST.get("department") or 0, zone=zone)
    except (Topic.DoesNotExist, Department.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not t.may_adopt(request.user, zone.pk):
        raise PermissionDenied
    try:
        t.adopt_topic(actor=request.user, topic=topic, department=department)
    except LoopError as error:
        messages.error(request, error.zh if (request.LANGUAGE_CODE or "").startswith("zh") else error.en)
    else:
        messages.success(request, _("The topic is this month's theme."))
    return redirect(f"{reverse('topics:list')}?month={topic.month:%Y-%m}")
