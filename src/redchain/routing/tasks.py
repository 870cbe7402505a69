"""Celery tasks of the routing app (scheduled in ``config/celery.py``)."""

from __future__ import annotations

from redchain.config.celery import app

RETRAIN_TASK = "redchain.routing.retrain"


@app.task(name=RETRAIN_TASK)
def retrain() -> dict[str, list[str]]:
    """Retrain every zone's routers that have enough new closed demands since their version in use."""
    from redchain.routing.services import retrain_due

    return {"trained": [str(router) for router in retrain_due()]}
