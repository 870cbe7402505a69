"""Request and response shapes of ``/api/v1/task-forces`` and ``/api/v1/suggestions``.

States and kinds travel as their codes (``"active"``, ``"adopted"``), as in ``schemas``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from redchain.api.schemas import Ref
from redchain.taskforces.models import Suggestion, TaskForce, TaskForceMember

# --- task forces ------------------------------------------------------------------------------------


class TaskForceOut(Schema):
    id: int
    zone_id: int
    org: Ref
    enterprise: Ref | None
    kind: TaskForce.Kind
    name: str
    project: str
    goal: str
    formed_on: date
    status: TaskForce.Status
    finished_on: date | None
    result: str
    benefit_wan: Decimal | None
    member_count: int = Field(0, description="How many party members are on the team.")


class TaskForceMemberOut(Schema):
    member_id: int
    name: str
    role: TaskForceMember.Role
    org: Ref
    joined_on: date
    invited: bool = Field(..., description="True when the member comes from outside the team's own subtree.")

    @staticmethod
    def resolve_name(obj: TaskForceMember) -> str:
        return obj.member.name

    @staticmethod
    def resolve_org(obj: TaskForceMember) -> dict:
        return {"id": obj.member.org_id, "name": obj.member.org.name}

    @staticmethod
    def resolve_invited(obj: TaskForceMember) -> bool:
        return obj.is_invited


class TaskForceDetailOut(TaskForceOut):
    members: list[TaskForceMemberOut]

    @staticmethod
    def resolve_members(obj: TaskForce) -> list:
        return list(obj.members.all())

    @staticmethod
    def resolve_member_count(obj: TaskForce) -> int:
        return len(obj.members.all())


class TaskForceFilters(Schema):
    zone: int | None = None
    org: int | None = Field(None, description="A party organisation: its whole subtree.")
    enterprise: int | None = None
    kind: TaskForce.Kind | None = None
    status: TaskForce.Status | None = None
    q: str = Field("", max_length=100, description="Part of the name or of the project.")


class TaskForceIn(Schema):
    org: int = Field(..., description="Id of a party organisation the caller may manage.")
    kind: TaskForce.Kind
    name: str = Field(..., min_length=1, max_length=100)
    project: str = Field(..., min_length=1, max_length=5000)
    goal: str = Field("", max_length=5000)
    formed_on: date
    enterprise: int | None = Field(None, description="Defaults to the enterprise that owns the organisation.")


class MemberIn(Schema):
    member: int = Field(..., description="Id of a party member of the zone the caller can see.")
    role: TaskForceMember.Role = TaskForceMember.Role.MEMBER
    joined_on: date | None = Field(None, description="Defaults to the day the team formed.")


class FinishIn(Schema):
    finished_on: date
    result: str = Field(..., min_length=1, max_length=5000)
    benefit_wan: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class DisbandIn(Schema):
    finished_on: date
    reason: str = Field(..., min_length=1, max_length=2000)


# --- suggestions ------------------------------------------------------------------------------------


class SuggestionOut(Schema):
    id: int
    zone_id: int
    org: Ref
    task_force: Ref | None
    enterprise: Ref | None
    submitter_id: int | None
    submitted_by: str
    title: str
    content: str
    submitted_on: date
    status: Suggestion.Status
    adopted_on: date | None
    implemented_on: date | None
    rejected_on: date | None
    rejection_reason: str
    benefit_wan: Decimal | None
    other_benefit: str


class SuggestionFilters(Schema):
    zone: int | None = None
    status: Suggestion.Status | None = None
    org: int | None = Field(None, description="A party organisation: its whole subtree.")
    enterprise: int | None = None
    task_force: int | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="Year of submission.")
    q: str = Field("", max_length=100)


class SuggestionIn(Schema):
    org: int | None = Field(None, description="The party organisation it goes to; or give task_force.")
    task_force: int | None = None
    submitter: int | None = Field(None, description="Id of the party member who made it; or submitter_name.")
    submitter_name: str = Field("", max_length=50)
    title: str = Field(..., min_length=1, max_length=200)
    content: str = Field(..., min_length=1, max_length=10000)
    submitted_on: date


class AdoptIn(Schema):
    adopted_on: date


class ImplementIn(Schema):
    implemented_on: date
    benefit_wan: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    other_benefit: str = Field("", max_length=5000)


class RejectIn(Schema):
    rejected_on: date
    reason: str = Field(..., min_length=1, max_length=5000)


# --- the funnel -------------------------------------------------------------------------------------


class FunnelFilters(Schema):
    zone: int | None = None
    by: Literal["org", "enterprise", "task_force"] = "org"
    year: int | None = Field(None, ge=2000, le=2100)


class FunnelRowOut(Schema):
    id: int | None = Field(
        None, description="Id of the organisation, enterprise or task force; null for the total."
    )
    name: str
    collected: int
    adopted: int
    implemented: int
    benefit_wan: Decimal
    adoption_rate: float = Field(..., description="Adopted / collected, in %.")
    implementation_rate: float = Field(..., description="Implemented / collected, in %.")
    conversion_rate: float = Field(..., description="Implemented / adopted, in %.")

    @staticmethod
    def resolve_id(obj) -> int | None:
        return obj.key


class FunnelOut(Schema):
    by: str
    total: FunnelRowOut
    rows: list[FunnelRowOut]
