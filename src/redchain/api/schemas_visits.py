"""Request and response shapes of the walking office endpoints (``/api/v1/visits``, ``/api/v1/visit-findings``).

Codes, not labels, for purposes, urgencies and states (``"routine"``, ``"referred"``), as in ``schemas``. What the
caller may see of one visit is decided here from the caller in the response context: the internal note is
``null`` for a reader who sees the visit only as the visited enterprise's contact, and a finding's demand is
``null`` when the demand lies outside the caller's scope (its ``status`` still says it was turned into one).
"""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Field, Schema

from redchain.api.schemas import Ref
from redchain.visits.models import Visit, VisitFinding
from redchain.visits.permissions import sees_internal_note


def _viewer(context) -> object | None:
    request = (context or {}).get("request")
    return getattr(request, "auth", None) if request is not None else None


# --- input ------------------------------------------------------------------------------------------


class VisitFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    department: int | None = Field(None, description="Department id of the visitor.")
    enterprise: int | None = Field(None, description="Enterprise id.")
    visitor: int | None = Field(None, description="User id of the visitor.")
    month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="`YYYY-MM`.")
    open_findings: bool | None = Field(None, description="`true`: at least one finding is still open.")
    purpose: Visit.Purpose | None = None


class FindingIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    detail: str = Field("", max_length=10000)
    urgency: VisitFinding.Urgency = VisitFinding.Urgency.NORMAL


class VisitIn(Schema):
    enterprise: int = Field(..., description="Enterprise id; one the caller may visit.")
    visited_on: date = Field(..., description="Not in the future; at most 90 days ago unless a zone admin.")
    start_time: time | None = None
    purpose: Visit.Purpose = Visit.Purpose.ROUTINE
    department: int | None = Field(
        None, description="Department id; defaults to the caller's own when they have exactly one."
    )
    place: str = Field("", max_length=200, description="Defaults to the enterprise's address.")
    people_met: str = Field("", max_length=200)
    companions: str = Field("", max_length=200)
    summary: str = Field(..., min_length=1, max_length=10000)
    internal_note: str = Field("", max_length=10000)
    findings: list[FindingIn] = Field(default_factory=list, description="Findings logged with the visit.")


class ReferIn(Schema):
    contact_name: str = Field("", max_length=50, description="Defaults to the enterprise's contact person.")
    contact_phone: str = Field("", max_length=30)


class ResolveIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, description="How the problem was resolved.")


# --- output -----------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class DemandLink(Schema):
    id: int
    tracking_code: str
    status: str
    is_solved: bool | None


class FindingOut(Schema):
    id: int
    visit_id: int
    title: str
    detail: str
    urgency: str
    status: str = Field(
        ..., description="`open`, `referred` (turned into a demand) or `resolved` on the spot."
    )
    resolution_note: str
    handled_at: datetime | None
    demand: DemandLink | None = Field(None, description="`null` when the demand is outside your scope.")

    @staticmethod
    def resolve_demand(obj: VisitFinding):
        return getattr(obj, "shown_demand", None)


class VisitOut(Schema):
    id: int
    zone_id: int
    enterprise: Ref
    visited_on: date
    start_time: time | None
    visitor: PersonRef
    department: Ref | None
    purpose: str
    place: str
    people_met: str
    companions: str
    summary: str
    internal_note: str | None = Field(None, description="`null` for the visited enterprise's contact.")
    finding_count: int
    open_finding_count: int
    referred_count: int

    @staticmethod
    def resolve_internal_note(obj: Visit, context) -> str | None:
        return obj.internal_note if sees_internal_note(_viewer(context), obj) else None


class VisitDetailOut(VisitOut):
    findings: list[FindingOut]

    @staticmethod
    def resolve_findings(obj: Visit) -> list:
        return list(obj.findings.all())


class FindingDemandOut(Schema):
    finding_id: int
    demand_id: int
    tracking_code: str
    created: bool = Field(
        ..., description="`false` when the finding had been turned into this demand before."
    )
