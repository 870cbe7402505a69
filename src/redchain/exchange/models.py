"""Needs, resources and matches of the alliances (需求清单 / 资源清单, 资源共享制) and the alliances'
co-building projects (项目清单).

A need or a resource belongs to one owner: an enterprise, a department, or an institute or finance firm named
on an alliance's roster. It is posted in an alliance, or by a firm on a chain to its whole chain. A match pairs
one need with one resource; both owners accept it, and it is closed with its result (saved and deal value in
万元), which the alliance's totals add up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from redchain.core.idcard import mask_phone
from redchain.core.models import TimeStamped
from redchain.exchange.querysets import MatchQuerySet, NeedQuerySet, ProjectQuerySet, ResourceQuerySet


class Kind(models.TextChoices):
    FINANCING = "financing", _("financing")  # 融资
    PROCUREMENT = "procurement", _("procurement")  # 采购
    TALENT = "talent", _("talent")  # 人才
    EQUIPMENT = "equipment", _("equipment")  # 设备
    VENUE = "venue", _("venues")  # 场地
    ORDERS = "orders", _("orders")  # 订单
    TECHNOLOGY = "technology", _("technology")  # 技术
    OTHER = "other", pgettext_lazy("exchange kind", "other")


class ListingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("listing status", "open")
    MATCHED = "matched", pgettext_lazy("listing status", "matched")
    CLOSED = "closed", pgettext_lazy("listing status", "closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("listing status", "withdrawn")


class Listing(TimeStamped):
    """What needs and resources share: the owner, where it is posted, what and how much, until when."""

    zone = models.ForeignKey("orgs.Zone", on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        "orgs.Alliance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alliance"),
        help_text=_("Leave empty to post to the whole industry chain."),
    )
    chain = models.ForeignKey(
        "orgs.IndustryChain", on_delete=models.PROTECT, related_name="+", verbose_name=_("industry chain")
    )
    owner_enterprise = models.ForeignKey(
        "orgs.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    owner_department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    owner_institution = models.CharField(_("institute or finance firm"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    amount_wan = models.DecimalField(
        _("amount (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity = models.CharField(_("quantity"), max_length=50, blank=True)
    posted_on = models.DateField(_("posted on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.OPEN
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        owner = self.owner_enterprise or self.owner_department
        return str(owner) if owner else self.owner_institution

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


def _listing_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=(
                Q(owner_enterprise__isnull=False, owner_department__isnull=True, owner_institution="")
                | Q(owner_enterprise__isnull=True, owner_department__isnull=False, owner_institution="")
                | (Q(owner_enterprise__isnull=True, owner_department__isnull=True) & ~Q(owner_institution=""))
            ),
            name=f"{prefix}_exactly_one_owner",
        ),
        models.CheckConstraint(
            condition=Q(owner_enterprise__isnull=False) | Q(alliance__isnull=False),
            name=f"{prefix}_only_firms_post_to_a_chain",
        ),
        models.CheckConstraint(condition=Q(kind__in=Kind.values), name=f"{prefix}_kind_valid"),
        models.CheckConstraint(condition=Q(status__in=ListingStatus.values), name=f"{prefix}_status_valid"),
        models.CheckConstraint(
            condition=Q(valid_until__gte=F("posted_on")), name=f"{prefix}_valid_after_posting"
        ),
        models.CheckConstraint(
            condition=Q(amount_wan__isnull=True) | Q(amount_wan__gte=0), name=f"{prefix}_amount_non_negative"
        ),
    ]


class Need(Listing):
    """An item of an alliance's needs list (需求清单): what a member unit is looking for."""

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-posted_on", "-id"]
        constraints = _listing_constraints("need")
        indexes = [models.Index(fields=["zone", "status", "kind"])]


class Resource(Listing):
    """An item of an alliance's resources list (资源清单): what a member unit offers to share."""

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-posted_on", "-id"]
        constraints = _listing_constraints("resource")
        indexes = [models.Index(fields=["zone", "status", "kind"])]


class Match(TimeStamped):
    """One need paired with one resource (资源共享制): proposed → accepted by both sides → closed with its
    result, or declined with a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("match status", "proposed")
        ACCEPTED = "accepted", pgettext_lazy("match status", "accepted")
        CLOSED = "closed", pgettext_lazy("match status", "closed")
        DECLINED = "declined", pgettext_lazy("match status", "declined")

    class Source(models.TextChoices):
        SYSTEM = "system", _("proposed by the system")
        MANUAL = "manual", _("proposed by hand")

    zone = models.ForeignKey("orgs.Zone", on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        "orgs.Alliance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alliance"),
    )
    chain = models.ForeignKey(
        "orgs.IndustryChain", on_delete=models.PROTECT, related_name="+", verbose_name=_("industry chain")
    )
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="matches", verbose_name=_("need"))
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="matches", verbose_name=_("resource")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    reasons = models.JSONField(_("score breakdown"), default=dict, blank=True)
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    need_accepted_on = models.DateField(_("accepted by the need's owner on"), null=True, blank=True)
    resource_accepted_on = models.DateField(_("accepted by the resource's owner on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    saved_wan = models.DecimalField(
        _("saved (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deal_value_wan = models.DecimalField(
        _("deal value (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "resource"], name="match_one_per_pair"),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "closed", "declined"]),
                name="match_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(result="")),
                name="match_closed_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="match_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(saved_wan__isnull=True) | Q(saved_wan__gte=0))
                & (Q(deal_value_wan__isnull=True) | Q(deal_value_wan__gte=0)),
                name="match_figures_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need.title} ↔ {self.resource.title}"

    @property
    def both_accepted(self) -> bool:
        return self.need_accepted_on is not None and self.resource_accepted_on is not None


class Project(TimeStamped):
    """A co-building project of an alliance (项目清单) with the member units involved."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("project status", "planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("project status", "in progress")
        DONE = "done", pgettext_lazy("project status", "done")

    zone = models.ForeignKey("orgs.Zone", on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        "orgs.Alliance", on_delete=models.PROTECT, related_name="+", verbose_name=_("alliance")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    units = models.ManyToManyField(
        "orgs.AllianceMember", related_name="+", blank=True, verbose_name=_("member units involved")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    investment_wan = models.DecimalField(
        _("investment (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-building project")
        verbose_name_plural = _("co-building projects")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done"]), name="project_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True)
                | (Q(started_on__isnull=False) & Q(finished_on__gte=F("started_on"))),
                name="project_finished_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(finished_on__isnull=False), name="project_done_has_finish"
            ),
            models.CheckConstraint(
                condition=Q(investment_wan__isnull=True) | Q(investment_wan__gte=0),
                name="project_investment_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title
