"""Alliance mechanisms (联盟运行机制) over the API: meetings with attendance and action items, pacts with
commitments, the six actions' activities and the places of alliance work.

Objects named in the path are looked up through the caller's scope first (404 outside it). A write the
caller may not make is a 404 as well (nothing is confirmed); a step the record's state does not allow is a
409; a refused value is a 422 with ``{"detail", "errors": {field: [...]}}``.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from redchain.accounts.models import User
from redchain.api.endpoints._common import AUTH_ERRORS, DETAIL_ERRORS, caller, or_404
from redchain.api.pagination import LimitOffset
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import InvalidOut
from redchain.api.schemas_mechanisms import (
    ActionItemDoneIn,
    ActionItemIn,
    ActionItemOut,
    ActivityFilters,
    ActivityIn,
    ActivityOut,
    CommitmentIn,
    CommitmentOut,
    FulfilIn,
    HeldIn,
    MeetingDetailOut,
    MeetingFilters,
    MeetingIn,
    MeetingOut,
    MissedIn,
    PactDetailOut,
    PactFilters,
    PactIn,
    PactOut,
    PlaceFilters,
    PlaceOut,
)
from redchain.mechanisms import selectors, services
from redchain.mechanisms.models import Meeting, Pact, Place
from redchain.mechanisms.services import Presence
from redchain.orgs.models import Alliance, AllianceMember

router = Router(tags=["alliance mechanisms"])

WRITE_ERRORS: dict[int, type] = {**DETAIL_ERRORS, 409: ErrorOut, 422: InvalidOut}


# --- lookups ----------------------------------------------------------------------------------------


def _alliance(user: User, pk: int) -> Alliance:
    return or_404(lambda: selectors.alliance_get(user=user, pk=pk))


def _meeting(user: User, pk: int) -> Meeting:
    return or_404(lambda: selectors.meeting_get(user=user, pk=pk))


def _pact(user: User, pk: int) -> Pact:
    return or_404(lambda: selectors.pact_get(user=user, pk=pk))


def _unit(alliance_id: int, pk: int, field: str) -> AllianceMember:
    unit = AllianceMember.objects.filter(alliance_id=alliance_id, pk=pk).first()
    if unit is None:
        raise ValidationError({field: "该单位不是本联盟成员 / This unit is not a member of the alliance"})
    return unit


def _place(user: User, pk: int | None) -> Place | None:
    if pk is None:
        return None
    place = selectors.place_list(user=user).filter(pk=pk).first()
    if place is None:
        raise ValidationError({"place": "没有此阵地 / No such place"})
    return place


# --- meetings ---------------------------------------------------------------------------------------


@router.get("/meetings", response={200: list[MeetingOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def meetings(request: HttpRequest, filters: Query[MeetingFilters]):
    """Meetings of the alliances the caller reads, latest planned date first."""
    return selectors.meeting_list(
        user=caller(request),
        zone_id=filters.zone,
        alliance_id=filters.alliance,
        kind=filters.kind or "",
        status=filters.status or "",
        year=filters.year,
        overdue=filters.overdue,
    )


@router.post("/meetings", response={201: MeetingDetailOut, **WRITE_ERRORS}, summary="Plan a meeting")
def meeting_create(request: HttpRequest, payload: MeetingIn):
    """Plan a bimonthly (one per two-month slot) or consultation meeting of an alliance the caller keeps."""
    user = caller(request)
    meeting = services.meeting_plan(
        actor=user,
        alliance=_alliance(user, payload.alliance),
        kind=payload.kind,
        planned_on=payload.planned_on,
        title=payload.title,
        place=_place(user, payload.place),
    )
    return Status(201, _meeting(user, meeting.pk))


@router.get("/meetings/{id}", response={200: MeetingDetailOut, **DETAIL_ERRORS})
def meeting_detail(request: HttpRequest, id: int):
    """One meeting with its attendance and action items."""
    return _meeting(caller(request), id)


@router.post(
    "/meetings/{id}/held", response={200: MeetingDetailOut, **WRITE_ERRORS}, summary="Record as held"
)
def meeting_held(request: HttpRequest, id: int, payload: HeldIn):
    user = caller(request)
    meeting = _meeting(user, id)
    attendance = [
        Presence(
            member=_unit(meeting.alliance_id, p.member, "attendance"),
            present=p.present,
            representative=p.representative,
        )
        for p in payload.attendance
    ]
    services.meeting_record_held(
        actor=user,
        meeting=meeting,
        held_on=payload.held_on,
        minutes=payload.minutes,
        attendance=attendance,
        place=_place(user, payload.place),
        place_note=payload.place_note,
    )
    return _meeting(user, id)


@router.post(
    "/meetings/{id}/missed", response={200: MeetingDetailOut, **WRITE_ERRORS}, summary="Mark as missed"
)
def meeting_missed(request: HttpRequest, id: int, payload: MissedIn):
    """A planned meeting whose date has passed without being held."""
    user = caller(request)
    services.meeting_mark_missed(actor=user, meeting=_meeting(user, id), reason=payload.reason)
    return _meeting(user, id)


@router.post(
    "/meetings/{id}/action-items", response={201: ActionItemOut, **WRITE_ERRORS}, summary="Add a decision"
)
def meeting_action_item_create(request: HttpRequest, id: int, payload: ActionItemIn):
    """A decision of a held meeting with its responsible member unit and due date."""
    user = caller(request)
    meeting = _meeting(user, id)
    item = services.action_item_add(
        actor=user,
        meeting=meeting,
        decision=payload.decision,
        owner=_unit(meeting.alliance_id, payload.owner, "owner"),
        due_on=payload.due_on,
    )
    return Status(201, selectors.action_item_get(user=user, pk=item.pk))


@router.post(
    "/action-items/{id}/done", response={200: ActionItemOut, **WRITE_ERRORS}, summary="Mark a decision done"
)
def action_item_done(request: HttpRequest, id: int, payload: ActionItemDoneIn):
    """Record that a decision was carried out; an enterprise's contacts may record their own enterprise's."""
    user = caller(request)
    item = or_404(lambda: selectors.action_item_get(user=user, pk=id))
    services.action_item_complete(actor=user, item=item, done_on=payload.done_on, result=payload.result)
    return selectors.action_item_get(user=user, pk=id)


# --- pacts ------------------------------------------------------------------------------------------


@router.get("/pacts", response={200: list[PactOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def pacts(request: HttpRequest, filters: Query[PactFilters]):
    """Pacts of the alliances the caller reads, with commitment counts and the fulfilment rate."""
    return selectors.pact_list(user=caller(request), zone_id=filters.zone, alliance_id=filters.alliance)


@router.post("/pacts", response={201: PactDetailOut, **WRITE_ERRORS}, summary="Record a pact")
def pact_create(request: HttpRequest, payload: PactIn):
    user = caller(request)
    pact = services.pact_create(
        actor=user,
        alliance=_alliance(user, payload.alliance),
        title=payload.title,
        signed_on=payload.signed_on,
        valid_until=payload.valid_until,
        text=payload.text,
    )
    return Status(201, _pact(user, pact.pk))


@router.get("/pacts/{id}", response={200: PactDetailOut, **DETAIL_ERRORS})
def pact_detail(request: HttpRequest, id: int):
    """One pact with its members' commitments."""
    return _pact(caller(request), id)


