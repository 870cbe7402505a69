"""Deadlines for millions of work orders at a dictionary lookup each, equal to ``deadlines.compute``.

``deadlines.compute`` walks the working calendar day by day (about 170 µs a call); a bulk load of ten million
work orders cannot afford that. Within one working day, between office opening and the evening, every deadline
moves with the start: the contact deadline is a few working hours later the same day and the interim and
closure deadlines fall at the same time of day some working days later. So the loader computes the deadlines
once per (day, limits, emergency) for a reference start at noon and shifts them by the start's distance from
noon. Starts outside that window, or limits that could cross midnight, take the exact path.
``demo/tests/test_scale.py`` checks the shortcut against ``deadlines.compute`` over random starts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from redchain.demands import deadlines
from redchain.demands.calendar import WorkCalendar
from redchain.demands.deadlines import Deadlines, Limits

# Starts inside [WINDOW_OPENS, WINDOW_CLOSES) on a working day may use the shortcut.
WINDOW_OPENS = dt.time(6, 0)
WINDOW_CLOSES = dt.time(19, 0)
NOON = dt.time(12, 0)
# The contact deadline stays on the start's day when the start is before 19:00 and the limit at most 4 h.
MAX_SHIFTED_CONTACT_HOURS = Decimal(4)


class DeadlineClock:
    """``deadlines.compute`` for starts without pauses or extensions, memoised per working day."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._noon: dict[tuple[dt.date, Limits, bool], Deadlines] = {}
        self.exact_calls = 0

    def due(self, started_at: dt.datetime, limits: Limits, emergency: bool) -> Deadlines:
        local = started_at  # the loader passes aware datetimes in the zone's time zone
        day = local.date()
        if (
            limits.contact_hours <= MAX_SHIFTED_CONTACT_HOURS
            and WINDOW_OPENS <= local.timetz().replace(tzinfo=None) < WINDOW_CLOSES
            and self.calendar.is_workday(day)
        ):
            key = (day, limits, emergency)
            reference = self._noon.get(key)
            if reference is None:
                noon = dt.datetime.combine(day, NOON, tzinfo=local.tzinfo)
                reference = self._noon[key] = self._exact(noon, limits, emergency)
            shift = local - dt.datetime.combine(day, NOON, tzinfo=local.tzinfo)
            return Deadlines(
                contact_due=reference.contact_due + shift,
                interim_due=reference.interim_due + shift,
                close_due=reference.close_due + shift,
            )
        return self._exact(local, limits, emergency)

    def _exact(self, started_at: dt.datetime, limits: Limits, emergency: bool) -> Deadlines:
        self.exact_calls += 1
        return deadlines.compute(
            started_at=started_at, limits=limits, calendar=self.calendar, emergency=emergency
        )
