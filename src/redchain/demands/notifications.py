"""Who hears about a step, delivered after the step's transaction commits so a failure never undoes the step
and the request never waits for anyone but the database."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# Event kind → who is told: the departments working on it, the enterprise that asked, or the zone's dispatchers.
HANDLERS = {
    "dispatched",
    "instructed",
    "supervised",
    "redo",
    "warned",
    "overdue",
    "extension_approved",
    "extension_refused",
}
ENTERPRISE = {"rejected", "replied", "interim_reply", "closed"}
DISPATCHERS = {"submitted", "returned", "extension_requested", "escalated"}
# An overdue work order is the zone's business too: it decides on supervision (督办).
HANDLERS_AND_DISPATCHERS = {"overdue"}


def queue_notifications(event) -> None:
    event_id = event.pk
    transaction.on_commit(lambda: deliver(event_id))


def deliver(event_id: int) -> int:
    """Create the in-app notifications of one event and queue its email and webhook messages in the outbox
    (sent later by ``delivery.send_due``, never in the request); returns how many in-app notifications.
    Safe to run twice."""
    from redchain.demands.models import DemandEvent, Notification

    event = DemandEvent.objects.select_related("demand").filter(pk=event_id).first()
    if event is None:
        return 0
    user_ids = recipients(event) - ({event.actor_id} if event.actor_id else set())
    rows = [
        Notification(user_id=uid, demand_id=event.demand_id, event_id=event.pk) for uid in sorted(user_ids)
    ]
    try:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    except Exception:  # a notification must never break the step that caused it
        logger.exception("Could not create notifications for demand event %s", event_id)
        return 0
    _queue_outgoing(event, user_ids)
    return len(rows)


def _queue_outgoing(event, user_ids: set[int]) -> None:
    """Write the event's email and webhook rows; a failure here loses those messages, never the step."""
    from redchain.demands import delivery

    try:
        delivery.enqueue_for_event(event=event, user_ids=user_ids)
    except Exception:
        logger.exception("Could not queue outgoing messages for demand event %s", event.pk)


def recipients(event) -> set[int]:
    from redchain.accounts.models import Membership, Role

    demand = event.demand
    members = Membership.objects.filter(zone_id=demand.zone_id)
    if event.kind in HANDLERS:
        departments = demand.assignments.filter(status__in=["pending", "in_progress", "paused", "replied"])
        handlers = members.filter(department_id__in=departments.values("department_id"))
        if event.kind in HANDLERS_AND_DISPATCHERS:
            handlers = handlers | members.filter(role=Role.ZONE_ADMIN)
        members = handlers
    elif event.kind in ENTERPRISE:
        ids = (
            set(members.filter(enterprise_id=demand.enterprise_id).values_list("user_id", flat=True))
            if demand.enterprise_id
            else set()
        )
        return ids | ({demand.submitted_by_id} if demand.submitted_by_id else set())
    elif event.kind in DISPATCHERS:
        members = members.filter(role=Role.ZONE_ADMIN)
    else:
        return set()
    return set(members.values_list("user_id", flat=True))
