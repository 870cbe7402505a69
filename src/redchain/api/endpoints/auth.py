"""Token login and "who am I"."""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from redchain.accounts.scope import scope_for
from redchain.api import errors
from redchain.api.auth import password_check, token_issue
from redchain.api.endpoints._common import AUTH_ERRORS, caller
from redchain.api.schemas import ErrorOut, MeOut, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token. Repeated failures lock the pair out."""
    login = password_check(request=request, username=payload.username, password=payload.password)
    if login.locked_out:
        raise errors.LockedOut(retry_after=login.retry_after)
    if login.user is None:
        raise HttpError(401, errors.BAD_CREDENTIALS)
    token, expires_at = token_issue(user=login.user)
    return {"token": token, "expires_at": expires_at}


@router.get("/me", response={200: MeOut, **AUTH_ERRORS})
def me(request: HttpRequest):
    """The caller, their roles and the ids their scope reaches."""
    user = caller(request)
    scope = scope_for(user)
    roles = user.memberships.order_by("zone_id", "role", "id").values(
        "role", "zone_id", "department_id", "alliance_id", "enterprise_id"
    )
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": list(roles),
        "zone_ids": sorted(scope.zone_ids),
        "department_ids": sorted(scope.department_ids),
        "enterprise_ids": sorted(scope.enterprise_ids),
        "alliance_ids": sorted(scope.alliance_ids),
    }
