"""Alliance-mechanism records built through the services on top of the shared ``world``.

Alliance 1 (members: firm X as lead, X's branch, department A1 as instructor) gets the rich record; alliance 2
(firm Z) and zone B's alliance get one record of each kind, so scoping tests have something to miss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from redchain.mechanisms import services as s
from redchain.mechanisms.models import Action, ActionItem, Activity, Commitment, Meeting, Pact, Place
from redchain.mechanisms.services import Presence
from redchain.orgs.models import Alliance, AllianceMember

LAST_YEAR = dt.date.today().year - 1  # noqa: DTZ011 - a past year whatever day the tests run on
PAST = dt.date(LAST_YEAR, 3, 10)


def unit(alliance: Alliance, **target) -> AllianceMember:
    return AllianceMember.objects.get(alliance=alliance, **target)


def planned(
    alliance: Alliance, *, on: dt.date = PAST, kind: str = Meeting.Kind.BIMONTHLY, **kwargs
) -> Meeting:
    return s.meeting_plan(actor=None, alliance=alliance, kind=kind, planned_on=on, **kwargs)


def held(alliance: Alliance, *, on: dt.date = PAST) -> Meeting:
    meeting = planned(alliance, on=on)
    members = list(alliance.members.all())
    attendance = [
        Presence(member=m, present=i == 0 or i % 2 == 1, representative=f"代表{i}")
        for i, m in enumerate(members)
    ]
    return s.meeting_record_held(
        actor=None,
        meeting=meeting,
        held_on=on,
        minutes="会议通报了联盟工作进展，研究了下一步重点任务。",
        attendance=attendance,
    )


def item(meeting: Meeting, owner: AllianceMember, *, due: dt.date | None = None) -> ActionItem:
    assert meeting.held_on is not None
    return s.action_item_add(
        actor=None,
        meeting=meeting,
        decision="牵头组织上下游企业开展供需对接",
        owner=owner,
        due_on=due or meeting.held_on + dt.timedelta(days=30),
    )


def pact(alliance: Alliance, *, signed: dt.date = PAST) -> Pact:
    return s.pact_create(
        actor=None,
        alliance=alliance,
        title=f"{alliance.name}结盟公约",
        signed_on=signed,
        valid_until=signed.replace(year=signed.year + 3),
        text="资源共享、抱团发展、互帮互助。",
    )


def commitment(p: Pact, member: AllianceMember) -> Commitment:
    return s.commitment_add(
        actor=None,
        pact=p,
        member=member,
        content="开放党建活动阵地",
        due_on=p.signed_on + dt.timedelta(days=90),
    )


def activity(alliance: Alliance, *, action: str = Action.EXCHANGE, on: dt.date = PAST) -> Activity:
    return s.activity_record(
        actor=None,
        alliance=alliance,
        action=action,
        title="链上企业观摩交流活动",
        held_on=on,
        participant_count=35,
        summary="组织联盟成员单位走进链主企业观摩学习。",
    )


def place(zone, *, alliance: Alliance | None = None, name: str = "联盟党群服务中心") -> Place:
    return s.place_create(
        actor=None,
        zone=zone,
        alliance=alliance,
        name=name,
        kind=Place.Kind.ACTIVITY_VENUE,
        address="创业大道1号",
    )


@dataclass
class Records:
    """One of each record in alliance 1, alliance 2 and zone B."""

    meeting1: Meeting
    item_x: ActionItem
    item_dept: ActionItem
    pact1: Pact
    commitment_x: Commitment
    commitment_dept: Commitment
    activity1: Activity
    place1: Place
    zone_place: Place
    meeting2: Meeting
    item2: ActionItem
    pact2: Pact
    activity2: Activity
    place2: Place
    other_meeting: Meeting
    other_item: ActionItem
    other_pact: Pact
    other_commitment: Commitment
    other_activity: Activity
    other_place: Place


def build_records(world) -> Records:
    a1, a2, ob = world.alliance1, world.alliance2, world.other_alliance
    firm_x_unit = unit(a1, enterprise=world.firm_x)
    dept_unit = unit(a1, department=world.dept_a1)
    meeting1 = held(a1)
    pact1 = pact(a1)
    meeting2 = held(a2)
    other_unit = _other_unit(world)
    other_meeting = held(ob)
    pact2 = pact(a2)
    commitment(pact2, unit(a2, enterprise=world.firm_z))
    other_pact = pact(ob)
    return Records(
        meeting1=meeting1,
        item_x=item(meeting1, firm_x_unit),
        item_dept=item(meeting1, dept_unit),
        pact1=pact1,
        commitment_x=commitment(pact1, firm_x_unit),
        commitment_dept=commitment(pact1, dept_unit),
        activity1=activity(a1),
        place1=place(world.zone, alliance=a1),
        zone_place=place(world.zone, name="开发区党建指导站"),
        meeting2=meeting2,
        item2=item(meeting2, unit(a2, enterprise=world.firm_z)),
        pact2=pact2,
        activity2=activity(a2, action=Action.RELIEF),
        place2=place(world.zone, alliance=a2, name="数字科技示范点"),
        other_meeting=other_meeting,
        other_item=item(other_meeting, other_unit),
        other_pact=other_pact,
        other_commitment=commitment(other_pact, other_unit),
        other_activity=activity(ob),
        other_place=place(world.other_zone, alliance=ob),
    )


def _other_unit(world) -> AllianceMember:
    from redchain.orgs.services import alliance_member_add

    return alliance_member_add(
        actor=None, alliance=world.other_alliance, enterprise=world.other_firm, role="lead"
    )
