"""The demo accounts: one per persona of the demo script, all with the published password.

They are created only by the demo loader, never by migrations or the ordinary install, so a production
database cannot end up with an account whose password is printed in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from redchain.accounts.models import Membership, Role, User
from redchain.accounts.services import membership_grant, user_create
from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.orgs.models import Alliance, Department, Enterprise, PartyOrg, Zone

HANDLER_DEPARTMENTS = ("企业服务局", "市场监督管理局")
# The firm of firm2 sits on the second chain, so the two enterprise contacts never share a chain.
FIRM2_CHAIN = data.CHAINS[1].code


@dataclass(frozen=True)
class DemoLogin:
    """One row of the login table printed by ``redchain demo``."""

    username: str
    role: str
    role_label: str
    scope: str
    display_name: str
    password: str = data.PASSWORD


# username, role, display name (None: the contact person recorded on the enterprise)
ACCOUNTS: tuple[tuple[str, str, str | None], ...] = (
    ("zone-admin", Role.ZONE_ADMIN, "周敏"),
    ("leader", Role.LEADER, data.COMMITTEE_SECRETARY[0]),
    ("handler1", Role.HANDLER, "张明"),
    ("handler2", Role.HANDLER, "王芳"),
    ("instructor1", Role.INSTRUCTOR, "刘洋"),
    ("firm1", Role.ENTERPRISE_CONTACT, None),
    ("firm2", Role.ENTERPRISE_CONTACT, None),
)
USERNAMES = tuple(username for username, _, _ in ACCOUNTS)


def build_accounts(
    *,
    zone: Zone,
    departments: dict[str, Department],
    alliances: list[Alliance],
    firms_by_chain: dict[str | None, list[Enterprise]],
    fakes: Fakes,
) -> list[User]:
    """Create the demo accounts with exactly one membership each."""
    fakes.stage("accounts")
    scopes: dict[str, dict[str, Any]] = {
        "handler1": {"department": departments[HANDLER_DEPARTMENTS[0]]},
        "handler2": {"department": departments[HANDLER_DEPARTMENTS[1]]},
        "instructor1": {"alliance": alliances[0]},
        "firm1": {"enterprise": firms_by_chain[data.CHAINS[0].code][0]},
        "firm2": {"enterprise": _firm2(firms_by_chain[FIRM2_CHAIN])},
    }
    users = []
    # One hash for the shared demo password: hashing is slow on purpose, and seven were half the load.
    password_hash = make_password(data.PASSWORD)
    for username, role, display_name in ACCOUNTS:
        scope = scopes.get(username, {})
        firm = scope.get("enterprise")
        user = user_create(
            actor=None,
            username=username,
            password=None,
            password_hash=password_hash,
            display_name=display_name or (firm.contact_name if firm else username),
            phone=firm.contact_phone if firm else fakes.mobile(),
        )
        membership_grant(actor=None, user=user, zone=zone, role=role, **scope)
        users.append(user)
    return users


def _firm2(firms: list[Enterprise]) -> Enterprise:
    """Not the leader, so the demo shows an ordinary firm's view too; one with its own party organisation, so
    its contact also sees party life, task forces and suggestions (a key firm when one has an organisation)."""
    others = firms[1:]
    with_org = set(
        PartyOrg.objects.filter(owner_enterprise__in=[firm.pk for firm in others]).values_list(
            "owner_enterprise_id", flat=True
        )
    )
    ranked = sorted(
        others, key=lambda firm: (firm.pk not in with_org, firm.chain_role != Enterprise.ChainRole.KEY)
    )
    return ranked[0]


def demo_logins(zone: Zone) -> list[DemoLogin]:
    """The demo accounts of ``zone`` as they are in the database, in the documented order."""
    memberships = Membership.objects.filter(zone=zone, user__username__in=USERNAMES).select_related(
        "user", "department", "alliance", "enterprise"
    )
    by_username = {membership.user.username: membership for membership in memberships}
    rows = []
    for username in USERNAMES:
        membership = by_username.get(username)
        if membership is None:
            continue
        target = membership.department or membership.alliance or membership.enterprise or zone
        rows.append(
            DemoLogin(
                username=username,
                role=membership.role,
                role_label=str(membership.get_role_display()),
                scope=str(target),
                display_name=str(membership.user),
            )
        )
    return rows
