"""Every write of the alliance mechanisms. Each is one transaction that checks permission and state under a
row lock where state changes, validates with ``full_clean()`` and writes its audit row. A refused step raises
:class:`~redchain.core.errors.ActionRefused` (or ``Forbidden``) and changes nothing; bad input raises
``ValidationError`` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from redchain.audit.services import audit_record
from redchain.core.errors import ActionRefused, require
from redchain.mechanisms import permissions as perms
from redchain.mechanisms.models import (
    SLOTS_PER_YEAR,
    ActionItem,
    Activity,
    Attendance,
    Commitment,
    Meeting,
    Pact,
    Place,
    slot_of,
    today,
)
from redchain.orgs.models import Alliance, AllianceMember, Enterprise, Zone

# The day of a slot's second month on which a bimonthly meeting is planned unless the alliance says otherwise.
PLANNED_DAY = 15


@dataclass(frozen=True)
class Presence:
    """One member unit's attendance as a form or the API states it."""

    member: AllianceMember
    present: bool
    representative: str = ""


# ---------------------------------------------------------------------------------------------- checks


def _not_future(field: str, day: dt.date) -> None:
    if day > today():
        raise ValidationError({field: _("This date is in the future; record it once it has happened.")})


def _not_before(field: str, day: dt.date, earliest: dt.date) -> None:
    if day < earliest:
        raise ValidationError({field: _("This date is before %(day)s.") % {"day": earliest.isoformat()}})


def _member_of(alliance: Alliance, member: AllianceMember, field: str) -> None:
    if member.alliance_id != alliance.pk:
        raise ValidationError({field: _("This unit is not a member of the alliance.")})


def _place_for(alliance: Alliance, place: Place | None) -> None:
    if place is None:
        return
    if place.zone_id != alliance.zone_id or place.alliance_id not in (None, alliance.pk):
        raise ValidationError({"place": _("This place belongs to another alliance or zone.")})


def _expect(obj, *statuses: str) -> None:
    if obj.status not in statuses:
        raise ActionRefused(
            f"当前状态为「{obj.get_status_display()}」，不能执行此操作",
            f"Not allowed while the record is {obj.status}",
        )


# ---------------------------------------------------------------------------------------------- places


@transaction.atomic
def place_create(
    *,
    actor,
    zone: Zone,
    name: str,
    kind: str,
    address: str = "",
    alliance: Alliance | None = None,
    host_enterprise: Enterprise | None = None,
) -> Place:
    require(perms.manages(actor, alliance) if alliance else perms.manages_zone_places(actor, zone.pk))
    if alliance is not None and alliance.zone_id != zone.pk:
        raise ValidationError({"alliance": _("The alliance belongs to another zone.")})
    if host_enterprise is not None and host_enterprise.zone_id != zone.pk:
        raise ValidationError({"host_enterprise": _("The enterprise belongs to another zone.")})
    place = Place(
        zone=zone,
        name=name.strip(),
        kind=kind,
        address=address,
        alliance=alliance,
        host_enterprise=host_enterprise,
    )
    place.full_clean()
    place.save()
    audit_record(actor=actor, action="place.create", obj=place)
    return place


# ---------------------------------------------------------------------------------------------- meetings


def _bimonthly_title(alliance: Alliance, year: int, slot: int) -> str:
    return f"{alliance.name}{year}年第{slot}次双月工作例会"


@transaction.atomic
def meeting_plan(
    *,
    actor,
    alliance: Alliance,
    kind: str,
    planned_on: dt.date,
    title: str = "",
    place: Place | None = None,
) -> Meeting:
    """Plan one meeting; a bimonthly meeting takes the slot of its date, and each slot holds one."""
    require(perms.manages(actor, alliance))
    _place_for(alliance, place)
    slot = slot_of(planned_on) if kind == Meeting.Kind.BIMONTHLY else None
    if slot and Meeting.objects.filter(alliance=alliance, year=planned_on.year, slot=slot).exists():
        raise ValidationError(
            {"planned_on": _("A bimonthly meeting is already planned for these two months.")}
        )
    if not title and slot:
        title = _bimonthly_title(alliance, planned_on.year, slot)
    meeting = Meeting(
        zone_id=alliance.zone_id,
        alliance=alliance,
        kind=kind,
        title=title.strip(),
        year=planned_on.year,
        slot=slot,
        planned_on=planned_on,
        place=place,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action="meeting.plan", obj=meeting)
    return meeting


