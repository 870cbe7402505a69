"""Reading a zone into the :class:`~redchain.demo.scale.stories.Cast` its bulk-loaded stories are drawn from."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from redchain.accounts.models import Membership, Role
from redchain.demands import deadlines
from redchain.demands.defaults import ensure_defaults
from redchain.demands.models import Channel, Disposition, Supervision
from redchain.demo import data
from redchain.demo import data_demands as dd
from redchain.demo.scale.stories import Cast, Firm, Leaf
from redchain.orgs.models import AllianceMember, Department, Enterprise, Zone


class ZoneNotReady(ValueError):
    """The zone lacks what demands need (enterprises, departments)."""


def read_cast(zone: Zone) -> Cast:
    with transaction.atomic():
        categories = ensure_defaults(zone=zone)
    departments = dict(Department.objects.filter(zone=zone).order_by("id").values_list("id", "name"))
    firms = _firms(zone)
    if not departments or not firms:
        raise ZoneNotReady(
            f"Zone {zone.code} needs departments and enterprises before demands can be loaded "
            "(run `redchain demo` first, or create them)."
        )
    fallback = next(iter(departments))
    leaves = []
    for code, (weight, templates) in dd.TEMPLATES.items():
        category = categories.get(code)
        if category is None:
            continue
        parent = category.parent if category.parent_id else None
        department_id = category.default_department_id or (parent.default_department_id if parent else None)
        department_id = department_id if department_id in departments else fallback
        leaves.append(
            Leaf(
                category.pk,
                category.parent_id,
                code,
                templates,
                department_id,
                departments[department_id],
                weight,
            )
        )
    limits = {
        (leaf.id, disposition): deadlines.limits_for(
            zone_id=zone.pk, category_id=leaf.id, disposition=disposition
        )
        for leaf in leaves
        for disposition in Disposition.values
    }
    memberships = Membership.objects.filter(zone=zone).order_by("id")
    admin = memberships.filter(role=Role.ZONE_ADMIN).values_list("user_id", flat=True).first()
    handlers: dict[int, int] = {}
    for department_id, user_id in memberships.filter(role=Role.HANDLER).values_list(
        "department_id", "user_id"
    ):
        handlers.setdefault(department_id, user_id)
    with translation.override(settings.LANGUAGE_CODE):
        return Cast(
            zone_id=zone.pk,
            firms=firms,
            leaves=leaves,
            department_names=departments,
            admin_id=admin,
            handlers=handlers,
            limits=limits,
            roads=tuple(data.ROADS),
            channel_labels={value: str(label) for value, label in Channel.choices},
            disposition_labels={value: str(label) for value, label in Disposition.choices},
            supervision_label=str(Supervision.Source.DISPOSITION.label),
        )


def _firms(zone: Zone) -> list[Firm]:
    alliances: dict[int, list[int]] = {}
    members = AllianceMember.objects.filter(alliance__zone=zone, enterprise__isnull=False)
    for enterprise_id, alliance_id in members.order_by("alliance_id").values_list(
        "enterprise_id", "alliance_id"
    ):
        alliances.setdefault(enterprise_id, []).append(alliance_id)
    contacts: dict[int, tuple[int | None, str]] = {}
    rows = (
        Membership.objects.filter(zone=zone, role=Role.ENTERPRISE_CONTACT)
        .order_by("id")
        .values_list("enterprise_id", "user_id", "user__display_name")
    )
    for enterprise_id, user_id, name in rows:
        contacts.setdefault(enterprise_id, (user_id, name))
    firms = []
    for pk, name, chain_id, scale in (
        Enterprise.objects.filter(zone=zone).order_by("id").values_list("id", "name", "chain_id", "scale")
    ):
        contact_id, contact_name = contacts.get(pk, (None, ""))
        weight = 6 if scale == Enterprise.Scale.ABOVE else 2
        firms.append(Firm(pk, name, chain_id, tuple(alliances.get(pk, ())), contact_id, contact_name, weight))
    return firms
