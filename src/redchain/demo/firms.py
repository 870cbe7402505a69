"""Enterprises of the demo zone: a 链主 per chain, about 140 firms along the chains and a few service firms.

Firms are planned first (chain, segment, trade, role), then ranked so that exactly the top 30 % are 规上
(the share of the seed zones), and only then given the details that depend on size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.orgs.models import Enterprise, IndustryChain, Qualification, Zone
from redchain.orgs.services import enterprise_create

ABOVE_SCALE_SHARE = 0.30
SEGMENT_WEIGHTS = (("upstream", 4), ("midstream", 4), ("downstream", 2))
KEY_FIRM_SHARE = 0.2
CAPITAL_ABOVE_WAN = (2000, 3000, 5000, 6000, 8000, 10000, 12000, 20000, 30000)
CAPITAL_BELOW_WAN = (50, 100, 200, 300, 500, 800, 1000, 1500, 2000)


@dataclass
class FirmPlan:
    """What is known of a firm before it is written: enough to rank it, then to fill in its details."""

    spec: data.ChainSpec | None
    segment: str
    word: str
    industry: str
    chain_role: str
    score: float
    leader: data.LeaderSpec | None = None
    name: str = ""
    scale: str = Enterprise.Scale.BELOW
    fields: dict[str, Any] = field(default_factory=dict)


def build_enterprises(
    *, zone: Zone, chains: dict[str, IndustryChain], fakes: Fakes
) -> dict[str | None, list[Enterprise]]:
    """Create the zone's enterprises; return them by chain code (``None``: on no chain), leader first."""
    plans = plan_firms(fakes)
    by_chain: dict[str | None, list[Enterprise]] = {}
    for plan in plans:
        code = plan.spec.code if plan.spec else None
        chain = chains[code] if code else None
        firm = enterprise_create(actor=None, zone=zone, chain=chain, **plan.fields)
        by_chain.setdefault(code, []).append(firm)
    return by_chain


def plan_firms(fakes: Fakes) -> list[FirmPlan]:
    """Every firm of the zone, with all the fields :func:`enterprise_create` takes; no database access."""
    fakes.stage("enterprises")
    plans = [plan for spec in data.CHAINS for plan in _chain_plans(spec, fakes)]
    plans += [
        FirmPlan(
            spec=None,
            segment="",
            word="",
            industry=industry,
            chain_role="",
            score=fakes.rng.random(),
            name=name,
        )
        for name, industry in data.UNCHAINED_FIRMS
    ]
    ranked = sorted(plans, key=lambda plan: plan.score, reverse=True)
    for plan in ranked[: round(len(plans) * ABOVE_SCALE_SHARE)]:
        plan.scale = Enterprise.Scale.ABOVE
    for plan in plans:
        plan.name = plan.name or _firm_name(plan, fakes)
        plan.fields = _details(plan, fakes)
    return plans


def _chain_plans(spec: data.ChainSpec, fakes: Fakes) -> list[FirmPlan]:
    leader = spec.leader
    plans = [
        FirmPlan(
            spec=spec,
            segment=leader.segment,
            word="",
            industry=leader.industry,
            chain_role=Enterprise.ChainRole.LEADER,
            score=100.0,  # always 规上
            leader=leader,
            name=leader.name,
        )
    ]
    for _ in range(spec.firms):
        segment = fakes.weighted(SEGMENT_WEIGHTS)
        word, industry = fakes.pick(spec.trades[segment])
        is_key = fakes.chance(KEY_FIRM_SHARE)
        role = Enterprise.ChainRole.KEY if is_key else Enterprise.ChainRole.MEMBER
        # Key supporting firms are usually the bigger ones, so they rank higher for 规上.
        score = fakes.rng.random() + (0.45 if is_key else 0)
        plans.append(
            FirmPlan(spec=spec, segment=segment, word=word, industry=industry, chain_role=role, score=score)
        )
    return plans