@router.post(
    "/pacts/{id}/commitments", response={201: CommitmentOut, **WRITE_ERRORS}, summary="Add a commitment"
)
def pact_commitment_create(request: HttpRequest, id: int, payload: CommitmentIn):
    user = caller(request)
    pact = _pact(user, id)
    commitment = services.commitment_add(
        actor=user,
        pact=pact,
        member=_unit(pact.alliance_id, payload.member, "member"),
        content=payload.content,
        due_on=payload.due_on,
    )
    return Status(201, selectors.commitment_get(user=user, pk=commitment.pk))


@router.post(
    "/pact-commitments/{id}/fulfil",
    response={200: CommitmentOut, **WRITE_ERRORS},
    summary="Record fulfilment",
)
def pact_commitment_fulfil(request: HttpRequest, id: int, payload: FulfilIn):
    """Whether a commitment was kept; an enterprise's contacts may record their own enterprise's."""
    user = caller(request)
    commitment = or_404(lambda: selectors.commitment_get(user=user, pk=id))
    services.commitment_fulfil(
        actor=user,
        commitment=commitment,
        fulfilled=payload.fulfilled,
        assessed_on=payload.assessed_on,
        evidence=payload.evidence,
    )
    return selectors.commitment_get(user=user, pk=id)


# --- activities and places --------------------------------------------------------------------------


@router.get("/alliance-activities", response={200: list[ActivityOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def alliance_activities(request: HttpRequest, filters: Query[ActivityFilters]):
    """Activities of the six actions (六大行动), latest first."""
    return selectors.activity_list(
        user=caller(request),
        zone_id=filters.zone,
        alliance_id=filters.alliance,
        action=filters.action or "",
        year=filters.year,
        q=filters.q,
    )


@router.post(
    "/alliance-activities", response={201: ActivityOut, **WRITE_ERRORS}, summary="Record an activity"
)
def alliance_activity_create(request: HttpRequest, payload: ActivityIn):
    user = caller(request)
    activity = services.activity_record(
        actor=user,
        alliance=_alliance(user, payload.alliance),
        action=payload.action,
        title=payload.title,
        held_on=payload.held_on,
        participant_count=payload.participant_count,
        summary=payload.summary,
        place=_place(user, payload.place),
        place_note=payload.place_note,
    )
    return Status(201, selectors.activity_get(user=user, pk=activity.pk))


@router.get("/places", response={200: list[PlaceOut], **AUTH_ERRORS})
@paginate(LimitOffset)
def places(request: HttpRequest, filters: Query[PlaceFilters]):
    """Demonstration sites, guidance stations and activity venues (阵地), by pinyin of the name."""
    return selectors.place_list(
        user=caller(request), zone_id=filters.zone, kind=filters.kind or "", alliance_id=filters.alliance
    )
