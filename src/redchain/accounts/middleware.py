"""Chooses the zone a signed-in user is working in (``request.zone``)."""

from __future__ import annotations

from redchain.accounts.scope import scope_for

SESSION_KEY = "redchain_zone_id"


class CurrentZoneMiddleware:
    """Sets ``request.zone``: the zone picked in the session if the user still belongs to it, else the first.

    The zone is looked up lazily, so requests that never touch it (static files, the API) pay nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.zone = _LazyZone(request)
        return self.get_response(request)


class _LazyZone:
    def __init__(self, request) -> None:
        self._request = request
        self._loaded = False
        self._zone = None

    def get(self):
        if not self._loaded:
            self._zone = current_zone(self._request)
            self._loaded = True
        return self._zone

    def __bool__(self) -> bool:
        return self.get() is not None

    def __getattr__(self, name):
        zone = self.get()
        if zone is None:
            raise AttributeError(name)
        return getattr(zone, name)


def current_zone(request):
    from redchain.orgs.models import Zone

    user = getattr(request, "user", None)
    scope = scope_for(user)
    if scope.is_empty:
        return None
    zones = Zone.objects.visible_to(user).order_by("id")
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if wanted is not None:
        zone = zones.filter(id=wanted).first()
        if zone is not None:
            return zone
    return zones.first()
