"""The default demand categories and deadline policies of a zone, seeded by :func:`ensure_defaults`.

The tree follows the categories that Zhongshan's 企业诉求马上办 and the 12345 platform sort business demands
into (seed report 004); each category names the department that usually handles it, looked up by name in the
zone, so a zone without that department simply gets no default. The policies are the zone default
(contact within 1 working hour, interim reply in 3 working days, closure in 5) and the dispositions that run
on other clocks: 马上办 is faster, 协调办 and 报告办 take longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from redchain.audit.services import audit_record
from redchain.demands.models import Category, DeadlinePolicy, Disposition
from redchain.orgs.models import Department, Zone


@dataclass(frozen=True)
class CategorySpec:
    """One node of the default tree: Chinese name, stable code, usual department, children."""

    name: str
    code: str
    department: str = ""
    children: tuple[CategorySpec, ...] = ()


def _leaf(name: str, code: str, department: str = "") -> CategorySpec:
    return CategorySpec(name=name, code=code, department=department)


CATEGORY_TREE: tuple[CategorySpec, ...] = (
    CategorySpec(
        "财税",
        "tax-finance",
        "企业服务局",
        (_leaf("税收政策", "tax-policy", "税务局"), _leaf("财政奖补", "subsidies", "财政局")),
    ),
    CategorySpec("用地用房", "land-premises", "自然资源局"),
    CategorySpec(
        "融资",
        "financing",
        "企业服务局",
        (_leaf("贷款", "loans", "企业服务局"), _leaf("担保", "guarantees", "企业服务局")),
    ),
    CategorySpec("用工招聘", "labour", "人力资源和社会保障局"),
    CategorySpec("审批手续", "approvals", "行政审批局"),
    CategorySpec(
        "水电气",
        "utilities",
        "企业服务局",
        (
            _leaf("用电", "electricity", "供电公司"),
            _leaf("用水", "water", "供水公司"),
            _leaf("用气", "gas", "燃气公司"),
        ),
    ),
    CategorySpec("环保", "environment", "生态环境分局"),
    CategorySpec("安全生产", "work-safety", "应急管理局"),
    CategorySpec("知识产权", "intellectual-property", "科技局"),
    CategorySpec("物流交通", "logistics-traffic", "公安分局"),
    CategorySpec("市场监管", "market-regulation", "市场监督管理局"),
    CategorySpec("其他", "other", "企业服务局"),
)


@dataclass(frozen=True)
class PolicySpec:
    """Time limits of one disposition ("" is the zone default)."""

    disposition: str
    contact_hours: Decimal
    interim_days: int
    close_days: int


POLICIES: tuple[PolicySpec, ...] = (
    PolicySpec("", Decimal(1), 3, 5),
    PolicySpec(Disposition.IMMEDIATE, Decimal(1), 1, 2),
    PolicySpec(Disposition.COORDINATED, Decimal(2), 3, 10),
    PolicySpec(Disposition.REPORTED, Decimal(2), 3, 15),
)


@transaction.atomic
def ensure_defaults(*, zone: Zone, actor=None) -> dict[str, Category]:
    """Create whichever default categories and policies the zone lacks; returns the categories by code.

    Idempotent: an existing category (matched by code) or policy (matched by disposition) is left as the
    zone has edited it.
    """
    departments = dict(Department.objects.filter(zone=zone).values_list("name", "id"))
    existing = {category.code: category for category in Category.objects.filter(zone=zone)}
    for position, spec in enumerate(CATEGORY_TREE, start=1):
        parent = _ensure_category(zone, spec, None, position, existing, departments, actor)
        for child_position, child in enumerate(spec.children, start=1):
            _ensure_category(zone, child, parent, child_position, existing, departments, actor)
    _ensure_policies(zone, actor)
    return existing


def _ensure_category(zone, spec, parent, position, existing, departments, actor) -> Category:
    if spec.code in existing:
        return existing[spec.code]
    category = Category.objects.create(
        zone=zone,
        parent=parent,
        name=spec.name,
        code=spec.code,
        default_department_id=departments.get(spec.department),
        position=position,
    )
    audit_record(
        actor=actor, action="demand_category.create", obj=category, changes={"name": [None, spec.name]}
    )
    existing[spec.code] = category
    return category


def _ensure_policies(zone: Zone, actor) -> None:
    present = set(
        DeadlinePolicy.objects.filter(zone=zone, category__isnull=True).values_list("disposition", flat=True)
    )
    for spec in POLICIES:
        if spec.disposition in present:
            continue
        policy = DeadlinePolicy.objects.create(
            zone=zone,
            disposition=spec.disposition,
            contact_hours=spec.contact_hours,
            interim_days=spec.interim_days,
            close_days=spec.close_days,
        )
        audit_record(
            actor=actor,
            action="deadline_policy.create",
            obj=policy,
            changes={"close_days": [None, spec.close_days]},
        )
