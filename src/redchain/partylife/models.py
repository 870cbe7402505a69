"""Party life (党的组织生活): 三会一课, 主题党日, 民主评议党员, training and study, recorded per party
organisation with a roll call; the cadence each kind must keep; branch brands (一支部一品牌) and the yearly
star rating of branches (堡垒支部星级评定)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from redchain.core.models import NameSorted, TimeStamped
from redchain.orgs.models import PartyMember, PartyOrg, Zone
from redchain.partylife.querysets import (
    ActivityQuerySet,
    AttendanceQuerySet,
    BrandQuerySet,
    CadenceRuleQuerySet,
    RatingQuerySet,
)


class ActivityKind(models.TextChoices):
    """The kinds of organisational life; the first four together are 三会一课."""

    GENERAL_MEETING = "general_meeting", _("branch general meeting")  # 支部党员大会
    COMMITTEE_MEETING = "committee_meeting", _("branch committee meeting")  # 支部委员会
    GROUP_MEETING = "group_meeting", _("party group meeting")  # 党小组会
    LECTURE = "lecture", _("party lecture")  # 党课
    THEME_DAY = "theme_day", _("theme party day")  # 主题党日
    APPRAISAL = "appraisal", _("democratic appraisal of members")  # 民主评议党员
    LIFE_MEETING = "life_meeting", _("organisational life meeting")  # 组织生活会
    TRAINING = "training", _("training")  # 培训
    STUDY = "study", _("study session")  # 学习


THREE_MEETINGS_ONE_LECTURE = (
    ActivityKind.GENERAL_MEETING,
    ActivityKind.COMMITTEE_MEETING,
    ActivityKind.GROUP_MEETING,
    ActivityKind.LECTURE,
)


class PartyActivity(TimeStamped):
    """One meeting, lecture, theme day or session held by a party organisation, with its roll call."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="activities", verbose_name=_("party organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    host = models.CharField(_("host or lecturer"), max_length=50, blank=True)
    content = models.TextField(_("content and minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("party activity")
        verbose_name_plural = _("party activities")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="party_activity_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["org", "kind", "held_on"]), models.Index(fields=["zone", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Attendance(models.Model):
    """Whether one member of the organisation attended one activity."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")  # 出席
        ABSENT = "absent", _("absent")  # 缺席
        EXCUSED = "excused", _("excused")  # 请假

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    activity = models.ForeignKey(
        PartyActivity, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("activity")
    )
    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("party member")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices, default=Status.PRESENT)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="attendance_once_per_member"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "absent", "excused"]), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


# Windows of these lengths tile a year, so "every N months" reads the same in every month.
EVERY_MONTHS_CHOICES = [
    (1, _("monthly")),
    (2, _("every two months")),
    (3, _("quarterly")),
    (6, _("half-yearly")),
    (12, _("yearly")),
]
RULE_ORG_KINDS = [
    PartyOrg.Kind.COMMITTEE,
    PartyOrg.Kind.GENERAL_BRANCH,
    PartyOrg.Kind.BRANCH,
    PartyOrg.Kind.GROUP,
]


class CadenceRule(TimeStamped):
    """How often the organisations of the given kinds must hold one kind of activity (at least once per
    window of ``every_months`` months ending with the month under review)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    kind = models.CharField(_("activity kind"), max_length=20, choices=ActivityKind.choices)
    every_months = models.PositiveSmallIntegerField(_("frequency"), choices=EVERY_MONTHS_CHOICES)
    org_kinds = models.JSONField(_("applies to"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CadenceRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadence rule")
        verbose_name_plural = _("cadence rules")
        ordering = ["every_months", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "kind"], name="cadence_rule_one_per_kind"),
            models.CheckConstraint(
                condition=Q(every_months__in=[1, 2, 3, 6, 12]), name="cadence_every_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="cadence_rule_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_every_months_display()}"

    def clean(self) -> None:
        kinds = self.org_kinds if isinstance(self.org_kinds, list) else None
        if not kinds or any(kind not in RULE_ORG_KINDS for kind in kinds):
            raise ValidationError({"org_kinds": _("Choose at least one kind of party organisation.")})

    def org_kind_labels(self) -> list[str]:
        labels = dict(PartyOrg.Kind.choices)
        return [str(labels[kind]) for kind in self.org_kinds if kind in labels]


class BranchBrand(NameSorted, TimeStamped):
    """A branch's brand (一支部一品牌): cultivated first (培育), then named by the working committee (命名)."""

    class Status(models.TextChoices):
        CULTIVATING = "cultivating", _("cultivating")  # 培育
        NAMED = "named", _("named")  # 命名
        RETIRED = "retired", _("retired")  # 撤销

    ACTIVE = (Status.CULTIVATING, Status.NAMED)

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="brands", verbose_name=_("party organisation")
    )
    name = models.CharField(_("brand name"), max_length=100)
    slogan = models.CharField(_("slogan"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    established_year = models.PositiveSmallIntegerField(
        _("established in"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CULTIVATING)
    named_on = models.DateField(_("named on"), null=True, blank=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch brand")
        verbose_name_plural = _("branch brands")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org"],
                condition=Q(status__in=["cultivating", "named"]),
                name="brand_one_active_per_org",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["cultivating", "named", "retired"]), name="brand_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="named") | Q(named_on__isnull=False), name="brand_named_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BranchRating(TimeStamped):
    """The yearly star rating of a branch (星级评定; five stars is a 堡垒支部 in the zone's scheme).

    The level follows from the score: 90 and above five stars, 80 four, 70 three, 60 two, below 60 one.
    """

    class Level(models.IntegerChoices):
        FIVE = 5, _("five stars")  # 五星
        FOUR = 4, _("four stars")  # 四星
        THREE = 3, _("three stars")  # 三星
        TWO = 2, _("two stars")  # 二星
        ONE = 1, _("one star")  # 一星

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="star_ratings", verbose_name=_("party organisation")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    rated_on = models.DateField(_("rated on"))
    note = models.TextField(_("note"), blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch rating")
        verbose_name_plural = _("branch ratings")
        ordering = ["-year", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="rating_one_per_org_per_year"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_valid"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="rating_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.year} · {self.get_level_display()}"

    @staticmethod
    def level_for(score) -> int:
        for floor, level in ((90, 5), (80, 4), (70, 3), (60, 2)):
            if score >= floor:
                return level
        return 1

    @property
    def is_fortress(self) -> bool:
        return self.level == self.Level.FIVE
