"""Visits for the tests, written through the services (the system as actor, so any visitor may be named)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from redchain.visits import services
from redchain.visits.models import Visit, VisitFinding


def make_visit(
    *, visitor, enterprise, days_ago: int = 1, summary: str = "企业生产经营正常。", **fields
) -> Visit:
    return services.visit_create(
        actor=None,
        visitor=visitor,
        enterprise=enterprise,
        visited_on=timezone.localdate() - dt.timedelta(days=days_ago),
        summary=summary,
        **fields,
    )


def make_finding(visit: Visit, title: str = "新厂房用电增容", **fields) -> VisitFinding:
    return services.finding_create(actor=None, visit=visit, title=title, **fields)


@dataclass
class Scene:
    """Zone A: hannah (department A1) visited firm X and found a problem; harry (A2) visited firms Y and Z.
    Zone B: zara visited firm W."""

    a1_x: Visit
    a2_y: Visit
    a2_z: Visit
    other: Visit
    finding_x: VisitFinding
    finding_y: VisitFinding
    finding_other: VisitFinding


def build_scene(world) -> Scene:
    a1_x = make_visit(
        visitor=world.hannah, enterprise=world.firm_x, internal_note="企业负责人对园区道路有意见。"
    )
    a2_y = make_visit(visitor=world.harry, enterprise=world.firm_y, days_ago=3)
    a2_z = make_visit(visitor=world.harry, enterprise=world.firm_z, days_ago=40)
    other = make_visit(visitor=world.zara, enterprise=world.other_firm)
    return Scene(
        a1_x=a1_x,
        a2_y=a2_y,
        a2_z=a2_z,
        other=other,
        finding_x=make_finding(a1_x, detail="新厂房投产需要增容 800 千伏安。", urgency="urgent"),
        finding_y=make_finding(a2_y, title="员工通勤公交线路不足"),
        finding_other=make_finding(other, title="乙区企业的问题"),
    )
