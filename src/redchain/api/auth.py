"""How API callers prove who they are: a bearer token, or the browser's Django session.

Tokens are issued by ``POST /api/v1/auth/token`` after a password check that django-axes throttles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from redchain.accounts.models import User
from redchain.accounts.services import api_token_issue, api_token_user
from redchain.api.errors import InvalidToken


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. A token that is presented but not valid is refused outright.

    Refusing (instead of falling through to the session) means a client with a stale token gets a clear
    "invalid or expired token" answer, never a response for whichever browser session happens to be open.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = api_token_user(token.strip())
        if user is None:
            raise InvalidToken
        # Views and scoping read request.user, as they do for the pages.
        request.user = user
        return user


# Bearer first, so scripts never depend on cookies; the session lets the browser pages call the API.
# ninja's session auth enforces CSRF on unsafe methods.
API_AUTH = [BearerTokenAuth(), django_auth]


@dataclass(frozen=True)
class PasswordLogin:
    """The outcome of a password check: a user, or the reason there is none."""

    user: User | None
    locked_out: bool = False
    retry_after: int | None = None  # seconds until a lockout ends


def password_check(*, request: HttpRequest, username: str, password: str) -> PasswordLogin:
    """Check a password through Django's authenticate, so django-axes counts failures and locks out.

    Axes marks the request as locked out and its middleware would then replace our JSON answer with the
    HTML lockout page; the flag is read and cleared here so the API answers the lockout itself.
    """
    user = authenticate(request=request, username=username, password=password)
    locked_out = bool(getattr(request, "axes_locked_out", False))
    if locked_out:
        request.axes_locked_out = False  # type: ignore[attr-defined]
        cool_off = get_cool_off(request)
        retry_after = int(cool_off.total_seconds()) if cool_off else None
        return PasswordLogin(user=None, locked_out=True, retry_after=retry_after)
    if user is not None:
        _record_success(request=request, user=user)
    return PasswordLogin(user=user)


def _record_success(*, request: HttpRequest, user: User) -> None:
    """Clear the failure count (AXES_RESET_ON_SUCCESS) and stamp last_login, as a page login does.

    Not via the ``user_logged_in`` signal: axes's receiver ties its access log to a session, which would
    create one and set a session cookie on a stateless token login. The audit row of the token issue
    records the login instead.
    """
    if getattr(settings, "AXES_ENABLED", True) and settings.AXES_RESET_ON_SUCCESS:
        ip_address = getattr(request, "axes_ip_address", None)
        AxesProxyHandler.reset_attempts(ip_address=ip_address, username=user.get_username())
    update_last_login(type(user), user=user)


def token_issue(*, user: User) -> tuple[str, datetime]:
    """Issue a bearer token; return it in the clear together with its expiry."""
    raw, token = api_token_issue(user=user)
    return raw, token.expires_at
