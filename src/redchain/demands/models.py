"""The enterprise demand closed loop (诉求 → 受理 → 派单 → 办理 → 答复 → 回访 → 办结).

A :class:`Demand` is what an enterprise asks for; each department it is dispatched to holds an
:class:`Assignment` (工单) with its own deadlines. Every step is a service in ``demands.services`` that
writes a :class:`DemandEvent` (the timeline) and an audit row in the same transaction.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from redchain.demands.querysets import AssignmentQuerySet, DemandQuerySet

# Unguessable and easy to read aloud on the phone: no 0/O, 1/I/L.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    """12 random symbols (about 59 bits): safe to show on a public tracking page."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))


class Channel(models.TextChoices):
    PORTAL = "portal", _("enterprise portal")
    HOTLINE = "hotline", _("hotline call")
    VISIT = "visit", _("on-site visit")  # 行走的办公室
    LEADER_LINE = "leader_line", _("leader direct line")  # 书记市长直通车
    ALLIANCE = "alliance", _("alliance feedback")  # 反馈沟通制
    HOTLINE_12345 = "12345", _("12345 work order")
    API = "api", _("API")


class Disposition(models.TextChoices):
    """五个办: how a demand is handled."""

    IMMEDIATE = "immediate", _("handle at once (马上办)")
    COORDINATED = "coordinated", _("coordinated handling (协调办)")
    GUIDED = "guided", _("guided handling (指引办)")
    REPORTED = "reported", _("reported to leaders (报告办)")
    SUPERVISED = "supervised", _("supervised handling (监督办)")


class Category(models.Model):
    """A node of the zone's configurable demand category tree (财税, 用地用房, 融资 …)."""

    zone = models.ForeignKey("orgs.Zone", on_delete=models.CASCADE, related_name="demand_categories")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name = models.CharField(_("name"), max_length=60)
    code = models.SlugField(_("code"), max_length=40)
    default_department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default department"),
    )
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("demand category")
        verbose_name_plural = _("demand categories")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="category_unique_code_per_zone"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="category_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name


