"""The 一核多堡 (core and bastions) graph: the working committee at the centre, alliances around it,
and each alliance's member units around the alliance. Shaped for an ECharts ``graph`` series."""

from __future__ import annotations

from django.utils.translation import gettext as _

from redchain.orgs import selectors
from redchain.orgs.models import AllianceMember, PartyOrg

# Category order is the legend order; index 0 is the core.
CATEGORY_KEYS = ["core", "alliance", *AllianceMember.Kind.values]


def _categories() -> list[dict]:
    labels = {
        "core": _("Core: working committee"),
        "alliance": _("Alliance"),
        **dict(AllianceMember.Kind.choices),
    }
    return [{"name": str(labels[key])} for key in CATEGORY_KEYS]


def matrix_graph(*, user, zone) -> dict:
    """Nodes and links for the user's zone, in three queries."""
    # The working committee's name is part of the zone's public structure, like the alliances it leads,
    # so it is shown to every zone member even when their scope does not reach the org record itself.
    core = PartyOrg.objects.filter(zone=zone, kind=PartyOrg.Kind.WORKING_COMMITTEE).first()
    core_name = core.name if core else _("Party working committee")
    nodes = [{"id": "core", "name": core_name, "category": 0, "symbolSize": 70, "value": ""}]
    links = []
    alliances = list(selectors.alliance_list(user=user, zone_id=zone.pk))
    members = AllianceMember.objects.filter(alliance__in=alliances).select_related(
        "party_org", "enterprise", "department"
    )
    by_alliance: dict[int, list[AllianceMember]] = {}
    for member in members:
        by_alliance.setdefault(member.alliance_id, []).append(member)
    for alliance in alliances:
        alliance_id = f"a{alliance.pk}"
        nodes.append(
            {
                "id": alliance_id,
                "name": alliance.name,
                "category": 1,
                "symbolSize": 44,
                "value": alliance.chain.name,
            }
        )
        links.append({"source": "core", "target": alliance_id})
        for member in by_alliance.get(alliance.pk, []):
            member_id = f"m{member.pk}"
            nodes.append(
                {
                    "id": member_id,
                    "name": member.display_name,
                    "category": CATEGORY_KEYS.index(member.kind),
                    "symbolSize": 22 if member.role == AllianceMember.Role.LEAD else 14,
                    "value": str(member.get_role_display()),
                }
            )
            links.append({"source": alliance_id, "target": member_id})
    return {"nodes": nodes, "links": links, "categories": _categories()}
