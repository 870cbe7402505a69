"""Helpers shared by the endpoint modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest

from redchain.accounts.models import User
from redchain.api.schemas import ErrorOut

T = TypeVar("T")

# Documented on every authenticated endpoint; the bodies come from redchain.api.errors.
AUTH_ERRORS: dict[int, type] = {401: ErrorOut}
DETAIL_ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut}


def caller(request: HttpRequest) -> User:
    """The authenticated user: ninja keeps what the auth class returned (always a User) on the request."""
    return request.auth  # type: ignore[attr-defined]


def or_404(fetch: Callable[[], T]) -> T:
    """Run a scoped lookup; an object outside the user's scope is a 404 that does not confirm it exists."""
    try:
        return fetch()
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
