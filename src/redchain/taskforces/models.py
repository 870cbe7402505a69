"""Party-member task forces (党员攻关小组 / 先锋队 / 突击队 / 服务队) and the rationalisation suggestions
(合理化建议 / 金点子) they and their branches collect: collected → adopted → implemented → benefit (万元)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from redchain.core.models import NameSorted, TimeStamped
from redchain.orgs.models import Enterprise, PartyMember, PartyOrg, Zone
from redchain.taskforces.querysets import SuggestionQuerySet, TaskForceMemberQuerySet, TaskForceQuerySet


class TaskForce(NameSorted, TimeStamped):
    """A team of party members on one hard problem or project of a party organisation."""

    class Kind(models.TextChoices):
        TACKLING = "tackling", _("tackling team")  # 党员攻关小组
        VANGUARD = "vanguard", _("vanguard team")  # 党员先锋队
        SHOCK = "shock", _("shock team")  # 党员突击队
        SERVICE = "service", _("service team")  # 党员服务队

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DONE = "done", _("finished")
        DISBANDED = "disbanded", _("disbanded")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="task_forces", verbose_name=_("zone")
    )
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="task_forces", verbose_name=_("party organisation")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_forces",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TACKLING)
    name = models.CharField(_("name"), max_length=100)
    project = models.TextField(_("project or problem"))
    goal = models.TextField(_("goal"), blank=True)
    formed_on = models.DateField(_("formed on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    benefit_wan = models.DecimalField(
        _("benefit (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    objects = TaskForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="task_force_unique_name_per_org"),
            models.CheckConstraint(
                condition=Q(kind__in=["tackling", "vanguard", "shock", "service"]),
                name="task_force_kind_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(finished_on__isnull=True))
                | (Q(status__in=["done", "disbanded"]) & Q(finished_on__isnull=False)),
                name="task_force_finished_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=models.F("formed_on")),
                name="task_force_finished_after_formed",
            ),
            models.CheckConstraint(
                condition=Q(benefit_wan__isnull=True) | Q(benefit_wan__gte=0),
                name="task_force_benefit_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"])]

    def __str__(self) -> str:
        return self.name


class TaskForceMember(TimeStamped):
    """A party member on a task force: from the organisation's own subtree or invited from another one."""

    class Role(models.TextChoices):
        LEADER = "leader", _("team leader")
        MEMBER = "member", _("team member")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    task_force = models.ForeignKey(
        TaskForce, on_delete=models.CASCADE, related_name="members", verbose_name=_("task force")
    )
    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="task_force_roles", verbose_name=_("party member")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))

    objects = TaskForceMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("task force member")
        verbose_name_plural = _("task force members")
        ordering = ["role", "member__sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task_force", "member"], name="task_force_member_unique"),
            models.UniqueConstraint(
                fields=["task_force"], condition=Q(role="leader"), name="task_force_one_leader"
            ),
            models.CheckConstraint(condition=Q(role__in=["leader", "member"]), name="task_force_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.task_force} · {self.member}"

    @property
    def is_invited(self) -> bool:
        """Invited from an organisation outside the task force's own subtree."""
        return not self.member.org.path.startswith(self.task_force.org.path)


class Suggestion(TimeStamped):
    """A rationalisation suggestion (合理化建议 / 金点子) handed to a branch or a task force.

    It only moves forward: collected → adopted → implemented, or rejected (with a reason) at either step.
    ``adopted_on`` stays set when an adopted suggestion is later rejected, so the funnel still counts it.
    """

    class Status(models.TextChoices):
        COLLECTED = "collected", _("collected")
        ADOPTED = "adopted", _("adopted")
        IMPLEMENTED = "implemented", _("implemented")
        REJECTED = "rejected", _("not adopted")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("zone")
    )
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("party organisation")
    )
    task_force = models.ForeignKey(
        TaskForce,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("task force"),
    )
    # The firm the suggestion benefits, kept on the row so the funnel per enterprise is one GROUP BY.
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("enterprise"),
    )
    submitter = models.ForeignKey(
        PartyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("submitted by (party member)"),
    )
    submitter_name = models.CharField(_("submitted by (name)"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.COLLECTED)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for not adopting"), blank=True)
    benefit_wan = models.DecimalField(
        _("economic benefit (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    other_benefit = models.TextField(_("other benefit"), blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitter__isnull=False) | ~Q(submitter_name=""), name="suggestion_has_submitter"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["collected", "adopted", "implemented", "rejected"]),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "implemented"]) | Q(adopted_on__isnull=False),
                name="suggestion_adopted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="implemented", implemented_on__isnull=False)
                | (~Q(status="implemented") & Q(implemented_on__isnull=True)),
                name="suggestion_implemented_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="rejected", rejected_on__isnull=False) & ~Q(rejection_reason="")
                | (~Q(status="rejected") & Q(rejected_on__isnull=True)),
                name="suggestion_rejected_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(adopted_on__isnull=True) | Q(adopted_on__gte=models.F("submitted_on")),
                name="suggestion_adopted_after_submitted",
            ),
            models.CheckConstraint(
                condition=Q(implemented_on__isnull=True) | Q(implemented_on__gte=models.F("adopted_on")),
                name="suggestion_implemented_after_adopted",
            ),
            models.CheckConstraint(
                condition=Q(benefit_wan__isnull=True) | Q(benefit_wan__gte=0),
                name="suggestion_benefit_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"]), models.Index(fields=["zone", "submitted_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def submitted_by(self) -> str:
        return self.submitter.name if self.submitter_id and self.submitter else self.submitter_name
