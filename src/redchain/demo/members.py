"""Party members of the demo zone, written into the organisations the tree builder staffed.

Proportions follow what branch rosters usually show: about nine in ten formal members, a few probationary
members who joined in the last year, and flowing members (流动党员) mostly among enterprise staff and
villagers working away; branches of seven or more members elect a branch committee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.demo.party import PartyTree, Staffing
from redchain.orgs.models import PartyMember, PartyOrg
from redchain.orgs.services import party_member_create

Status = PartyMember.Status
COMMITTEE_POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")
MEMBER_POST = "党员"
# A branch with seven or more members elects a committee; a smaller one has only a secretary (党章 第三十条).
BRANCH_COMMITTEE_SIZE = 7


@dataclass(frozen=True)
class Profile:
    """How the members of one kind of organisation tend to look."""

    statuses: tuple[tuple[str, int], ...]
    born: tuple[int, int]
    male_share: float


PROFILES = {
    "officers": Profile(((Status.FORMAL, 1),), (1964, 1988), 0.75),
    "enterprise": Profile(
        ((Status.FORMAL, 86), (Status.PROBATIONARY, 6), (Status.FLOWING, 8)), (1968, 2001), 0.7
    ),
    "department": Profile(
        ((Status.FORMAL, 94), (Status.PROBATIONARY, 4), (Status.FLOWING, 2)), (1966, 1999), 0.6
    ),
    "village": Profile(
        ((Status.FORMAL, 88), (Status.PROBATIONARY, 3), (Status.FLOWING, 9)), (1946, 1996), 0.72
    ),
    "community": Profile(
        ((Status.FORMAL, 90), (Status.PROBATIONARY, 4), (Status.FLOWING, 6)), (1952, 1998), 0.45
    ),
}


def build_members(*, tree: PartyTree, fakes: Fakes) -> int:
    """Create every planned member; returns how many."""
    fakes.stage("members")
    count = 0
    for staffing in tree.staffing:
        for index, post in enumerate(posts(staffing)):
            person = staffing.secretary if index == 0 and staffing.secretary else None
            _member(staffing, post, person, fakes)
            count += 1
    return count


def posts(staffing: Staffing) -> list[str]:
    """The party post of each member, secretary first."""
    size = staffing.size
    if staffing.org.kind == PartyOrg.Kind.GROUP:
        return [MEMBER_POST] * size
    if staffing.profile == "officers":
        return list(COMMITTEE_POSTS[:size])
    officers = list(COMMITTEE_POSTS) if size >= BRANCH_COMMITTEE_SIZE else [COMMITTEE_POSTS[0]]
    return officers + [MEMBER_POST] * (size - len(officers))


def _member(staffing: Staffing, post: str, person: tuple[str, str] | None, fakes: Fakes) -> PartyMember:
    profile = PROFILES[staffing.profile]
    name, gender = person or fakes.person(male_share=profile.male_share)
    # Officers are formal members by definition; only rank-and-file members may be probationary or flowing.
    status = Status.FORMAL if post != MEMBER_POST else fakes.weighted(profile.statuses)
    birth = fakes.day_between(date(profile.born[0], 1, 1), date(profile.born[1], 12, 31))
    return party_member_create(
        actor=None,
        org=staffing.org,
        name=name,
        gender=gender,
        status=status,
        joined_on=_joined(birth, status, fakes),
        position=post,
        phone=fakes.mobile(),
        id_number=fakes.id_number(
            birth=birth, gender=gender, local=status != Status.FLOWING or fakes.chance(0.4)
        ),
        employer=fakes.pick(staffing.employers) if staffing.employers else None,
    )


def _joined(birth: date, status: str, fakes: Fakes) -> date:
    if status == Status.PROBATIONARY:
        # A probationary member joined within the last year (the probation lasts one year).
        return data.AS_OF - timedelta(days=fakes.between(30, 330))
    earliest = _years_after(birth, 19)
    latest = min(_years_after(birth, 45), data.AS_OF - timedelta(days=400))
    return fakes.day_between(earliest, max(earliest, latest))


def _years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28))
