"""Pairings built on the shared ``world``, through the services so the audit trail is real.

``pairing_set(world)`` gives zone A: hannah's department branch (A1) paired with firm X, with firm Y's branch
and with a village; harry's department branch (A2) paired with a community; and a zone B pairing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from redchain.orgs import services as org_services
from redchain.orgs.models import Department, PartyOrg
from redchain.pairings import services
from redchain.pairings.models import Pairing, PairingProject, PairingPromise

START = date(2025, 1, 6)


@dataclass
class PairingSet:
    with_x: Pairing
    with_branch_y: Pairing
    with_village: Pairing
    a2_with_community: Pairing
    other_zone: Pairing
    branch_a2: PartyOrg
    promise: PairingPromise
    project: PairingProject


def department_branch(zone, department: Department, name: str) -> PartyOrg:
    committee = PartyOrg.objects.get(zone=zone, kind=PartyOrg.Kind.WORKING_COMMITTEE)
    return org_services.party_org_create(
        actor=None,
        zone=zone,
        parent=committee,
        name=name,
        kind=PartyOrg.Kind.BRANCH,
        owner_kind="department",
        owner_department=department,
    )


def pairing(world, *, agency=None, **kwargs) -> Pairing:
    defaults = {"partner_kind": "village", "partner_name": "龙泉村", "started_on": START}
    return services.pairing_create(
        actor=None, zone=world.zone, agency_org=agency or world.branch_a1, **{**defaults, **kwargs}
    )


def pairing_set(world) -> PairingSet:
    branch_a2 = department_branch(world.zone, world.dept_a2, "市场监管局党支部")
    other_agency = department_branch(world.other_zone, world.other_department, "乙区企业服务局党支部")
    with_x = pairing(world, partner_kind="enterprise", partner_name="", partner_enterprise=world.firm_x)
    promise = services.promise_add(
        actor=None,
        pairing=with_x,
        kind="funds",
        description="党群服务中心改造经费",
        amount_wan=Decimal("20"),
        promised_on=date(2025, 2, 1),
        due_on=date(2025, 3, 1),
    )
    project = services.project_add(actor=None, pairing=with_x, title="四点半课堂", kind="public_service")
    return PairingSet(
        with_x=with_x,
        with_branch_y=pairing(
            world, partner_kind="branch", partner_name="", partner_party_org=world.branch_y
        ),
        with_village=pairing(world),
        a2_with_community=pairing(world, agency=branch_a2, partner_kind="community", partner_name="锦绣社区"),
        other_zone=services.pairing_create(
            actor=None,
            zone=world.other_zone,
            agency_org=other_agency,
            partner_kind="enterprise",
            partner_enterprise=world.other_firm,
            started_on=START,
        ),
        branch_a2=branch_a2,
        promise=promise,
        project=project,
    )
