"""Writes to accounts: users, memberships and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from redchain.accounts.models import ApiToken, Membership, User, hash_token
from redchain.accounts.scope import forget_scope
from redchain.audit.services import audit_record


@transaction.atomic
def user_create(
    *, actor, username: str, password: str | None, display_name: str = "", password_hash: str = "", **fields
) -> User:
    """Create a user. ``password_hash`` (from ``make_password``) lets a caller hash a shared password once."""
    user = User(username=username, display_name=display_name, **fields)
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.create", obj=user)
    return user


@transaction.atomic
def membership_grant(
    *, actor, user: User, zone, role: str, department=None, alliance=None, enterprise=None
) -> Membership:
    membership = Membership(
        user=user, zone=zone, role=role, department=department, alliance=alliance, enterprise=enterprise
    )
    membership.full_clean()
    membership.save()
    forget_scope(user)
    audit_record(
        actor=actor, action="membership.grant", obj=user, changes={"membership": [None, str(membership)]}
    )
    return membership


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Issue a token; return it in the clear with its row. Only the hash is kept."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(days=settings.REDCHAIN_API_TOKEN_DAYS),
    )
    audit_record(actor=user, action="api_token.issue", obj=user)
    return raw, token


def api_token_user(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Touches last_used_at at most once a minute."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or token.is_expired or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
