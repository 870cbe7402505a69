"""Small helpers that create party-life records through the services, as the system (``actor=None``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from redchain.partylife import services
from redchain.partylife.models import ActivityKind, BranchBrand, BranchRating, PartyActivity

JUNE = date(2025, 6, 1)


def activity(
    org, *, kind: str = ActivityKind.THEME_DAY, held_on: date = date(2025, 6, 12), **fields
) -> PartyActivity:
    fields.setdefault("title", f"{held_on.month}月主题党日")
    return services.activity_record(actor=None, org=org, kind=kind, held_on=held_on, **fields)


def brand(org, *, name: str = "红色引擎", established_year: int = 2021, **fields) -> BranchBrand:
    return services.brand_create(actor=None, org=org, name=name, established_year=established_year, **fields)


def rating(org, *, year: int = 2024, score: str = "92.5", rated_on: date = date(2025, 1, 20)) -> BranchRating:
    return services.rating_create(actor=None, org=org, year=year, score=Decimal(score), rated_on=rated_on)


def monthly_theme_day_rule(zone):
    return services.cadence_rule_save(
        actor=None, zone=zone, kind=ActivityKind.THEME_DAY, every_months=1, org_kinds=["branch"]
    )
