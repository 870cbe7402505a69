"""Celery tasks: thin wrappers around the sweep and the outbox sender (scheduled in ``config/celery.py``)."""

from __future__ import annotations

from redchain.config.celery import DELIVER_TASK, SWEEP_TASK, app


@app.task(name=SWEEP_TASK)
def sweep() -> dict[str, int]:
    """Warn and supervise work orders near or past their closure deadline."""
    from redchain.demands.sweep import run_sweep

    result = run_sweep()
    return {"warned": len(result.warned), "overdue": len(result.overdue), "red": len(result.red)}


@app.task(name=DELIVER_TASK)
def deliver_outgoing() -> dict[str, int]:
    """Send the outbox's due email and webhook messages."""
    from redchain.demands.delivery import send_due

    result = send_due()
    return {"sent": len(result.sent), "failed": len(result.failed), "gave_up": len(result.gave_up)}
