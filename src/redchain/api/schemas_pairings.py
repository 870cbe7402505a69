"""Request and response shapes of the pairing endpoints (``/api/v1/pairings``, ``pairing-promises``,
``pairing-projects``). States and kinds are codes, as in ``schemas``; money is in 万元 (``*_wan``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from redchain.api.schemas import Ref
from redchain.pairings.models import Pairing, PairingProject, PairingPromise


class PairingFilters(Schema):
    zone: int | None = Field(None, description="Zone id.")
    department: int | None = Field(None, description="Agency department id (owner of the agency party org).")
    partner_kind: Pairing.PartnerKind | None = None
    status: Pairing.Status | None = None
    mechanism: Pairing.Mechanism | None = None
    q: str = Field("", max_length=100, description="Fragment of the name or the goals.")


class PairingCounts(Schema):
    promise_count: int
    delivered_count: int = Field(..., description="Promises delivered in full.")
    overdue_count: int = Field(..., description="Promises not delivered in full and past their due date.")
    funds_promised_wan: Decimal
    funds_delivered_wan: Decimal
    project_count: int
    projects_planned: int
    projects_in_progress: int
    projects_done: int
    projects_stalled: int


class PairingOut(PairingCounts):
    id: int
    zone_id: int
    name: str
    agency_org: Ref
    agency_department: Ref | None
    partner_kind: str
    partner: str = Field(..., description="The partner's name, whatever its kind.")
    partner_enterprise_id: int | None
    partner_party_org_id: int | None
    mechanism: str
    status: str
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_agency_department(obj: Pairing) -> Ref | None:
        department = obj.agency_org.owner_department
        return Ref(id=department.pk, name=department.name) if department else None

    @staticmethod
    def resolve_partner(obj: Pairing) -> str:
        return obj.partner_label


class PromiseOut(Schema):
    id: int
    pairing_id: int
    kind: str
    description: str
    amount_wan: Decimal | None
    promised_on: date
    due_on: date
    status: str
    is_overdue: bool
    delivered_on: date | None
    delivered_amount_wan: Decimal
    delivery_note: str


class ProjectOut(Schema):
    id: int
    pairing_id: int
    title: str
    kind: str
    status: str
    started_on: date | None
    completed_on: date | None
    investment_wan: Decimal
    beneficiaries: int
    beneficiary_unit: str
    outcome: str


class PairingDetailOut(PairingOut):
    goals: str
    end_note: str
    promises: list[PromiseOut]
    projects: list[ProjectOut]

    @staticmethod
    def resolve_promises(obj: Pairing) -> list:
        return list(obj.promises.all())

    @staticmethod
    def resolve_projects(obj: Pairing) -> list:
        return list(obj.projects.all())


class PairingIn(Schema):
    agency_org: int = Field(
        ..., description="Id of a department-owned party organisation the caller may pair."
    )
    partner_kind: Pairing.PartnerKind
    partner_enterprise: int | None = Field(None, description="Enterprise id, for `enterprise` partners.")
    partner_party_org: int | None = Field(
        None, description="Party org id, for `branch` partners (optional for villages and communities)."
    )
    partner_name: str = Field("", max_length=100, description="Name of the village or community.")
    mechanism: Pairing.Mechanism = Pairing.Mechanism.JOINT_BUILDING
    name: str = Field("", max_length=200, description="Defaults to the two parties' names.")
    goals: str = Field("", max_length=5000)
    started_on: date


class EndIn(Schema):
    ended_on: date
    note: str = Field("", max_length=5000)


class PromiseIn(Schema):
    kind: PairingPromise.Kind
    description: str = Field(..., min_length=1, max_length=300)
    amount_wan: Decimal | None = Field(None, ge=0, description="Needed for `funds`.")
    promised_on: date
    due_on: date


class DeliverIn(Schema):
    delivered_on: date
    amount_wan: Decimal | None = Field(None, ge=0, description="Needed for `funds`; deliveries add up.")
    note: str = Field("", max_length=500)
    complete: bool = Field(True, description="For kinds other than funds: delivered in full.")


class ProjectIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: PairingProject.Kind
    started_on: date | None = Field(None, description="The planned start.")
    investment_wan: Decimal = Field(Decimal("0"), ge=0)
    beneficiaries: int = Field(0, ge=0)
    beneficiary_unit: PairingProject.BeneficiaryUnit = PairingProject.BeneficiaryUnit.PEOPLE


class ProjectStatusIn(Schema):
    status: PairingProject.Status
    on: date | None = Field(None, description="The day it started (from planned) or was completed (done).")
    outcome: str | None = Field(None, max_length=5000)
    investment_wan: Decimal | None = Field(None, ge=0)
    beneficiaries: int | None = Field(None, ge=0)
