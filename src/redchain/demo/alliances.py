"""The seven party-building alliances (党建联盟), one per chain, led by the working committee (一核多堡).

Each alliance has member units of every kind: the chain leader and its party committee as lead units,
most firms of the chain with their party organisations, departments (one sending the 党建指导员), a
research institute or university and a bank, as in the Jinzhong report (seed 003).
"""

from __future__ import annotations

from datetime import date, timedelta

from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.demo.party import PartyTree
from redchain.orgs.models import (
    Alliance,
    AllianceMember,
    Department,
    Enterprise,
    IndustryChain,
    PartyOrg,
    Zone,
)
from redchain.orgs.services import alliance_create, alliance_member_add

Role = AllianceMember.Role
# Most firms of a chain have joined its alliance, a few newcomers not yet (seed 003: 140-odd firms).
JOIN_SHARE = 0.93
FIRST_FOUNDED = date(2021, 6, 18)


def build_alliances(
    *,
    zone: Zone,
    chains: dict[str, IndustryChain],
    firms_by_chain: dict[str | None, list[Enterprise]],
    departments: dict[str, Department],
    tree: PartyTree,
    fakes: Fakes,
) -> list[Alliance]:
    """Create the alliances in chain order with all their member units."""
    fakes.stage("alliances")
    alliances = []
    for position, spec in enumerate(data.CHAINS):
        founded = FIRST_FOUNDED + timedelta(days=24 * position)
        leader = firms_by_chain[spec.code][0]
        alliance = alliance_create(
            actor=None,
            zone=zone,
            chain=chains[spec.code],
            name=f"{spec.name}产业链党建联盟",
            brand=spec.alliance_brand,
            description=_description(spec, leader),
            founded_on=founded,
        )
        units = _Units(alliance=alliance, founded=founded, fakes=fakes)
        units.firms(firms_by_chain[spec.code], tree, joint=tree.joint_orgs.get(spec.code))
        units.departments(spec, departments, tree)
        units.add(kind=AllianceMember.Kind.INSTITUTE, external_name=spec.institute)
        units.add(kind=AllianceMember.Kind.FINANCE, external_name=spec.bank)
        alliances.append(alliance)
    return alliances


def _description(spec: data.ChainSpec, leader: Enterprise) -> str:
    return (
        f"由{leader.name}党委牵头，{spec.name}产业链上下游企业党组织、相关职能部门、{spec.institute}和{spec.bank}"
        "共同组建；实行民主协商制、反馈沟通制、资源共享制和双月工作例会制度，开展结盟立约、共建共享、助企纾困、"
        "先锋共育、示范引路、观摩交流等行动。"
    )


class _Units:
    """Adds member units to one alliance, the founding ones on its founding day and later ones after."""

    def __init__(self, *, alliance: Alliance, founded: date, fakes: Fakes) -> None:
        self.alliance = alliance
        self.founded = founded
        self.fakes = fakes

    def add(self, *, role: str = Role.MEMBER, joined: date | None = None, **target) -> AllianceMember:
        return alliance_member_add(
            actor=None, alliance=self.alliance, role=role, joined_on=joined or self.founded, **target
        )

    def later(self) -> date:
        """A day after the founding on which a unit joined (never after the demo's reference day)."""
        return min(self.founded + timedelta(days=self.fakes.between(30, 900)), data.AS_OF)

    def firms(self, firms: list[Enterprise], tree: PartyTree, *, joint: PartyOrg | None) -> None:
        leader, others = firms[0], firms[1:]
        self.add(role=Role.LEAD, enterprise=leader)
        self.add(role=Role.LEAD, party_org=tree.enterprise_orgs[leader.pk])
        for firm in others:
            if not self.fakes.chance(JOIN_SHARE):
                continue
            # Key supporting firms founded the alliance with the leader; about half the others joined later.
            founding = firm.chain_role == Enterprise.ChainRole.KEY or self.fakes.chance(0.5)
            joined = self.founded if founding else self.later()
            self.add(enterprise=firm, joined=joined)
            if firm.pk in tree.enterprise_orgs:
                self.add(party_org=tree.enterprise_orgs[firm.pk], joined=joined)
        if joint is not None:
            self.add(party_org=joint, joined=self.later())

    def departments(self, spec: data.ChainSpec, departments: dict[str, Department], tree: PartyTree) -> None:
        self.add(role=Role.INSTRUCTOR, department=departments[spec.instructor_department])
        for name in spec.member_departments:
            self.add(department=departments[name])
        # Department branches build the alliance together with the firms' branches (机关支部与企业支部共建).
        branch = tree.department_orgs.get(spec.instructor_department)
        if branch is not None:
            self.add(party_org=branch)
