"""Request and response shapes of the alliance-mechanism endpoints (meetings, pacts, activities, places).

Choice fields carry their stored code; ``overdue`` is computed against the zone's calendar day.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from redchain.mechanisms.models import Action, ActionItem, Commitment, Meeting, Place
from redchain.mechanisms.selectors import rate


class UnitOut(Schema):
    """An alliance member unit by id and display name."""

    id: int
    name: str = Field(..., alias="display_name")
    kind: str


class AttendanceOut(Schema):
    member: UnitOut
    present: bool
    representative: str


class ActionItemOut(Schema):
    id: int
    alliance_id: int
    meeting_id: int
    decision: str
    owner: UnitOut
    due_on: date
    status: ActionItem.Status
    overdue: bool = Field(..., alias="is_overdue")
    done_on: date | None
    result: str


class MeetingOut(Schema):
    id: int
    zone_id: int
    alliance_id: int
    kind: Meeting.Kind
    title: str
    year: int
    slot: int | None
    planned_on: date
    status: Meeting.Status
    overdue: bool = Field(..., alias="is_overdue")
    held_on: date | None
    place_id: int | None
    place: str = Field(..., alias="place_label")
    present_count: int
    item_count: int


class MeetingDetailOut(MeetingOut):
    minutes: str
    missed_reason: str
    attendance: list[AttendanceOut]
    action_items: list[ActionItemOut]


class MeetingFilters(Schema):
    alliance: int | None = Field(None, description="Alliance id.")
    kind: Meeting.Kind | None = None
    status: Meeting.Status | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    overdue: bool | None = Field(None, description="`true`: planned and its date has passed.")
    zone: int | None = Field(None, description="Zone id.")


class MeetingIn(Schema):
    alliance: int = Field(..., description="Alliance id; the caller must keep its records.")
    kind: Meeting.Kind
    planned_on: date
    title: str = Field("", max_length=150, description="Empty for a bimonthly meeting: the standard title.")
    place: int | None = Field(None, description="Place id.")


class PresenceIn(Schema):
    member: int = Field(..., description="Alliance member unit id.")
    present: bool
    representative: str = Field("", max_length=50)


class HeldIn(Schema):
    held_on: date
    minutes: str = Field(..., min_length=1)
    attendance: list[PresenceIn] = Field(..., min_length=1)
    place: int | None = Field(None, description="Place id.")
    place_note: str = Field("", max_length=150)


class MissedIn(Schema):
    reason: str = Field(..., min_length=1)


class ActionItemIn(Schema):
    decision: str = Field(..., min_length=1)
    owner: int = Field(..., description="Alliance member unit id.")
    due_on: date


class ActionItemDoneIn(Schema):
    done_on: date
    result: str = Field(..., min_length=1, description="What was done.")


class CommitmentOut(Schema):
    id: int
    pact_id: int
    member: UnitOut
    content: str
    due_on: date
    status: Commitment.Status
    assessed_on: date | None
    evidence: str


class PactOut(Schema):
    id: int
    zone_id: int
    alliance_id: int
    title: str
    signed_on: date
    valid_until: date
    commitment_count: int
    fulfilled_count: int
    not_fulfilled_count: int
    fulfilment_rate: float | None = Field(None, description="Fulfilled commitments in percent of all.")

    @staticmethod
    def resolve_fulfilment_rate(obj) -> float | None:
        return rate(obj.fulfilled_count, obj.commitment_count)


class PactDetailOut(PactOut):
    text: str
    commitments: list[CommitmentOut]


class PactFilters(Schema):
    alliance: int | None = Field(None, description="Alliance id.")
    zone: int | None = Field(None, description="Zone id.")


class PactIn(Schema):
    alliance: int
    title: str = Field(..., min_length=1, max_length=150)
    signed_on: date
    valid_until: date
    text: str = Field(..., min_length=1)


class CommitmentIn(Schema):
    member: int = Field(..., description="Alliance member unit id.")
    content: str = Field(..., min_length=1)
    due_on: date


class FulfilIn(Schema):
    fulfilled: bool
    assessed_on: date
    evidence: str = Field(..., min_length=1)


class ActivityOut(Schema):
    id: int
    zone_id: int
    alliance_id: int
    action: Action
    title: str
    held_on: date
    place_id: int | None
    place: str = Field(..., alias="place_label")
    participant_count: int
    summary: str


class ActivityFilters(Schema):
    alliance: int | None = Field(None, description="Alliance id.")
    action: Action | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    q: str = Field("", max_length=100, description="Fragment of title or summary.")
    zone: int | None = Field(None, description="Zone id.")


class ActivityIn(Schema):
    alliance: int
    action: Action
    title: str = Field(..., min_length=1, max_length=150)
    held_on: date
    participant_count: int = Field(..., ge=1)
    summary: str = Field(..., min_length=1)
    place: int | None = Field(None, description="Place id.")
    place_note: str = Field("", max_length=150)


class PlaceOut(Schema):
    id: int
    zone_id: int
    alliance_id: int | None
    host_enterprise_id: int | None
    name: str
    kind: Place.Kind
    address: str


class PlaceFilters(Schema):
    kind: Place.Kind | None = None
    alliance: int | None = Field(None, description="Alliance id.")
    zone: int | None = Field(None, description="Zone id.")
