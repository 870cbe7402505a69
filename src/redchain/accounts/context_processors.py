from redchain.accounts.scope import scope_for


def current_zone(request):
    """The zone and the user's scope for templates (navigation shows only what the user may open)."""
    zone = getattr(request, "zone", None)
    return {
        "current_zone": zone.get() if zone is not None else None,
        "scope": scope_for(getattr(request, "user", None)),
    }
