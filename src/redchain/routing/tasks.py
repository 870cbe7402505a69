"""Celery tasks of the routing app (scheduled in ``config/celery.py``)."""

from __future__ import annotations

from redchain.config.celery import app

RETRAIN_TASK = "redchain.routing.retrain"
REPLY_STATS_TASK = "redchain.routing.refresh_reply_stats"


@app.task(name=RETRAIN_TASK)
def retrain() -> dict[str, list[str]]:
    """Retrain every zone's routers that have enough new closed demands since their version in use."""
    from redchain.routing.services import retrain_due

    return {"trained": [str(router) for router in retrain_due()]}


@app.task(name=REPLY_STATS_TASK)
def refresh_reply_stats() -> dict[str, int]:
    """Rebuild every zone's reply-review statistics from its latest final replies, ahead of the working day."""
    from redchain.orgs.models import Zone
    from redchain.routing.selectors import zone_reply_stats

    counts = {}
    for zone_id in Zone.objects.values_list("pk", flat=True):
        stats = zone_reply_stats(zone_id=zone_id, refresh=True)
        counts[str(zone_id)] = stats.n_docs if stats else 0
    return counts
