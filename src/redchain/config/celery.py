"""The Celery app for deployments with Redis: ``celery -A redchain.config.celery worker --beat``.

Broker and result backend are ``REDIS_URL``. Beat runs the deadline sweep every five minutes and sends the
outbox every minute. Only this module and the apps' ``tasks.py`` import Celery, so the rest of redchain (and
the embedded default, which runs ``redchain sweep --loop`` instead) works without it.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")

SWEEP_TASK = "redchain.demands.sweep"
DELIVER_TASK = "redchain.demands.deliver"

app = Celery("redchain")
# CELERY_* Django settings (e.g. CELERY_TASK_ALWAYS_EAGER in the test settings) override the defaults below.
app.conf.update(
    broker_url=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    result_backend=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    result_expires=3600,
    timezone=os.environ.get("TIME_ZONE", "Asia/Shanghai"),
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        # A run that waited longer than its interval in the queue is dropped: the next one does its work.
        "demands-sweep": {"task": SWEEP_TASK, "schedule": 300.0, "options": {"expires": 290}},
        "demands-deliver": {"task": DELIVER_TASK, "schedule": 60.0, "options": {"expires": 55}},
        # Routers learn from the day's closed demands overnight, when dispatchers are not waiting on them.
        "routing-retrain": {"task": "redchain.routing.retrain", "schedule": crontab(hour=2, minute=30)},
        # Each zone's reply-review statistics, so the day's first review does not wait for them.
        "routing-reply-stats": {
            "task": "redchain.routing.refresh_reply_stats",
            "schedule": crontab(hour=2, minute=50),
        },
    },
)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["redchain.demands", "redchain.routing"])
