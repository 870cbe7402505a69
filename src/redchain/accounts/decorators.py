"""Access guards for pages. Objects outside a user's scope are 404s raised by the selectors, not here."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from redchain.accounts.scope import scope_for


def zone_member_required(view):
    """Signed in and a member of at least one zone; ``request.zone`` is then never empty.

    Anonymous visitors go to the login page; a signed-in user without any membership gets 403,
    which reveals nothing about the zone's data.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.zone.get() is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def zone_admin_required(view):
    """Only users who administer the current zone (imports, edits)."""

    @zone_member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).administers(request.zone.get().pk):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
