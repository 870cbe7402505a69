"""The API's error bodies: always ``{"detail": ...}``, bilingual where they are fixed prose.

API clients are programs as often as people, so each message carries the Chinese and the English text
together rather than following the request language.
"""

from __future__ import annotations

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

NOT_AUTHENTICATED = "需要登录或有效的访问令牌 / Authentication required"
INVALID_TOKEN = "访问令牌无效或已过期 / Invalid or expired token"  # noqa: S105 - a message, not a secret
BAD_CREDENTIALS = "用户名或密码错误 / Invalid username or password"
LOCKED_OUT = "登录失败次数过多，已暂时锁定，请稍后再试 / Too many failed sign-in attempts; try again later"
NOT_FOUND = "未找到 / Not found"


class InvalidToken(AuthenticationError):
    """A bearer token was presented but is unknown, expired or belongs to an inactive user."""

    def __init__(self) -> None:
        super().__init__(message=INVALID_TOKEN)


class LockedOut(HttpError):
    """Too many failed sign-ins for this username and address; ``retry_after`` is in seconds."""

    def __init__(self, *, retry_after: int | None) -> None:
        super().__init__(429, LOCKED_OUT)
        self.retry_after = retry_after


def _unauthorized(request: HttpRequest, exc: AuthenticationError, *, api: NinjaAPI) -> HttpResponse:
    # Ninja raises a bare AuthenticationError ("Unauthorized") when no credential matched at all.
    detail = exc.message if isinstance(exc, InvalidToken) else NOT_AUTHENTICATED
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def _not_found(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


def _locked_out(request: HttpRequest, exc: LockedOut, *, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=429)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's English-only 401 and 404 bodies with ours, and say when a lockout ends."""
    api.add_exception_handler(AuthenticationError, partial(_unauthorized, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(LockedOut, partial(_locked_out, api=api))