class Demand(models.Model):
    """One enterprise demand and where it stands in the loop. "Closed" and "solved" are separate facts."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting acceptance")  # 待受理
        REJECTED = "rejected", _("not accepted")  # 不予受理
        ACCEPTED = "accepted", _("awaiting dispatch")  # 待派单
        HANDLING = "handling", _("being handled")  # 办理中
        RETURNED = "returned", _("returned, awaiting arbitration")  # 退单待仲裁
        REPLIED = "replied", _("replied, awaiting follow-up")  # 已答复待回访
        CLOSED = "closed", _("closed")  # 已办结
        MERGED = "merged", _("merged into another demand")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")  # 满意
        BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")  # 基本满意
        UNSATISFIED = "unsatisfied", _("unsatisfied")  # 不满意

    zone = models.ForeignKey(
        "orgs.Zone", on_delete=models.PROTECT, related_name="demands", verbose_name=_("zone")
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=new_tracking_code
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.PORTAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    disposition = models.CharField(_("disposition"), max_length=12, choices=Disposition.choices, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("category"),
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("enterprise"),
    )
    alliance = models.ForeignKey(
        "orgs.Alliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("alliance"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    external_id = models.CharField(_("external work-order number"), max_length=64, blank=True)
    is_emergency = models.BooleanField(_("emergency"), default=False)
    in_leader_queue = models.BooleanField(_("in the leaders' queue"), default=False)
    is_solved = models.BooleanField(_("solved"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    redo_count = models.PositiveSmallIntegerField(_("times sent back to be redone"), default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for not accepting"), blank=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "external_id"], condition=~Q(external_id=""), name="demand_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="demand_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="demand_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(is_solved__isnull=True) | Q(status="closed"),
                name="demand_solved_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "rejected",
                        "accepted",
                        "handling",
                        "returned",
                        "replied",
                        "closed",
                        "merged",
                    ]
                ),
                name="demand_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"]), models.Index(fields=["enterprise", "created_at"])]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def lead_assignment(self) -> Assignment | None:
        return next(
            (a for a in self.assignments.all() if a.role == Assignment.Role.LEAD and a.is_active), None
        )


OPEN_STATUSES = (
    Demand.Status.ACCEPTED,
    Demand.Status.HANDLING,
    Demand.Status.RETURNED,
    Demand.Status.REPLIED,
)


class Assignment(models.Model):
    """A work order (工单): one demand dispatched to one department, lead or co-handling, with its deadlines.

    Deadlines are derived: ``demands.deadlines.recompute`` sets them from the policy, the working-day calendar,
    the paused time and any approved extension, whenever one of those changes.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("lead department")  # 主办 (首接负责制)
        CO = "co", _("co-handling department")  # 协办

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting contact")
        IN_PROGRESS = "in_progress", _("in progress")
        PAUSED = "paused", _("waiting for materials")
        REPLIED = "replied", _("replied")
        RETURNED = "returned", _("returned")
        CANCELLED = "cancelled", _("cancelled")
        DONE = "done", _("finished with the demand")  # a co-handler's order when the demand closes

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("demand")
    )
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.LEAD)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    started_at = models.DateTimeField(_("dispatched at"))
    contacted_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    first_interim_at = models.DateTimeField(_("first interim reply at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("working seconds paused"), default=0)
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    contact_due = models.DateTimeField(_("contact due"), null=True, blank=True)
    interim_due = models.DateTimeField(_("interim reply due"), null=True, blank=True)
    close_due = models.DateTimeField(_("closure due"), null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(_("due-soon warning at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["role", "id"]
        constraints = [
            # One active lead per demand (首接负责制); history keeps the cancelled and returned ones.
            models.UniqueConstraint(
                fields=["demand"],
                condition=Q(role="lead") & Q(status__in=["pending", "in_progress", "paused", "replied"]),
                name="assignment_one_active_lead",
            ),
            models.UniqueConstraint(
                fields=["demand", "department"],
                condition=Q(status__in=["pending", "in_progress", "paused", "replied"]),
                name="assignment_one_active_per_department",
            ),
            models.CheckConstraint(
                condition=Q(paused_at__isnull=True) | Q(status="paused"),
                name="assignment_paused_at_only_when_paused",
            ),
        ]
        indexes = [
            # The response rate of the current month leaves out work orders not yet due; they are few, and
            # this index finds them without touching the millions already contacted.
            models.Index(
                fields=["contact_due"],
                condition=Q(contacted_at__isnull=True) & ~Q(status="cancelled"),
                name="assignment_waiting_due",
            ),
            # The overdue and due-soon lists read open work orders by closure deadline; a partial index keeps
            # them from walking the closure deadlines of every work order ever finished.
            models.Index(
                fields=["close_due"],
                condition=Q(status__in=["pending", "in_progress", "paused"]),
                name="assignment_open_close_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand.tracking_code} → {self.department}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES


ACTIVE_ASSIGNMENT_STATUSES = (
    Assignment.Status.PENDING,
    Assignment.Status.IN_PROGRESS,
    Assignment.Status.PAUSED,
    Assignment.Status.REPLIED,
)


class DemandEvent(models.Model):
    """One entry of a demand's timeline. ``public`` entries appear on the tracking page, without names."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not accepted")
        DISPATCHED = "dispatched", _("dispatched")
        CONTACTED = "contacted", _("enterprise contacted")
        INTERIM_REPLY = "interim_reply", _("interim reply")
        PAUSED = "paused", _("waiting for materials")
        RESUMED = "resumed", _("materials received")
        EXTENSION_REQUESTED = "extension_requested", _("extension requested")
        EXTENSION_APPROVED = "extension_approved", _("extension approved")
        EXTENSION_REFUSED = "extension_refused", _("extension refused")
        RETURNED = "returned", _("returned by the department")
        REPLIED = "replied", _("final reply")
        INSTRUCTED = "instructed", _("leader's instruction")
        SUPERVISED = "supervised", _("supervision order")
        WARNED = "warned", _("due-soon warning")
        OVERDUE = "overdue", _("overdue")
        RATED = "rated", _("rated")
        REDO = "redo", _("sent back to be redone")
        ESCALATED = "escalated", _("escalated to the zone")
        MERGED = "merged", _("merged")
        CLOSED = "closed", _("closed")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    text = models.TextField(_("text"), blank=True)
    public = models.BooleanField(_("shown on the tracking page"), default=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("demand event")
        verbose_name_plural = _("demand events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.kind}"


class Extension(models.Model):
    """A department's request for more time (延期), approved or refused by the zone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    until = models.DateTimeField(_("new closure deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.until:%Y-%m-%d}"


class Supervision(models.Model):
    """A supervision order (督办) with a warning level, manual or raised by the sweep (exactly once per kind)."""

    class Level(models.IntegerChoices):
        YELLOW = 1, _("yellow")
        ORANGE = 2, _("orange")
        RED = 3, _("red")

    class Source(models.TextChoices):
        MANUAL = "manual", _("manual")
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")
        DISPOSITION = "disposition", _("supervised disposition")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="supervisions")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="supervisions"
    )
    level = models.PositiveSmallIntegerField(_("warning level"), choices=Level.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-created_at"]
        constraints = [
            # The sweep may run twice at once; the database keeps its orders unique per assignment and kind.
            models.UniqueConstraint(
                fields=["assignment", "source"],
                condition=Q(source__in=["due_soon", "overdue"]),
                name="supervision_sweep_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.get_source_display()} {self.level}"


class Instruction(models.Model):
    """A leader's instruction (批示) on a demand in the leaders' queue; handlers see it on the demand."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="instructions")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("instruction"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.text[:30]}"


class Rating(models.Model):
    """A follow-up rating (回访). One per reply; a redo gets a new reply and a new rating."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="ratings")
    level = models.CharField(_("satisfaction"), max_length=20, choices=Demand.Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    on_behalf = models.BooleanField(_("recorded by staff after a call"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.level}"


class DeadlinePolicy(models.Model):
    """Time limits per category × disposition; blank category or disposition means "any".

    Defaults follow Zhongshan's 企业诉求马上办: contact within 1 hour, interim reply in 3 working days, closure in
    5 working days; emergencies 2 hours.
    """

    zone = models.ForeignKey("orgs.Zone", on_delete=models.CASCADE, related_name="deadline_policies")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    disposition = models.CharField(_("disposition"), max_length=12, choices=Disposition.choices, blank=True)
    contact_hours = models.DecimalField(
        _("contact within (working hours)"), max_digits=5, decimal_places=2, default=1
    )
    interim_days = models.PositiveSmallIntegerField(_("interim reply within (working days)"), default=3)
    close_days = models.PositiveSmallIntegerField(_("closure within (working days)"), default=5)
    emergency_hours = models.DecimalField(
        _("emergencies closed within (hours)"), max_digits=5, decimal_places=2, default=2
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "category", "disposition"],
                name="deadline_policy_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(close_days__gte=1), name="deadline_policy_close_at_least_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} × {self.get_disposition_display() or '*'}"


class CalendarOverride(models.Model):
    """A local exception to the statutory calendar that the zone edits (e.g. a local holiday)."""

    zone = models.ForeignKey("orgs.Zone", on_delete=models.CASCADE, related_name="calendar_overrides")
    day = models.DateField(_("day"))
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["zone", "day"], name="calendar_override_unique_day")]

    def __str__(self) -> str:
        return f"{self.day} {'workday' if self.is_workday else 'holiday'}"


class IdempotencyKey(models.Model):
    """Maps a client's ``Idempotency-Key`` to the demand its first request created, so a retry returns it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    """An entry in a user's in-app inbox about a step on a demand they work on or asked for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(DemandEvent, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event_id}"


def _attachment_storage():
    """Attachments live under ``VAR_DIR/private``, outside the web root; a view that checks scope serves them."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.VAR_DIR / "private", base_url=None)


def _attachment_path(instance, filename: str) -> str:
    # The stored name is random: the original name is kept in a field, never trusted as a path.
    return f"demands/{instance.demand.zone_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """A file sent with a demand (image, PDF, Office document); its type is sniffed from its bytes."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=_attachment_storage, upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


from redchain.demands.models_delivery import *  # noqa: E402,F401,F403 - the outbox lives in its own module
from redchain.demands.models_rollup import *  # noqa: E402,F401,F403 - the dashboards' rollup cells
from redchain.demands.models_search import *  # noqa: E402,F401,F403 - the search terms of each demand
