"""Working days: the Chinese statutory calendar (holidays and 调休 make-up days) plus the zone's overrides.

Deadlines in working days count whole calendar days in the zone's time zone that are working days. A
duration of working time is walked day by day: time on holidays and weekends does not count.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

logger = logging.getLogger(__name__)
DAY = dt.timedelta(days=1)
OFFICE_OPENS = dt.time(8, 30)


@lru_cache(maxsize=4096)
def statutory_workday(day: dt.date) -> bool:
    """The State Council's calendar where the package has it; Monday to Friday beyond its years."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("No statutory calendar for %s; assuming Monday to Friday. Add overrides.", day.year)
        return day.weekday() < 5


class WorkCalendar:
    """Working days for one zone: statutory calendar with local overrides (``{date: is_workday}``)."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    @classmethod
    def for_zone(cls, zone_id: int) -> WorkCalendar:
        from redchain.demands.models import CalendarOverride

        rows = CalendarOverride.objects.filter(zone_id=zone_id).values_list("day", "is_workday")
        return cls(dict(rows))

    def is_workday(self, day: dt.date) -> bool:
        return self.overrides.get(day, statutory_workday(day))

    def add_working_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment when ``duration`` of working time has passed after ``start``."""
        local = timezone.localtime(start)
        remaining = duration
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        cursor = local
        while True:
            day_end = _next_midnight(day_start)
            if self.is_workday(day_start.date()):
                available = day_end - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
            day_start = day_end
            cursor = day_end

    def next_office_start(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself on a working day, else the office opening of the next working day.

        A demand that arrives on a Saturday evening cannot be answered within the hour by anyone; its contact
        clock starts when the office opens on the next working day.
        """
        local = timezone.localtime(moment)
        if self.is_workday(local.date()):
            return local
        day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        while not self.is_workday(day.date()):
            day = _next_midnight(day)
        return day.replace(hour=OFFICE_OPENS.hour, minute=OFFICE_OPENS.minute)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        return self.add_working_time(start, days * DAY)

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time in [start, end): used to measure how long a clock was paused."""
        if end <= start:
            return dt.timedelta(0)
        total = dt.timedelta(0)
        cursor = timezone.localtime(start)
        end = timezone.localtime(end)
        while cursor < end:
            day_end = _next_midnight(cursor.replace(hour=0, minute=0, second=0, microsecond=0))
            if self.is_workday(cursor.date()):
                total += min(day_end, end) - cursor
            cursor = day_end
        return total


def _next_midnight(day_start: dt.datetime) -> dt.datetime:
    """Local midnight after ``day_start`` (wall-clock arithmetic, so a DST change elsewhere does not shift it)."""
    return (day_start.replace(tzinfo=None) + DAY).replace(tzinfo=day_start.tzinfo)
