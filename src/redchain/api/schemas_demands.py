"""Request and response shapes of the demand loop endpoints (``/api/v1/demands``, ``/api/v1/track``).

Codes, not labels, for states and kinds (``"handling"``, ``"replied"``), as in ``schemas``; the public tracking
page alone adds labels, for people reading it without a client. Who sees what of one demand is decided here
from the caller in the response context: the zone and the departments working on it see the whole
timeline and the contact phone, everyone else the public entries and a masked phone.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from redchain.core.idcard import mask_phone
from redchain.demands.models import Assignment, Channel, Demand, DemandEvent, Disposition, Supervision
from redchain.demands.permissions import sees_contact_phone, works_on

Status = Demand.Status
Satisfaction = Demand.Satisfaction


# --- who is looking ---------------------------------------------------------------------------------


def _viewer(context) -> object | None:
    request = (context or {}).get("request")
    return getattr(request, "auth", None) if request is not None else None


# --- input ------------------------------------------------------------------------------------------


class DemandIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=10000)
    channel: Channel | None = Field(
        None, description="Default `portal` for an enterprise contact's own demand, otherwise `api`."
    )
    enterprise_uscc: str | None = Field(
        None,
        max_length=18,
        description="统一社会信用代码 of an enterprise the caller may see; an enterprise contact defaults to "
        "their own enterprise.",
    )
    category: int | str | None = Field(None, description="Category id or code of the demand's zone.")
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=30)
    is_emergency: bool = False
    zone: int | None = Field(
        None,
        description="Zone id; needed only when the caller belongs to several zones and names no enterprise.",
    )


class InvalidOut(Schema):
    """A refused value: ``detail`` in both languages and the messages by field (``__all__`` for none)."""

    detail: str
    errors: dict[str, list[str]]


class DemandCreatedOut(Schema):
    id: int
    tracking_code: str
    status: str


class DemandFilters(Schema):
    status: Status | None = None
    department: int | None = Field(None, description="Department id: demands it has or had a work order for.")
    category: int | None = Field(None, description="Category id.")
    disposition: Disposition | None = None
    overdue: bool | None = Field(None, description="`true`: an open work order is past its closure deadline.")
    q: str = Field(
        "", max_length=100, description="Fragment of title, details or enterprise name; or a tracking code."
    )
    zone: int | None = Field(None, description="Zone id.")
    channel: Channel | None = None
    enterprise: int | None = Field(None, description="Enterprise id.")


class CategoryIn(Schema):
    category: int | str | None = Field(None, description="Category id or code.")


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


class TextIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)


class DispatchIn(Schema):
    department: int = Field(..., description="Lead department id (首接负责制).")
    disposition: Disposition
    co_departments: list[int] = Field(
        default_factory=list, description="Co-handlers; only with `coordinated`."
    )
    category: int | str | None = Field(None, description="Category id or code.")


class ExtendIn(Schema):
    until: datetime = Field(
        ..., description="New closure deadline; without an offset it is read as Asia/Shanghai."
    )
    reason: str = Field(..., min_length=1, max_length=5000)


class DecideExtensionIn(Schema):
    approve: bool = True
    note: str = Field("", max_length=5000)


class SuperviseIn(Schema):
    level: Supervision.Level = Field(..., description="1 yellow, 2 orange, 3 red.")
    note: str = Field("", max_length=5000)


class RateIn(Schema):
    level: Satisfaction
    comment: str = Field("", max_length=5000)


class MergeIn(Schema):
    into: int = Field(..., description="Id of the main demand.")


class CloseIn(Schema):
    solved: bool
    reason: str = Field(..., min_length=1, max_length=5000)


# --- output -----------------------------------------------------------------------------------------


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class NamedRef(Schema):
    id: int
    name: str


class DeadlinesOut(Schema):
    contact_due: datetime | None
    interim_due: datetime | None
    close_due: datetime | None


class ExtensionOut(Schema):
    until: datetime
    reason: str
    status: str
    created_at: datetime
    decided_at: datetime | None


class AssignmentOut(Schema):
    id: int
    department: NamedRef
    department_id: int
    role: str
    status: str
    started_at: datetime
    deadlines: DeadlinesOut
    contacted_at: datetime | None
    first_interim_at: datetime | None
    replied_at: datetime | None
    paused_at: datetime | None
    extended_until: datetime | None
    overdue_at: datetime | None
    return_reason: str
    extensions: list[ExtensionOut]

    @staticmethod
    def resolve_deadlines(obj: Assignment) -> dict:
        return {"contact_due": obj.contact_due, "interim_due": obj.interim_due, "close_due": obj.close_due}

    @staticmethod
    def resolve_extensions(obj: Assignment) -> list:
        return list(obj.extensions.all())


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str | None
    from_status: str
    to_status: str
    text: str
    department_id: int | None

    @staticmethod
    def resolve_at(obj: DemandEvent) -> datetime:
        return obj.created_at

    @staticmethod
    def resolve_actor(obj: DemandEvent) -> str | None:
        return (obj.actor.display_name or obj.actor.username) if obj.actor else None

    @staticmethod
    def resolve_department_id(obj: DemandEvent) -> int | None:
        return obj.assignment.department_id if obj.assignment else None


class InstructionOut(Schema):
    leader: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_leader(obj) -> str:
        return obj.leader.display_name or obj.leader.username


class RatingOut(Schema):
    level: str
    comment: str
    on_behalf: bool
    created_at: datetime


class DemandOut(Schema):
    """One row of the demand list."""

    id: int
    zone_id: int
    tracking_code: str
    title: str
    status: str
    disposition: str
    channel: str
    category: CategoryRef | None
    enterprise: NamedRef | None
    is_emergency: bool
    in_leader_queue: bool
    is_solved: bool | None
    satisfaction: str
    redo_count: int
    created_at: datetime
    closed_at: datetime | None
    next_due: datetime | None = Field(None, description="Earliest closure deadline of an open work order.")


class DemandDetailOut(DemandOut):
    """One demand with its work orders and timeline, as the caller may see them."""

    body: str
    category_id: int | None
    enterprise_id: int | None
    contact_name: str
    contact_phone: str = Field(
        ..., description="Masked unless the caller administers the zone or handles it."
    )
    reject_reason: str
    merged_into: int | None = Field(None, description="Id of the main demand after a merge.")
    accepted_at: datetime | None
    dispatched_at: datetime | None
    replied_at: datetime | None
    assignments: list[AssignmentOut]
    timeline: list[EventOut] = Field(
        ..., description="Everything for the zone and its handlers; else public steps."
    )
    instructions: list[InstructionOut]
    ratings: list[RatingOut]

    @staticmethod
    def resolve_next_due(obj: Demand) -> datetime | None:
        dues = [a.close_due for a in obj.assignments.all() if a.is_active and a.close_due]
        return min(dues, default=None)

    @staticmethod
    def resolve_merged_into(obj: Demand) -> int | None:
        return obj.merged_into_id

    @staticmethod
    def resolve_contact_phone(obj: Demand, context) -> str:
        user = _viewer(context)
        return obj.contact_phone if sees_contact_phone(user, obj) else mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_assignments(obj: Demand) -> list:
        # The lead first (首接负责制), then co-handlers and past work orders in the order they were made.
        return sorted(obj.assignments.all(), key=lambda a: (a.role != Assignment.Role.LEAD, a.pk))

    @staticmethod
    def resolve_timeline(obj: Demand, context) -> list:
        events = list(obj.events.all())
        return events if works_on(_viewer(context), obj) else [e for e in events if e.public]

    @staticmethod
    def resolve_instructions(obj: Demand, context) -> list:
        return list(obj.instructions.all()) if works_on(_viewer(context), obj) else []

    @staticmethod
    def resolve_ratings(obj: Demand) -> list:
        return list(obj.ratings.all())


# --- reviewing a draft final reply ------------------------------------------------------------------


class ReplyWarningOut(Schema):
    code: str = Field(
        ...,
        description="too_short, low_relevance, boilerplate, referral_only, no_basis, no_measures or no_time.",
    )
    message: str = Field(..., description="What to add, in the caller's language (zh-hans unless chosen).")


class ReplyReviewOut(Schema):
    """What the demand page warns about before a final reply goes out; nothing is sent or stored."""

    score: int = Field(..., description="0–100; docs/ROUTING.md, 'Reply review', gives the weights.")
    relevance: float = Field(..., description="0–1: how much the reply is about the demand.")
    has_basis: bool
    has_measures: bool
    has_time: bool
    completeness: float = Field(..., description="Share of basis, measures and time that the reply states.")
    boilerplate: float = Field(..., description="0–1: share of the reply that is stock phrases.")
    referral_only: bool = Field(..., description="The reply only says the demand was passed on.")
    substance_chars: int = Field(..., description="Characters left once stock phrases are removed.")
    warnings: list[ReplyWarningOut]

    @staticmethod
    def resolve_warnings(obj) -> list[dict]:
        return [
            {"code": code, "message": message}
            for code, message in zip(obj.warning_codes, obj.warnings, strict=True)
        ]


# --- the public tracking page -----------------------------------------------------------------------


class TrackEventOut(Schema):
    kind: str
    label: str
    at: datetime

    @staticmethod
    def resolve_label(obj: DemandEvent) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_at(obj: DemandEvent) -> datetime:
        return obj.created_at


class TrackOut(Schema):
    """Where a demand stands, for anyone holding its tracking code: no names, phones, firms or free text."""

    tracking_code: str
    status: str
    status_label: str
    timeline: list[TrackEventOut]
