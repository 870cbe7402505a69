"""Request and response shapes of the exchange endpoints: needs, resources, matches, alliance projects and
alliance feedback. Codes, not labels, for kinds and states, as in ``schemas``. A listing's contact phone is
whole only for the zone's staff, the alliance's instructor and the owner's own people; masked otherwise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from redchain.exchange.models import Kind, ListingStatus, Match, Project


def _viewer(context):
    request = (context or {}).get("request")
    return getattr(request, "auth", None) if request is not None else None


class ListingFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    alliance: int | None = Field(None, description="Alliance id.")
    chain: int | None = Field(None, description="Industry chain id.")
    kind: Kind | None = None
    status: ListingStatus | None = None
    enterprise: int | None = Field(None, description="Owner enterprise id.")
    q: str = Field("", max_length=100, description="Fragment of title or description.")


class ListingIn(Schema):
    kind: Kind
    title: str = Field(..., min_length=1, max_length=150)
    description: str = Field(..., min_length=1, max_length=10000)
    valid_until: date
    alliance: int | None = Field(None, description="Alliance id; omit to post a firm's listing to its chain.")
    enterprise: int | None = Field(
        None, description="Owner enterprise id; an enterprise contact defaults to their own enterprise."
    )
    department: int | None = Field(None, description="Owner department id.")
    institution: str = Field(
        "", max_length=150, description="Name of an institute or bank on the alliance roster."
    )
    amount_wan: Decimal | None = Field(None, ge=0, description="Amount in 万元.")
    quantity: str = Field("", max_length=50)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=30)


class ListingOut(Schema):
    id: int
    zone_id: int
    kind: str
    status: str
    title: str
    description: str
    owner_name: str
    owner_enterprise_id: int | None
    owner_department_id: int | None
    alliance_id: int | None
    chain_id: int
    amount_wan: Decimal | None
    quantity: str
    posted_on: date
    valid_until: date
    contact_name: str
    contact_phone: str

    @staticmethod
    def resolve_contact_phone(obj, context) -> str:
        from redchain.accounts.scope import scope_for
        from redchain.exchange import permissions as perms

        user = _viewer(context)
        scope = scope_for(user)
        whole = (
            perms.owns(user, obj)
            or bool(scope.full_zone_ids | scope.staff_zone_ids)
            or perms.instructs_for(user, obj)
        )
        return obj.contact_phone if whole else obj.masked_contact_phone


class ListingRef(Schema):
    id: int
    title: str
    owner_name: str
    kind: str


class MatchOut(Schema):
    id: int
    zone_id: int
    alliance_id: int | None
    status: Match.Status
    source: str
    score: int
    reasons: dict[str, int]
    need: ListingRef
    resource: ListingRef
    proposed_on: date
    need_accepted_on: date | None
    resource_accepted_on: date | None
    decline_reason: str
    closed_on: date | None
    result: str
    saved_wan: Decimal | None
    deal_value_wan: Decimal | None


class MatchFilters(Schema):
    zone: int | None = None
    alliance: int | None = None
    status: Match.Status | None = None
    need: int | None = None
    resource: int | None = None
    enterprise: int | None = Field(None, description="Enterprise id on either side.")


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=1000, description="Optional; the declined proposals carry it.")


class CloseMatchIn(Schema):
    result: str = Field(..., min_length=1, max_length=2000)
    saved_wan: Decimal | None = Field(None, ge=0)
    deal_value_wan: Decimal | None = Field(None, ge=0)
    closed_on: date | None = Field(None, description="Default today; not in the future.")


class ProjectFilters(Schema):
    zone: int | None = None
    alliance: int | None = None
    status: Project.Status | None = None


class ProjectIn(Schema):
    alliance: int
    title: str = Field(..., min_length=1, max_length=150)
    description: str = ""
    units: list[int] = Field(default_factory=list, description="Ids of the alliance's member units.")
    status: Project.Status = Project.Status.PLANNED
    investment_wan: Decimal | None = Field(None, ge=0)
    started_on: date | None = None
    finished_on: date | None = None
    outcome: str = ""


class UnitOut(Schema):
    id: int
    display_name: str


class ProjectOut(Schema):
    id: int
    zone_id: int
    alliance_id: int
    title: str
    description: str
    status: str
    investment_wan: Decimal | None
    started_on: date | None
    finished_on: date | None
    outcome: str
    units: list[UnitOut]

    @staticmethod
    def resolve_units(obj) -> list:
        return list(obj.units.all())


class FeedbackIn(Schema):
    alliance: int
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=10000)
    enterprise: int | None = Field(None, description="Member enterprise id; a contact defaults to their own.")
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=30)


class FeedbackOut(Schema):
    id: int
    tracking_code: str
    status: str
