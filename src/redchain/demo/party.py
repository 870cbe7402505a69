"""The party-organisation tree of the demo zone, about 80 organisations under the working committee.

Shape, as in the seed zones: the working committee (党工委) at the root; an organs committee (机关党委) with
a branch per department; each chain leader's own party committee with branches and party groups; a
non-public enterprise committee (非公有制企业综合党委) over the general branches and branches of the
bigger firms and the joint branches (联合党支部) of the small ones; the villages and communities.
Members are written afterwards by :mod:`redchain.demo.members` from the :class:`Staffing` recorded here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.orgs.models import Department, Enterprise, PartyOrg, Zone
from redchain.orgs.services import party_org_create

Kind = PartyOrg.Kind
OWN_BRANCH_FIRMS = 10
GENERAL_BRANCH_FIRMS = 3
# The two largest chain leaders run sites big enough for party groups under their first branch.
LEADERS_WITH_GROUPS = {"nev": 3, "equipment": 2}


@dataclass
class Staffing:
    """The members an organisation will get: how many, of which profile, working where."""

    org: PartyOrg
    size: int
    profile: str  # officers, enterprise, department, village or community
    secretary: tuple[str, str] | None
    employers: list[Enterprise] = field(default_factory=list)


@dataclass
class PartyTree:
    """The built tree, with the handles the alliance builder needs."""

    committee: PartyOrg
    staffing: list[Staffing] = field(default_factory=list)
    enterprise_orgs: dict[int, PartyOrg] = field(default_factory=dict)  # enterprise id -> its top org
    department_orgs: dict[str, PartyOrg] = field(default_factory=dict)  # department name -> its branch
    joint_orgs: dict[str, PartyOrg] = field(default_factory=dict)  # chain code -> joint branch


class _TreeBuilder:
    """Creates organisations through the service and records who will staff them."""

    def __init__(self, *, zone: Zone, fakes: Fakes) -> None:
        self.zone = zone
        self.fakes = fakes
        self.brand_pools = self._brand_pools()
        committee = party_org_create(
            actor=None,
            zone=zone,
            name=data.COMMITTEE_NAME,
            kind=Kind.WORKING_COMMITTEE,
            secretary=data.COMMITTEE_SECRETARY[0],
            founded_on=data.COMMITTEE_FOUNDED,
        )
        self.tree = PartyTree(committee=committee)
        self.tree.staffing.append(Staffing(committee, 5, "officers", data.COMMITTEE_SECRETARY))

    def _brand_pools(self) -> dict[str, list[tuple[str, str]]]:
        pools = {spec.code: list(spec.brands) for spec in data.CHAINS}
        pools.update(
            enterprise=list(data.ENTERPRISE_BRANDS),
            joint=list(data.JOINT_BRANCH_BRANDS),
            village=list(data.VILLAGE_BRANDS),
            community=list(data.COMMUNITY_BRANDS),
        )
        for pool in pools.values():
            self.fakes.rng.shuffle(pool)
        return pools

    def org(
        self,
        *,
        parent: PartyOrg,
        name: str,
        kind: str,
        size: int,
        profile: str,
        founded: date,
        extra: dict[str, Any] | None = None,
        employers: list[Enterprise] | None = None,
        brands: tuple[str, ...] = (),
        brand_share: float = 0.6,
    ) -> PartyOrg:
        """Create one organisation below ``parent``; branches get a rating and, often, a brand."""
        secretary = None if kind == Kind.GROUP else self.fakes.person(male_share=0.75)
        fields = {"founded_on": min(founded, data.AS_OF), "secretary": secretary[0] if secretary else ""}
        if kind in (Kind.BRANCH, Kind.GENERAL_BRANCH):
            fields["rating"] = self.fakes.weighted(data.RATINGS)
            if brands and self.fakes.chance(brand_share):
                fields |= self._brand(brands)
        org = party_org_create(
            actor=None, zone=self.zone, parent=parent, name=name, kind=kind, **fields, **(extra or {})
        )
        self.tree.staffing.append(Staffing(org, size, profile, secretary, employers or []))
        return org

    def _brand(self, pool_names: tuple[str, ...]) -> dict[str, str]:
        """The next unused brand of the first pool that has one left (each brand is used once)."""
        for pool_name in pool_names:
            pool = self.brand_pools.get(pool_name)
            if pool:
                brand, description = pool.pop()
                return {"brand_name": brand, "brand_description": description}
        return {}


def build_party_tree(
    *,
    zone: Zone,
    departments: dict[str, Department],
    firms_by_chain: dict[str | None, list[Enterprise]],
    fakes: Fakes,
) -> PartyTree:
    """Create the whole tree; returns it with the staffing plan for the members."""
    fakes.stage("party-tree")
    builder = _TreeBuilder(zone=zone, fakes=fakes)
    root = builder.tree.committee
    _organs(builder, root, departments)
    for spec in data.CHAINS:
        _leader_committee(builder, root, spec, firms_by_chain[spec.code][0])
    _non_public(builder, root, firms_by_chain)
    _villages(builder, root)
    _communities(builder, root)
    return builder.tree


def _organs(builder: _TreeBuilder, root: PartyOrg, departments: dict[str, Department]) -> None:
    fakes = builder.fakes
    organs = builder.org(
        parent=root,
        name="锦城经济技术开发区机关党委",
        kind=Kind.COMMITTEE,
        size=3,
        profile="officers",
        founded=date(2011, 3, 1),
    )
    for name, department in departments.items():
        if name in data.DEPARTMENTS_WITHOUT_BRANCH:
            continue
        size = fakes.between(8, 16) if department.kind == Department.Kind.UTILITY else fakes.between(6, 13)
        brand = data.DEPARTMENT_BRANDS.get(name)
        branch = builder.org(
            parent=organs,
            name=f"{name}党支部",
            kind=Kind.BRANCH,
            size=size,
            profile="department",
            founded=fakes.day_between(date(2011, 6, 1), date(2019, 6, 30)),
            extra={
                "owner_kind": PartyOrg.OwnerKind.DEPARTMENT,
                "owner_department": department,
                **({"brand_name": brand[0], "brand_description": brand[1]} if brand else {}),
            },
        )
        builder.tree.department_orgs[name] = branch


def _firm_owner(firm: Enterprise) -> dict[str, Any]:
    return {"owner_kind": PartyOrg.OwnerKind.ENTERPRISE, "owner_enterprise": firm}


def _after(day: date | None, fakes: Fakes, *, years: int = 3) -> date:
    """A day some months to ``years`` years after ``day`` (the zone's founding when ``day`` is unknown)."""
    return (day or data.COMMITTEE_FOUNDED) + timedelta(days=fakes.between(120, 365 * years))


def _leader_committee(
    builder: _TreeBuilder, root: PartyOrg, spec: data.ChainSpec, leader: Enterprise
) -> None:
    fakes = builder.fakes
    founded = _after(leader.established_on, fakes, years=2)
    committee = builder.org(
        parent=root,
        name=f"{leader.name}党委",
        kind=Kind.COMMITTEE,
        size=4,
        profile="officers",
        founded=founded,
        extra=_firm_owner(leader),
    )
    builder.tree.enterprise_orgs[leader.pk] = committee
    big = spec.code == data.CHAINS[0].code
    for position, unit in enumerate(spec.leader_units):
        groups = data.LEADER_GROUPS[: LEADERS_WITH_GROUPS.get(spec.code, 0)] if position == 0 else ()
        # A branch split into groups keeps only its committee; the rank and file sit in the groups.
        size = 5 if groups else (fakes.between(16, 26) if big else fakes.between(10, 18))
        branch = builder.org(
            parent=committee,
            name=f"{unit}党支部",
            kind=Kind.BRANCH,
            size=size,
            profile="officers" if groups else "enterprise",
            founded=_after(founded, fakes),
            extra=_firm_owner(leader),
            employers=[leader],
            brands=(spec.code, "enterprise"),
            brand_share=0.75,
        )
        for group in groups:
            builder.org(
                parent=branch,
                name=group,
                kind=Kind.GROUP,
                size=fakes.between(6, 9),
                profile="enterprise",
                founded=_after(branch.founded_on, fakes, years=1),
                extra=_firm_owner(leader),
                employers=[leader],
            )


def _non_public(
    builder: _TreeBuilder, root: PartyOrg, firms_by_chain: dict[str | None, list[Enterprise]]
) -> None:
    """Bigger firms get a general branch or a branch; the small ones of three parks share joint branches."""
    fakes = builder.fakes
    committee = builder.org(
        parent=root,
        name="锦城经济技术开发区非公有制企业综合党委",
        kind=Kind.COMMITTEE,
        size=3,
        profile="officers",
        founded=date(2013, 7, 1),
    )
    chain_codes = {firm.pk: code for code, firms in firms_by_chain.items() if code for firm in firms}
    others = [firm for code, firms in firms_by_chain.items() if code for firm in firms[1:]]
    big = sorted(
        (f for f in others if f.scale == Enterprise.Scale.ABOVE), key=lambda f: (-(f.employees or 0), f.uscc)
    )
    for firm in big[:GENERAL_BRANCH_FIRMS]:
        _general_branch(builder, committee, firm, chain_codes[firm.pk])
    for firm in fakes.rng.sample(big[GENERAL_BRANCH_FIRMS:], OWN_BRANCH_FIRMS):
        branch = builder.org(
            parent=committee,
            name=f"{firm.name}党支部",
            kind=Kind.BRANCH,
            size=fakes.between(4, 11),
            profile="enterprise",
            founded=_after(firm.established_on, fakes),
            extra=_firm_owner(firm),
            employers=[firm],
            brands=(chain_codes[firm.pk], "enterprise"),
        )
        builder.tree.enterprise_orgs[firm.pk] = branch
    for spec in data.CHAINS:
        if spec.code in data.JOINT_BRANCH_CHAINS:
            small = [f for f in firms_by_chain[spec.code] if f.pk not in builder.tree.enterprise_orgs]
            builder.tree.joint_orgs[spec.code] = builder.org(
                parent=committee,
                name=f"{data.ZONE_SHORT}{spec.park}联合党支部",
                kind=Kind.BRANCH,
                size=fakes.between(7, 12),
                profile="enterprise",
                founded=fakes.day_between(date(2018, 1, 1), date(2022, 6, 30)),
                employers=small,
                brands=("joint",),
            )


def _general_branch(
    builder: _TreeBuilder, parent: PartyOrg, firm: Enterprise, chain_code: str | None
) -> None:
    fakes = builder.fakes
    founded = _after(firm.established_on, fakes)
    brands = (chain_code or "enterprise", "enterprise")
    general = builder.org(
        parent=parent,
        name=f"{firm.name}党总支",
        kind=Kind.GENERAL_BRANCH,
        size=3,
        profile="officers",
        founded=founded,
        extra=_firm_owner(firm),
        brands=brands,
    )
    builder.tree.enterprise_orgs[firm.pk] = general
    for unit in ("第一党支部", "第二党支部"):
        builder.org(
            parent=general,
            name=unit,
            kind=Kind.BRANCH,
            size=fakes.between(6, 12),
            profile="enterprise",
            founded=_after(founded, fakes),
            extra=_firm_owner(firm),
            employers=[firm],
            brands=brands,
            brand_share=0.3,
        )


def _villages(builder: _TreeBuilder, root: PartyOrg) -> None:
    fakes = builder.fakes
    for position, place in enumerate(data.VILLAGES):
        owner = {"owner_kind": PartyOrg.OwnerKind.VILLAGE, "owner_place": place}
        # The largest village organises its members in two party groups by natural village.
        groups = data.LEADER_GROUPS[:2] if position == 0 else ()
        branch = builder.org(
            parent=root,
            name=f"{place}党支部",
            kind=Kind.BRANCH,
            size=7 if groups else fakes.between(16, 26),
            profile="village",
            founded=fakes.day_between(date(1952, 1, 1), date(1980, 12, 31)),
            extra=owner,
            brands=("village",),
            brand_share=0.5,
        )
        for group in groups:
            builder.org(
                parent=branch,
                name=group,
                kind=Kind.GROUP,
                size=fakes.between(8, 12),
                profile="village",
                founded=_after(branch.founded_on, fakes, years=10),
                extra=owner,
            )


def _communities(builder: _TreeBuilder, root: PartyOrg) -> None:
    fakes = builder.fakes
    for place in data.COMMUNITIES:
        owner = {"owner_kind": PartyOrg.OwnerKind.COMMUNITY, "owner_place": place}
        founded = fakes.day_between(date(2003, 1, 1), date(2014, 12, 31))
        if place != data.GENERAL_BRANCH_COMMUNITY:
            builder.org(
                parent=root,
                name=f"{place}党支部",
                kind=Kind.BRANCH,
                size=fakes.between(10, 18),
                profile="community",
                founded=founded,
                extra=owner,
                brands=("community",),
                brand_share=0.5,
            )
            continue
        general = builder.org(
            parent=root,
            name=f"{place}党总支",
            kind=Kind.GENERAL_BRANCH,
            size=3,
            profile="officers",
            founded=founded,
            extra=owner,
            brands=("community",),
        )
        for unit in ("第一党支部", "第二党支部"):
            builder.org(
                parent=general,
                name=f"{place}{unit}",
                kind=Kind.BRANCH,
                size=fakes.between(10, 16),
                profile="community",
                founded=_after(founded, fakes),
                extra=owner,
            )
