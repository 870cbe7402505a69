"""Deadlines of a work order, derived from its inputs and recomputed whenever one of them changes.

Inputs: when the order started, the policy for the demand's category × disposition, the working time the clock
was paused (waiting for the enterprise's materials), an approved extension, and the zone's calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from redchain.demands.calendar import WorkCalendar


@dataclass(frozen=True)
class Limits:
    """The time limits that apply to one work order."""

    contact_hours: Decimal = Decimal(1)
    interim_days: int = 3
    close_days: int = 5
    emergency_hours: Decimal = Decimal(2)


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Deadlines:
    contact_due: dt.datetime
    interim_due: dt.datetime
    close_due: dt.datetime


def compute(
    *,
    started_at: dt.datetime,
    limits: Limits,
    calendar: WorkCalendar,
    paused: dt.timedelta = dt.timedelta(0),
    emergency: bool = False,
    extended_until: dt.datetime | None = None,
) -> Deadlines:
    """Contact and interim deadlines run in working time from the start; the closure deadline also moves by
    the paused working time, and never earlier than an approved extension."""
    contact_hours = dt.timedelta(hours=float(limits.contact_hours))
    contact_due = calendar.add_working_time(calendar.next_office_start(started_at), contact_hours)
    if emergency:
        # An emergency is handled round the clock: wall-clock hours, not working days.
        close_due = started_at + dt.timedelta(hours=float(limits.emergency_hours)) + paused
        interim_due = min(close_due, calendar.add_working_days(started_at, limits.interim_days))
    else:
        interim_due = calendar.add_working_days(started_at, limits.interim_days)
        close_due = calendar.add_working_time(started_at, dt.timedelta(days=limits.close_days) + paused)
    if extended_until is not None and extended_until > close_due:
        close_due = extended_until
    return Deadlines(contact_due=contact_due, interim_due=interim_due, close_due=close_due)


def limits_for(*, zone_id: int, category_id: int | None, disposition: str) -> Limits:
    """The most specific policy: category × disposition, then category, then disposition, then zone, then defaults."""
    from redchain.demands.models import DeadlinePolicy

    rows = DeadlinePolicy.objects.filter(
        Q(category_id=category_id) | Q(category__isnull=True), zone_id=zone_id
    )
    candidates = {(p.category_id, p.disposition): p for p in rows.filter(disposition__in=[disposition, ""])}
    for key in ((category_id, disposition), (category_id, ""), (None, disposition), (None, "")):
        policy = candidates.get(key)
        if policy is not None:
            return Limits(
                policy.contact_hours, policy.interim_days, policy.close_days, policy.emergency_hours
            )
    return DEFAULT_LIMITS
