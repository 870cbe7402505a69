"""Alliance mechanisms (联盟运行机制): 双月工作例会 and 民主协商会 with attendance and decisions, 结盟立约 pacts
with members' commitments, the six actions (六大行动) and the places (阵地) where the work happens.

Every row carries its ``zone`` (denormalised on children), so the audit trail and the scoping are per zone.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redchain.core.models import NameSorted, TimeStamped
from redchain.mechanisms.querysets import (
    ActionItemQuerySet,
    ActivityQuerySet,
    AttendanceQuerySet,
    CommitmentQuerySet,
    MeetingQuerySet,
    PactQuerySet,
    PlaceQuerySet,
)
from redchain.orgs.models import Alliance, AllianceMember, Enterprise, Zone

SLOTS_PER_YEAR = 6


def today() -> dt.date:
    """The zone's calendar day (Asia/Shanghai), against which overdue and "not in the future" are judged."""
    return timezone.localdate()


def slot_of(day: dt.date) -> int:
    """The two-month slot (1 = Jan–Feb … 6 = Nov–Dec) a day falls in."""
    return (day.month + 1) // 2


class Place(NameSorted, TimeStamped):
    """A place of alliance work (阵地): a demonstration site, a guidance station or an activity venue."""

    class Kind(models.TextChoices):
        DEMONSTRATION_SITE = "demonstration_site", _("demonstration site")  # 示范点
        GUIDANCE_STATION = "guidance_station", _("guidance station")  # 指导站
        ACTIVITY_VENUE = "activity_venue", _("activity venue")  # 活动阵地

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        Alliance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("alliance"),
    )
    host_enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host enterprise"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="mechanisms_place_unique_name_per_zone"),
            models.CheckConstraint(
                condition=Q(kind__in=["demonstration_site", "guidance_station", "activity_venue"]),
                name="mechanisms_place_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(TimeStamped):
    """An alliance meeting: a 双月工作例会 (one per two-month slot) or a 民主协商会.

    planned → held (with attendance and minutes) or → missed (with a reason, once its date has passed).
    A planned meeting whose date has passed is overdue.
    """

    class Kind(models.TextChoices):
        BIMONTHLY = "bimonthly", _("bimonthly work meeting")  # 双月工作例会
        CONSULTATION = "consultation", _("democratic consultation meeting")  # 民主协商会

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        MISSED = "missed", _("missed")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("alliance")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    slot = models.PositiveSmallIntegerField(_("two-month slot"), null=True, blank=True)
    planned_on = models.DateField(_("planned date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("place"),
    )
    place_note = models.CharField(_("place (other)"), max_length=150, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    missed_reason = models.TextField(_("reason missed"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance meeting")
        verbose_name_plural = _("alliance meetings")
        ordering = ["-planned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "year", "slot"],
                condition=Q(slot__isnull=False),
                name="mechanisms_meeting_one_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(kind="bimonthly", slot__gte=1, slot__lte=SLOTS_PER_YEAR)
                | Q(kind="consultation", slot__isnull=True),
                name="mechanisms_meeting_slot_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="planned")
                | (Q(status="missed", held_on__isnull=True) & ~Q(missed_reason=""))
                | Q(status="held", held_on__isnull=False),
                name="mechanisms_meeting_status_fields",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held", "missed"]), name="mechanisms_meeting_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["zone", "status", "planned_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.PLANNED and self.planned_on < today()

    @property
    def place_label(self) -> str:
        return str(self.place) if self.place_id else self.place_note


class Attendance(models.Model):
    """Whether one member unit of the alliance was present at a held meeting, and who represented it."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        AllianceMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("member unit")
    )
    present = models.BooleanField(_("present"), default=True)
    representative = models.CharField(_("representative"), max_length=50, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["member__role", "member__kind", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="mechanisms_attendance_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class ActionItem(TimeStamped):
    """A decision of a held meeting (会议决定事项) that one member unit must carry out by a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("alliance")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("meeting")
    )
    decision = models.TextField(_("decision"))
    owner = models.ForeignKey(
        AllianceMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True) | Q(status="done", done_on__isnull=False),
                name="mechanisms_action_item_done_has_date",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status", "due_on"])]

    def __str__(self) -> str:
        return self.decision[:60]

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today()


class Pact(TimeStamped):
    """An alliance's pact (结盟立约): what the member units agreed, signed on a day, for a term."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="pacts", verbose_name=_("alliance")
    )
    title = models.CharField(_("title"), max_length=150)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"))
    text = models.TextField(_("text of the pact"))

    objects = PactQuerySet.as_manager()

    class Meta:
        verbose_name = _("pact")
        verbose_name_plural = _("pacts")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("signed_on")), name="mechanisms_pact_term_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Commitment(TimeStamped):
    """What one member unit committed to under a pact, and whether it was fulfilled."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        FULFILLED = "fulfilled", _("fulfilled")
        NOT_FULFILLED = "not_fulfilled", _("not fulfilled")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    pact = models.ForeignKey(
        Pact, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("pact")
    )
    member = models.ForeignKey(
        AllianceMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("member unit")
    )
    content = models.TextField(_("commitment"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PENDING)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["pact_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", assessed_on__isnull=True)
                | Q(status__in=["fulfilled", "not_fulfilled"], assessed_on__isnull=False),
                name="mechanisms_commitment_assessed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:60]


class Action(models.TextChoices):
    """The six actions (六大行动) of the alliances."""

    PACT = "pact", _("alliance pacts")  # 结盟立约
    SHARING = "sharing", _("joint building and sharing")  # 共建共享
    RELIEF = "relief", _("helping firms through difficulties")  # 助企纾困
    PIONEERS = "pioneers", _("training pioneers together")  # 先锋共育
    DEMONSTRATION = "demonstration", _("leading by example")  # 示范引路
    EXCHANGE = "exchange", _("observation and exchange")  # 观摩交流


class Activity(TimeStamped):
    """One activity of the six actions, held by an alliance on a day."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="activities", verbose_name=_("alliance")
    )
    action = models.CharField(_("action"), max_length=15, choices=Action.choices)
    title = models.CharField(_("title"), max_length=150)
    held_on = models.DateField(_("date"))
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("place"),
    )
    place_note = models.CharField(_("place (other)"), max_length=150, blank=True)
    participant_count = models.PositiveIntegerField(_("participants"))
    summary = models.TextField(_("summary"))

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance activity")
        verbose_name_plural = _("alliance activities")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="mechanisms_activity_action_valid"
            ),
        ]
        indexes = [models.Index(fields=["zone", "held_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def place_label(self) -> str:
        return str(self.place) if self.place_id else self.place_note
