"""Views with no domain: health."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """200 with every part ok, or 503 naming the failing part; no login, no personal data."""
    body = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure of the database is "down" to a health check
        body.update(status="error", database=f"error: {exc.__class__.__name__}")
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
