"""The public tracking page's data: where a demand stands, for anyone who holds its tracking code.

No sign-in, so nothing personal: the status and the public steps with their times, never names, phones, the
enterprise or any free text. Tracking codes are unguessable (about 59 bits), and each client address may ask
at most ``TRACK_RATE`` times per minute, so codes cannot be harvested by trying.
"""

# No `from __future__ import annotations`: ninja reads these signatures at run time.

import time

from django.core.cache import cache
from django.http import Http404, HttpRequest
from ninja import Router

from redchain.api.errors import RateLimited
from redchain.api.schemas import ErrorOut
from redchain.api.schemas_demands import TrackOut
from redchain.demands.models import Demand
from redchain.demands.selectors import public_timeline

router = Router(tags=["track"])

TRACK_RATE = 30  # requests per client address per window
TRACK_WINDOW = 60  # seconds


def _clock() -> float:
    return time.time()


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded-for header is the client's to invent. Behind a reverse proxy, the proxy
    # must set REMOTE_ADDR (e.g. gunicorn's --forwarded-allow-ips), or all clients share one window.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def throttle(request: HttpRequest, *, scope: str = "track") -> None:
    """A fixed-window counter in Django's cache; over the limit raises ``RateLimited`` (429)."""
    now = _clock()
    window = int(now // TRACK_WINDOW)
    key = f"redchain:rate:{scope}:{_client_address(request)}:{window}"
    cache.add(key, 0, timeout=TRACK_WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=TRACK_WINDOW + 5)
        count = 1
    if count > TRACK_RATE:
        raise RateLimited(retry_after=max(1, int((window + 1) * TRACK_WINDOW - now)))


@router.get("/track/{tracking_code}", auth=None, response={200: TrackOut, 404: ErrorOut, 429: ErrorOut})
def track(request: HttpRequest, tracking_code: str):
    """Status and public timeline of the demand with this tracking code; no personal data."""
    throttle(request)
    demand = Demand.objects.filter(tracking_code=tracking_code.strip().upper()[:16]).first()
    if demand is None:
        raise Http404
    return {
        "tracking_code": demand.tracking_code,
        "status": demand.status,
        "status_label": str(demand.get_status_display()),
        "timeline": list(public_timeline(demand)),
    }