def _firm_name(plan: FirmPlan, fakes: Fakes) -> str:
    above = plan.scale == Enterprise.Scale.ABOVE
    suffixes = data.FIRM_SUFFIXES if above else (("有限公司", 80), ("有限责任公司", 20))

    def draw() -> str:
        return (
            fakes.weighted(data.FIRM_PLACES)
            + fakes.pick(data.FIRM_BRANDS)
            + plan.word
            + fakes.weighted(suffixes)
        )

    return fakes.unique_name(draw)


def _details(plan: FirmPlan, fakes: Fakes) -> dict[str, Any]:
    above = plan.scale == Enterprise.Scale.ABOVE
    established = plan.leader.established if plan.leader else _established(above, fakes)
    legal_representative, _ = fakes.person(male_share=0.82)
    contact_name, _ = fakes.person(male_share=0.55)
    return {
        "name": plan.name,
        "uscc": fakes.credit_code(
            division=fakes.weighted(data.REGISTRATION_DIVISIONS), established=established
        ),
        "scale": plan.scale,
        "segment": plan.segment,
        "chain_role": plan.chain_role,
        "industry": plan.industry,
        "employees": plan.leader.employees if plan.leader else _employees(above, fakes),
        "registered_capital_wan": Decimal(plan.leader.capital_wan if plan.leader else _capital(above, fakes)),
        "land_area_mu": _land(plan, above, fakes),
        "established_on": established,
        "legal_representative": legal_representative,
        "address": _address(plan, fakes),
        "contact_name": contact_name,
        "contact_phone": fakes.mobile(),
        "qualifications": _qualifications(plan, above, fakes),
    }


def _established(above: bool, fakes: Fakes) -> date:
    start = date(2003, 1, 1) if above else date(2010, 1, 1)
    end = date(2021, 12, 31) if above else date(2024, 12, 31)
    return fakes.day_between(start, end)


def _employees(above: bool, fakes: Fakes) -> int:
    # 规上 industrial firms have at least 20 million yuan of revenue, which rarely comes with under 80 staff.
    return fakes.between(80, 1200) if above else fakes.between(6, 95)


def _capital(above: bool, fakes: Fakes) -> int:
    return fakes.pick(CAPITAL_ABOVE_WAN if above else CAPITAL_BELOW_WAN)


def _land(plan: FirmPlan, above: bool, fakes: Fakes) -> Decimal | None:
    if plan.leader:
        return Decimal(plan.leader.land_mu) if plan.leader.land_mu is not None else None
    # Software houses and small firms rent offices or standard factory floors and hold no land of their own.
    if plan.spec is None or not plan.spec.needs_land or (not above and fakes.chance(0.35)):
        return None
    low, high = (30, 320) if above else (5, 45)
    return Decimal(fakes.between(low * 100, high * 100)) / 100


def _address(plan: FirmPlan, fakes: Fakes) -> str:
    park = plan.spec.park if plan.spec else ""
    return f"{data.ZONE_SHORT}{park}{fakes.pick(data.ROADS)}{fakes.between(1, 299)}号"


def _qualifications(plan: FirmPlan, above: bool, fakes: Fakes) -> list[str]:
    """High-tech status where the trade is technical; 专精特新 and the little giants among mid-sized firms."""
    if plan.spec is None:
        return []
    rate = plan.spec.high_tech_rate
    kinds: list[str] = []
    if (plan.leader and rate >= 0.25) or (not plan.leader and fakes.chance(rate * (1.7 if above else 0.8))):
        kinds.append(Qualification.HIGH_TECH)
    # 专精特新 is for small and medium firms: never the chain leader, rarer in trade and logistics.
    if not plan.leader and rate >= 0.08 and fakes.chance(0.24 if above else 0.09):
        kinds.append(Qualification.SPECIALISED)
        if fakes.chance(0.07):
            kinds.append(Qualification.NATIONAL_GIANT)
        elif fakes.chance(0.2):
            kinds.append(Qualification.PROVINCIAL_GIANT)
    return kinds
