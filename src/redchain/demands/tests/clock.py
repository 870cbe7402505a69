"""A settable clock for the loop's tests: the services read ``django.utils.timezone.now`` through the module,
so replacing that attribute freezes them (and ``auto_now_add``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    """An aware moment in Asia/Shanghai from ``YYYY-MM-DD HH:MM``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class Clock:
    """A settable ``timezone.now``."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def set(self, text: str) -> None:
        self.moment = at(text)

    def __call__(self) -> dt.datetime:
        return self.moment.astimezone(dt.UTC)
