"""Request and response shapes of party life (三会一课, 主题党日, compliance, brands, ratings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from redchain.api.schemas import Ref
from redchain.partylife.models import ActivityKind, Attendance, BranchBrand


class ActivityFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    org: int | None = Field(None, description="Party organisation id.")
    kind: ActivityKind | None = None
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="Held in this month, `YYYY-MM`.")
    q: str = Field("", max_length=100, description="Fragment of the title or topic.")


class ActivityOut(Schema):
    id: int
    zone_id: int
    org: Ref
    kind: str
    title: str
    held_on: date
    place: str
    topic: str
    host: str
    roll_count: int = Field(..., description="Members on the roll call.")
    present_count: int
    attendance_rate: float | None = Field(..., description="Present over the roll, 0–1; null without a roll.")

    @staticmethod
    def resolve_attendance_rate(obj) -> float | None:
        return round(obj.present_count / obj.roll_count, 4) if obj.roll_count else None


class AttendanceOut(Schema):
    member_id: int
    name: str
    status: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.member.name


class ActivityDetailOut(ActivityOut):
    content: str
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_attendance(obj) -> list:
        from redchain.partylife.selectors import roll_call

        return list(roll_call(obj))


class AttendanceIn(Schema):
    member_id: int
    status: Attendance.Status = Attendance.Status.PRESENT


class ActivityIn(Schema):
    org_id: int
    kind: ActivityKind
    title: str = Field(..., min_length=1, max_length=200)
    held_on: date
    place: str = Field("", max_length=200)
    topic: str = Field("", max_length=200)
    host: str = Field("", max_length=50)
    content: str = Field("", max_length=20000)
    attendance: list[AttendanceIn] = Field(
        default_factory=list, description="The roll call, one row per member."
    )


class ComplianceFilters(Schema):
    zone: int | None = Field(None, description="Zone id; needed only by callers in several zones.")
    month: str = Field(
        "",
        pattern=r"^(\d{4}-\d{2})?$",
        description="`YYYY-MM`; default: the latest complete month with any activity the caller can see.",
    )
    kind: ActivityKind | None = None


class MissOut(Schema):
    org: Ref
    org_kind: str
    kind: str = Field(..., description="The activity kind that was missed.")
    every_months: int
    window_start: date
    window_end: date
    held: int = Field(..., description="Activities of the kind in the window (fewer than required).")
    last_held_on: date | None


class ComplianceOut(Schema):
    month: str
    checked: int = Field(..., description="(organisation, rule) pairs checked.")
    count: int = Field(..., description="Pairs missed; the items are one page of them.")
    counts_by_kind: dict[str, int] = Field(..., description="Missed pairs per activity kind.")
    items: list[MissOut]


class BrandFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    org: int | None = Field(None, description="Party organisation id.")
    status: BranchBrand.Status | None = None
    q: str = Field("", max_length=100, description="Fragment of the brand or branch name.")


class BrandOut(Schema):
    id: int
    zone_id: int
    org: Ref
    name: str
    slogan: str
    description: str
    established_year: int
    status: str
    named_on: date | None


class RatingFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    org: int | None = Field(None, description="Party organisation id.")
    year: int | None = None
    level: int | None = Field(None, ge=1, le=5, description="Stars, 1–5.")


class RatingOut(Schema):
    id: int
    zone_id: int
    org: Ref
    year: int
    level: int = Field(..., description="Stars: 5 (fortress branch) to 1.")
    score: Decimal
    rated_on: date
    note: str
