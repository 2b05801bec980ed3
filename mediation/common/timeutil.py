"""Time helpers: one place that says what "now" and "today" are (Beijing time for dates)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored moment as an aware UTC datetime: SQLite hands them back without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def today() -> dt.date:
    """The calendar date in China: statutory periods are counted in local days."""
    return dt.datetime.now(CHINA).date()