@transaction.atomic
def meetings_schedule_year(*, actor, alliance: Alliance, year: int) -> list[Meeting]:
    """Plan the year's six bimonthly meetings, one in the second month of each slot; slots already planned
    are left alone, and a year with all six is refused."""
    require(perms.manages(actor, alliance))
    # Locking the alliance row serialises two schedulers, so neither trips over the other's slots.
    Alliance.objects.select_for_update().get(pk=alliance.pk)
    taken = set(
        Meeting.objects.filter(alliance=alliance, year=year, slot__isnull=False).values_list(
            "slot", flat=True
        )
    )
    free = [slot for slot in range(1, SLOTS_PER_YEAR + 1) if slot not in taken]
    if not free:
        raise ActionRefused(
            f"{year}年的六次双月工作例会均已安排", f"All six bimonthly meetings of {year} are planned"
        )
    return [
        meeting_plan(
            actor=actor,
            alliance=alliance,
            kind=Meeting.Kind.BIMONTHLY,
            planned_on=dt.date(year, slot * 2, PLANNED_DAY),
        )
        for slot in free
    ]


@transaction.atomic
def meeting_record_held(
    *,
    actor,
    meeting: Meeting,
    held_on: dt.date,
    minutes: str,
    attendance: Iterable[Presence],
    place: Place | None = None,
    place_note: str = "",
) -> Meeting:
    """Record a planned (or overdue) meeting as held, with one attendance row per member unit named."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=meeting.pk)
    require(perms.manages(actor, meeting.alliance))
    _expect(meeting, Meeting.Status.PLANNED)
    _not_future("held_on", held_on)
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    _place_for(meeting.alliance, place)
    rows = _attendance_rows(meeting, attendance)
    meeting.status, meeting.held_on, meeting.minutes = Meeting.Status.HELD, held_on, minutes.strip()
    meeting.place, meeting.place_note = place or meeting.place, place_note.strip()
    meeting.full_clean()
    meeting.save(update_fields=["status", "held_on", "minutes", "place", "place_note", "updated_at"])
    Attendance.objects.bulk_create(rows)
    present = sum(1 for row in rows if row.present)
    audit_record(
        actor=actor,
        action="meeting.held",
        obj=meeting,
        changes={
            "status": ["planned", "held"],
            "held_on": [None, held_on.isoformat()],
            "present": [None, present],
        },
    )
    return meeting


def _attendance_rows(meeting: Meeting, attendance: Iterable[Presence]) -> list[Attendance]:
    rows: dict[int, Attendance] = {}
    for presence in attendance:
        _member_of(meeting.alliance, presence.member, "attendance")
        rows[presence.member.pk] = Attendance(
            zone_id=meeting.zone_id,
            meeting=meeting,
            member=presence.member,
            present=presence.present,
            representative=presence.representative.strip() if presence.present else "",
        )
    if not any(row.present for row in rows.values()):
        raise ValidationError({"attendance": _("Mark at least one member unit as present.")})
    return list(rows.values())


@transaction.atomic
def meeting_mark_missed(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """A planned meeting whose date has passed without being held is marked missed, with the reason."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=meeting.pk)
    require(perms.manages(actor, meeting.alliance))
    _expect(meeting, Meeting.Status.PLANNED)
    if not meeting.is_overdue:
        raise ActionRefused("会议日期未到，不能标记为未召开", "The meeting's date has not passed yet")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the meeting was not held.")})
    meeting.status, meeting.missed_reason = Meeting.Status.MISSED, reason.strip()
    meeting.full_clean()
    meeting.save(update_fields=["status", "missed_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting.missed",
        obj=meeting,
        changes={"status": ["planned", "missed"]},
        reason=reason,
    )
    return meeting


# ---------------------------------------------------------------------------------------------- action items


@transaction.atomic
def action_item_add(
    *, actor, meeting: Meeting, decision: str, owner: AllianceMember, due_on: dt.date
) -> ActionItem:
    """A decision of a held meeting, owned by one member unit and due after the meeting."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=meeting.pk)
    require(perms.manages(actor, meeting.alliance))
    if meeting.status != Meeting.Status.HELD:
        raise ActionRefused("只有已召开的会议才能形成决定事项", "Only a held meeting has decisions")
    _member_of(meeting.alliance, owner, "owner")
    assert meeting.held_on is not None  # noqa: S101 - a held meeting has its day (database check)
    if due_on <= meeting.held_on:
        raise ValidationError({"due_on": _("The due date must be after the meeting.")})
    item = ActionItem(
        zone_id=meeting.zone_id,
        alliance=meeting.alliance,
        meeting=meeting,
        decision=decision.strip(),
        owner=owner,
        due_on=due_on,
    )
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="action_item.add", obj=item)
    return item


@transaction.atomic
def action_item_complete(*, actor, item: ActionItem, done_on: dt.date, result: str) -> ActionItem:
    item = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("alliance", "meeting", "owner__party_org")
        .get(pk=item.pk)
    )
    require(perms.may_complete(actor, item))
    _expect(item, ActionItem.Status.OPEN)
    _not_future("done_on", done_on)
    assert item.meeting.held_on is not None  # noqa: S101 - items hang on held meetings only
    _not_before("done_on", done_on, item.meeting.held_on)
    if not result.strip():
        raise ValidationError({"result": _("Say what was done.")})
    item.status, item.done_on, item.result = ActionItem.Status.DONE, done_on, result.strip()
    item.full_clean()
    item.save(update_fields=["status", "done_on", "result", "updated_at"])
    audit_record(actor=actor, action="action_item.done", obj=item, changes={"status": ["open", "done"]})
    return item


# ---------------------------------------------------------------------------------------------- pacts


@transaction.atomic
def pact_create(
    *, actor, alliance: Alliance, title: str, signed_on: dt.date, valid_until: dt.date, text: str
) -> Pact:
    require(perms.manages(actor, alliance))
    _not_future("signed_on", signed_on)
    if valid_until <= signed_on:
        raise ValidationError({"valid_until": _("The term must end after the signing day.")})
    pact = Pact(
        zone_id=alliance.zone_id,
        alliance=alliance,
        title=title.strip(),
        signed_on=signed_on,
        valid_until=valid_until,
        text=text.strip(),
    )
    pact.full_clean()
    pact.save()
    audit_record(actor=actor, action="pact.create", obj=pact)
    return pact


@transaction.atomic
def commitment_add(*, actor, pact: Pact, member: AllianceMember, content: str, due_on: dt.date) -> Commitment:
    pact = Pact.objects.select_related("alliance").get(pk=pact.pk)
    require(perms.manages(actor, pact.alliance))
    _member_of(pact.alliance, member, "member")
    if due_on <= pact.signed_on:
        raise ValidationError({"due_on": _("The due date must be after the signing day.")})
    commitment = Commitment(
        zone_id=pact.zone_id, pact=pact, member=member, content=content.strip(), due_on=due_on
    )
    commitment.full_clean()
    commitment.save()
    audit_record(actor=actor, action="commitment.add", obj=commitment)
    return commitment


@transaction.atomic
def commitment_fulfil(
    *, actor, commitment: Commitment, fulfilled: bool, assessed_on: dt.date, evidence: str
) -> Commitment:
    """Record whether a commitment was kept; once assessed it stays so (a correction is a new audit trail)."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("pact__alliance", "member__party_org")
        .get(pk=commitment.pk)
    )
    require(perms.may_fulfil(actor, commitment))
    _expect(commitment, Commitment.Status.PENDING)
    _not_future("assessed_on", assessed_on)
    _not_before("assessed_on", assessed_on, commitment.pact.signed_on)
    if not evidence.strip():
        raise ValidationError({"evidence": _("Describe the evidence.")})
    status = Commitment.Status.FULFILLED if fulfilled else Commitment.Status.NOT_FULFILLED
    commitment.status, commitment.assessed_on, commitment.evidence = status, assessed_on, evidence.strip()
    commitment.full_clean()
    commitment.save(update_fields=["status", "assessed_on", "evidence", "updated_at"])
    audit_record(
        actor=actor, action="commitment.assess", obj=commitment, changes={"status": ["pending", status]}
    )
    return commitment


# ---------------------------------------------------------------------------------------------- activities


@transaction.atomic
def activity_record(
    *,
    actor,
    alliance: Alliance,
    action: str,
    title: str,
    held_on: dt.date,
    participant_count: int,
    summary: str,
    place: Place | None = None,
    place_note: str = "",
) -> Activity:
    require(perms.manages(actor, alliance))
    _not_future("held_on", held_on)
    _place_for(alliance, place)
    if participant_count < 1:
        raise ValidationError({"participant_count": _("An activity has at least one participant.")})
    activity = Activity(
        zone_id=alliance.zone_id,
        alliance=alliance,
        action=action,
        title=title.strip(),
        held_on=held_on,
        place=place,
        place_note=place_note.strip(),
        participant_count=participant_count,
        summary=summary.strip(),
    )
    activity.full_clean()
    activity.save()
    audit_record(actor=actor, action="activity.record", obj=activity)
    return activity
