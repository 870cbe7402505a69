"""Pairings (结对共建 / 双联双助): an agency's party organisation paired with a village, a community, an
enterprise or another branch, with the resources it promised and delivered and the joint projects it runs.

Every row carries its ``zone`` (denormalised on the children too), so scoping and the audit trail stay per zone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redchain.core.models import NameSorted, TimeStamped
from redchain.orgs.models import Enterprise, PartyOrg, Zone
from redchain.pairings.querysets import PairingQuerySet, ProjectQuerySet, PromiseQuerySet


def _wan(label, **options) -> models.DecimalField:
    """An amount in 万元 (10k yuan), never negative."""
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], **options
    )


class Pairing(NameSorted, TimeStamped):
    """One pairing between an agency's party organisation (the 机关支部) and its partner."""

    class PartnerKind(models.TextChoices):
        VILLAGE = "village", _("village")  # 村
        COMMUNITY = "community", _("community")  # 社区
        ENTERPRISE = "enterprise", _("enterprise")  # 企业
        BRANCH = "branch", _("party branch")  # 支部

    class Mechanism(models.TextChoices):
        JOINT_BUILDING = "joint_building", _("joint building (结对共建)")
        DOUBLE_LINK = "double_link", _("double link, double help (双联双助)")
        VILLAGE_ENTERPRISE = "village_enterprise", _("village-enterprise pairing (村企结对)")
        BRANCH_LINK = "branch_link", _("branch-to-branch link (支部联建)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("zone"))
    name = models.CharField(_("name"), max_length=200)
    agency_org = models.ForeignKey(
        PartyOrg,
        on_delete=models.PROTECT,
        related_name="agency_pairings",
        verbose_name=_("agency party organisation"),
    )
    partner_kind = models.CharField(_("partner kind"), max_length=12, choices=PartnerKind.choices)
    partner_enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name=_("partner enterprise"),
    )
    partner_party_org = models.ForeignKey(
        PartyOrg,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_pairings",
        verbose_name=_("partner party organisation"),
    )
    partner_name = models.CharField(
        _("village or community"),
        max_length=100,
        blank=True,
        help_text=_("The name of the paired village or community."),
    )
    mechanism = models.CharField(
        _("mechanism"), max_length=20, choices=Mechanism.choices, default=Mechanism.JOINT_BUILDING
    )
    goals = models.TextField(_("goals"), blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = models.TextField(_("closing summary"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["sort_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(partner_kind="enterprise")
                    & Q(partner_enterprise__isnull=False)
                    & Q(partner_party_org__isnull=True)
                )
                | (
                    Q(partner_kind="branch")
                    & Q(partner_party_org__isnull=False)
                    & Q(partner_enterprise__isnull=True)
                )
                | (
                    # A village or community is named; its own party organisation may be linked as well.
                    Q(partner_kind__in=["village", "community"])
                    & ~Q(partner_name="")
                    & Q(partner_enterprise__isnull=True)
                ),
                name="pairing_partner_matches_kind",
            ),
            models.CheckConstraint(condition=Q(status__in=["active", "ended"]), name="pairing_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(ended_on__isnull=True))
                | (Q(status="ended") & Q(ended_on__isnull=False)),
                name="pairing_ended_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pairing_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(partner_party_org=models.F("agency_org")), name="pairing_not_with_itself"
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def partner_label(self) -> str:
        if self.partner_enterprise_id:
            return str(self.partner_enterprise)
        if self.partner_kind == self.PartnerKind.BRANCH and self.partner_party_org_id:
            return str(self.partner_party_org)
        return self.partner_name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class PairingPromise(TimeStamped):
    """A resource the agency promised its partner (政策 / 资金 / 技术人才 / 物资) and what it delivered."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("policy")  # 政策
        FUNDS = "funds", _("funds")  # 资金
        EXPERTISE = "expertise", _("expertise and people")  # 技术 / 人才
        MATERIALS = "materials", _("materials")  # 物资
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PROMISED = "promised", _("promised")
        PARTLY_DELIVERED = "partly_delivered", _("partly delivered")
        DELIVERED = "delivered", _("delivered")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="promises", verbose_name=_("pairing")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("what was promised"), max_length=300)
    amount_wan = _wan(_("amount (10k yuan)"), null=True, blank=True)
    promised_on = models.DateField(_("promised on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROMISED)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivered_amount_wan = _wan(_("delivered amount (10k yuan)"), default=Decimal("0"))
    delivery_note = models.TextField(_("delivery note"), blank=True)

    objects = PromiseQuerySet.as_manager()

    class Meta:
        verbose_name = _("promised resource")
        verbose_name_plural = _("promised resources")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["policy", "funds", "expertise", "materials", "other"]),
                name="pairing_promise_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["promised", "partly_delivered", "delivered"]),
                name="pairing_promise_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="funds") | Q(amount_wan__gt=0), name="pairing_promise_funds_have_amount"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("promised_on")), name="pairing_promise_due_after_promise"
            ),
            models.CheckConstraint(
                condition=(Q(status="promised") & Q(delivered_on__isnull=True))
                | (~Q(status="promised") & Q(delivered_on__isnull=False)),
                name="pairing_promise_delivery_date_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status", "due_on"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        """Not fully delivered and past its due date (a derived state: it depends on today)."""
        return self.status != self.Status.DELIVERED and self.due_on < timezone.localdate()

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DELIVERED


class PairingProject(TimeStamped):
    """A joint project (共建项目) carried out under a pairing."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("industry development")  # 产业发展
        INFRASTRUCTURE = "infrastructure", _("infrastructure")  # 基础设施
        EMPLOYMENT = "employment", _("jobs and skills")  # 就业帮扶
        PUBLIC_SERVICE = "public_service", _("public services")  # 民生服务
        PARTY_BUILDING = "party_building", _("party building")  # 党建共建
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        STALLED = "stalled", _("stalled")

    class BeneficiaryUnit(models.TextChoices):
        PEOPLE = "people", _("people")
        FIRMS = "firms", _("firms")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="projects", verbose_name=_("pairing")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    investment_wan = _wan(_("investment (10k yuan)"), default=Decimal("0"))
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    beneficiary_unit = models.CharField(
        _("counted in"), max_length=8, choices=BeneficiaryUnit.choices, default=BeneficiaryUnit.PEOPLE
    )
    outcome = models.TextField(_("outcome"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "stalled"]),
                name="pairing_project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "industry",
                        "infrastructure",
                        "employment",
                        "public_service",
                        "party_building",
                        "other",
                    ]
                ),
                name="pairing_project_kind_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(completed_on__isnull=False) & Q(started_on__isnull=False))
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="pairing_project_completed_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(started_on__isnull=False),
                name="pairing_project_started_unless_planned",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=models.F("started_on")),
                name="pairing_project_completes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def today() -> date:
    """The zone's calendar day (Asia/Shanghai), against which records of the past are checked."""
    return timezone.localdate()
