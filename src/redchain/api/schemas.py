"""Request and response shapes of the API. Field names follow docs/GLOSSARY.md.

Choice fields carry their stored code (``"above"``, ``"branch"``); clients translate codes themselves,
so a response does not change with the request language.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from redchain.orgs.models import Alliance, Enterprise, PartyOrg, Qualification, Segment
from redchain.orgs.selectors import alliance_members


class ErrorOut(Schema):
    detail: str


# --- auth -------------------------------------------------------------------------------------------


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=128)


class TokenOut(Schema):
    token: str = Field(..., description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime


class RoleOut(Schema):
    role: str
    zone_id: int
    department_id: int | None
    alliance_id: int | None
    enterprise_id: int | None


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[RoleOut]
    zone_ids: list[int]
    department_ids: list[int]
    enterprise_ids: list[int]
    alliance_ids: list[int]


# --- shared -----------------------------------------------------------------------------------------


class Ref(Schema):
    """A reference to another object by id and name."""

    id: int
    name: str


# --- zones and departments --------------------------------------------------------------------------


class ZoneOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    division_code: str
    description: str


class DepartmentOut(Schema):
    id: int
    zone_id: int
    name: str
    short_name: str
    kind: str
    phone: str
    is_active: bool
    responsibilities: str


class DepartmentFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    q: str = Field("", max_length=100, description="Fragment of the name.")


# --- industry chains --------------------------------------------------------------------------------


class ChainOut(Schema):
    id: int
    zone_id: int
    name: str
    code: str
    description: str
    upstream: str
    midstream: str
    downstream: str
    position: int
    enterprise_count: int = Field(..., description="Enterprises on the chain, across the whole zone.")


class ZoneFilter(Schema):
    zone: int | None = Field(None, description="Zone id.")


# --- enterprises ------------------------------------------------------------------------------------


class EnterpriseOut(Schema):
    id: int
    zone_id: int
    name: str
    uscc: str
    scale: str
    chain: Ref | None
    segment: str
    chain_role: str
    qualifications: list[str] = Field(..., description="Qualification codes, e.g. `high_tech`.")
    land_area_mu: Decimal | None
    employees: int | None
    established_on: date | None
    address: str
    contact_name: str
    contact_phone: str = Field(..., description="Masked, e.g. 138****5678.")

    @staticmethod
    def resolve_qualifications(obj: Enterprise) -> list[str]:
        # Prefetched by the selector, so this reads memory, not the database.
        return [qualification.kind for qualification in obj.qualifications.all()]

    @staticmethod
    def resolve_contact_phone(obj: Enterprise) -> str:
        return obj.masked_contact_phone


class EnterpriseDetailOut(EnterpriseOut):
    alliances: list[Ref]

    @staticmethod
    def resolve_alliances(obj: Enterprise) -> list:
        return [membership.alliance for membership in obj.alliance_memberships.all()]


class EnterpriseFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    chain: int | None = Field(None, description="Industry chain id.")
    segment: Segment | None = None
    scale: Enterprise.Scale | None = None
    qualification: Qualification | None = None
    q: str = Field(
        "", max_length=100, description="Chinese name fragment, pinyin, pinyin initials or a USCC prefix."
    )


# --- alliances --------------------------------------------------------------------------------------


class AllianceOut(Schema):
    id: int
    zone_id: int
    name: str
    brand: str
    chain: Ref
    core_id: int
    founded_on: date | None
    member_count: int
    enterprise_member_count: int


class AllianceMemberOut(Schema):
    kind: str
    role: str
    name: str
    party_org_id: int | None
    enterprise_id: int | None
    department_id: int | None
    joined_on: date | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class AllianceDetailOut(AllianceOut):
    """The roster lists every member by name: it is public within the zone, even where the member
    enterprise or party organisation itself is outside the reader's scope."""

    description: str
    members: list[AllianceMemberOut]

    @staticmethod
    def resolve_members(obj: Alliance) -> list:
        return list(alliance_members(obj))


class AllianceFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    chain: int | None = Field(None, description="Industry chain id.")


# --- party organisations ----------------------------------------------------------------------------


class PartyOrgOwnerOut(Schema):
    kind: str = Field(..., description="`enterprise`, `department`, `village` or `community`.")
    name: str
    enterprise_id: int | None
    department_id: int | None


class PartyOrgOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    parent_id: int | None
    path: str = Field(..., description='Ids from the root, e.g. "/1/5/12/".')
    depth: int
    owner: PartyOrgOwnerOut | None
    secretary: str
    brand_name: str
    rating: str
    founded_on: date | None
    member_count: int = Field(..., description="Party members directly in this organisation.")

    @staticmethod
    def resolve_owner(obj: PartyOrg) -> dict | None:
        if not obj.owner_kind:
            return None
        return {
            "kind": obj.owner_kind,
            "name": obj.owner_label,
            "enterprise_id": obj.owner_enterprise_id,
            "department_id": obj.owner_department_id,
        }


class PartyOrgDetailOut(PartyOrgOut):
    brand_description: str


class PartyOrgFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    kind: PartyOrg.Kind | None = None
    parent: int | None = Field(None, description="Only the direct children of this organisation.")
    q: str = Field("", max_length=100, description="Fragment of the name.")
