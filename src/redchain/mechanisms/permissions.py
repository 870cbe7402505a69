"""Who may change which alliance record. Services ask here; views and the API only use it to show buttons.

``actor=None`` is the system (the demo loader and data migrations), as in ``orgs.services``.
"""

from __future__ import annotations

from redchain.accounts.scope import scope_for


def manages(user, alliance) -> bool:
    """The zone's admins and the alliance's instructors keep the alliance's records."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.administers(alliance.zone_id) or alliance.pk in scope.alliance_ids


def manages_zone_places(user, zone_id: int) -> bool:
    """Zone-wide places (no alliance) are kept by the zone's admins only."""
    return user is None or scope_for(user).administers(zone_id)


def represents(user, member) -> bool:
    """The user is a contact of the enterprise behind this member unit (directly or by its party org)."""
    if user is None or member is None:
        return False
    enterprise_ids = scope_for(user).enterprise_ids
    if member.enterprise_id is not None:
        return member.enterprise_id in enterprise_ids
    org = member.party_org
    return org is not None and org.owner_enterprise_id in enterprise_ids


def may_complete(user, item) -> bool:
    """Instructors and admins, and the owning enterprise's contacts for their own action items."""
    return manages(user, item.alliance) or represents(user, item.owner)


def may_fulfil(user, commitment) -> bool:
    """Instructors and admins, and the committing enterprise's contacts for their own commitments."""
    return manages(user, commitment.pact.alliance) or represents(user, commitment.member)
