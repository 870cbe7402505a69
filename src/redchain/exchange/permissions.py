"""Who may change which need, resource, match or project. Services ask here; views only use it to decide
which buttons to show. ``actor=None`` is the system (the demo loader, importers) and may do everything.
"""

from __future__ import annotations

from redchain.accounts.scope import scope_for


def _system(actor) -> bool:
    return actor is None


def instructs(actor, alliance_id: int | None) -> bool:
    return alliance_id is not None and alliance_id in scope_for(actor).alliance_ids


def instructs_chain(actor, chain_id: int) -> bool:
    """The instructor of the alliance built on this chain (chain-wide postings have no alliance)."""
    from redchain.orgs.models import Alliance

    alliances = scope_for(actor).alliance_ids
    return bool(alliances) and Alliance.objects.filter(id__in=alliances, chain_id=chain_id).exists()


def instructs_for(actor, listing) -> bool:
    return instructs(actor, listing.alliance_id) or (
        listing.alliance_id is None and instructs_chain(actor, listing.chain_id)
    )


def administers(actor, zone_id: int) -> bool:
    return scope_for(actor).administers(zone_id)


def owns(actor, listing) -> bool:
    """The owner's own people: the firm's contact, or the department's staff."""
    scope = scope_for(actor)
    if listing.owner_enterprise_id:
        return listing.owner_enterprise_id in scope.enterprise_ids
    if listing.owner_department_id:
        return listing.owner_department_id in scope.department_ids
    return False


def may_post(actor, *, zone_id: int, alliance_id: int | None, enterprise_id, department_id) -> bool:
    """Firms for themselves, departments for themselves, instructors for their alliance's members, admins."""
    if _system(actor) or administers(actor, zone_id):
        return True
    scope = scope_for(actor)
    if instructs(actor, alliance_id):
        return True
    if enterprise_id is not None:
        return enterprise_id in scope.enterprise_ids
    return department_id is not None and department_id in scope.department_ids


def may_manage_listing(actor, listing) -> bool:
    """Edit, withdraw or run the matcher: the owner, the alliance's instructor, the zone admin."""
    return (
        _system(actor)
        or administers(actor, listing.zone_id)
        or instructs_for(actor, listing)
        or owns(actor, listing)
    )


def may_propose_by_hand(actor, need) -> bool:
    return _system(actor) or administers(actor, need.zone_id) or instructs_for(actor, need)


def answers_for(actor, listing) -> bool:
    """Accepts or declines a match for this side: a firm only through its own contact; a department's or an
    institute's side also through the alliance's instructor or the zone admin."""
    if _system(actor) or owns(actor, listing):
        return True
    if listing.owner_enterprise_id:
        return False
    return administers(actor, listing.zone_id) or instructs_for(actor, listing)


def sides_answered_by(actor, match) -> list[str]:
    """ "need", "resource" or both: the sides of the match this actor answers for."""
    return [
        side
        for side, listing in (("need", match.need), ("resource", match.resource))
        if answers_for(actor, listing)
    ]


def may_close_match(actor, match) -> bool:
    return (
        bool(sides_answered_by(actor, match))
        or administers(actor, match.zone_id)
        or instructs(actor, match.alliance_id)
        or instructs_chain(actor, match.chain_id)
    )


def may_manage_projects(actor, alliance) -> bool:
    return _system(actor) or administers(actor, alliance.zone_id) or instructs(actor, alliance.pk)


def may_raise_feedback(actor, alliance, enterprise_id: int | None) -> bool:
    """Zone staff for any member; an instructor in their own alliance; a firm's contact for their firm."""
    if _system(actor):
        return True
    scope = scope_for(actor)
    if alliance.zone_id in scope.full_zone_ids | scope.staff_zone_ids or instructs(actor, alliance.pk):
        return True
    return enterprise_id is not None and enterprise_id in scope.enterprise_ids
