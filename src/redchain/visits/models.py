"""行走的办公室 / 一线上门工作法: staff visit an enterprise on site and log what they found.

A :class:`Visit` records one trip to one enterprise; each problem found there is a :class:`VisitFinding`,
which is either turned into a demand of the closed loop (转为诉求) or resolved on the spot (当场解决).
Every write goes through ``visits.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from redchain.core.models import TimeStamped
from redchain.visits.querysets import VisitFindingQuerySet, VisitQuerySet


class Visit(TimeStamped):
    """One on-site visit to an enterprise by a member of staff (the visitor), with whoever went along."""

    class Purpose(models.TextChoices):
        ROUTINE = "routine", _("routine visit")  # 走访
        RESEARCH = "research", _("research")  # 调研
        ONSITE_OFFICE = "onsite_office", _("on-site office")  # 现场办公
        POLICY = "policy", _("policy delivery")  # 政策宣讲
        OTHER = "other", _("other purpose")

    zone = models.ForeignKey(
        "orgs.Zone", on_delete=models.PROTECT, related_name="visits", verbose_name=_("zone")
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.PROTECT, related_name="visits", verbose_name=_("enterprise")
    )
    visited_on = models.DateField(_("visited on"))
    start_time = models.TimeField(_("time"), null=True, blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits_logged",
        verbose_name=_("visitor"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("department"),
    )
    companions = models.CharField(_("companions"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.ROUTINE)
    place = models.CharField(_("place"), max_length=200, blank=True)
    people_met = models.CharField(_("people met"), max_length=200, blank=True)
    summary = models.TextField(_("what was found"))
    internal_note = models.TextField(_("internal note"), blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=["routine", "research", "onsite_office", "policy", "other"]),
                name="visit_purpose_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "-visited_on"]),
            models.Index(fields=["enterprise", "-visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.enterprise}"


class VisitFinding(TimeStamped):
    """A problem found on a visit (找问题): open, turned into a demand, or resolved on the spot."""

    class Urgency(models.TextChoices):
        LOW = "low", _("not urgent")
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("open")  # 待处理
        REFERRED = "referred", _("turned into a demand")  # 已转诉求
        RESOLVED = "resolved", _("resolved on the spot")  # 当场解决

    zone = models.ForeignKey(
        "orgs.Zone", on_delete=models.PROTECT, related_name="visit_findings", verbose_name=_("zone")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("visit")
    )
    title = models.CharField(_("problem"), max_length=200)
    detail = models.TextField(_("details of the problem"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    demand = models.OneToOneField(
        "demands.Demand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_finding",
        verbose_name=_("demand"),
    )
    resolution_note = models.TextField(_("how it was resolved"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = VisitFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit finding")
        verbose_name_plural = _("visit findings")
        ordering = ["visit_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency__in=["low", "normal", "urgent"]), name="visit_finding_urgency_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="referred") & Q(demand__isnull=False))
                | (Q(status__in=["open", "resolved"]) & Q(demand__isnull=True)),
                name="visit_finding_demand_iff_referred",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution_note=""),
                name="visit_finding_resolved_has_note",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
