"""Reporting periods: a month, a quarter, a year or a custom range of days, both ends included.

A period has a key ("2026-10", "2026-Q3", "2026", "2026-01-05..2026-02-20") that names it in
URLs, exports and locked reports, and parses back to the same period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

KINDS = ("month", "quarter", "year", "custom")
MAX_CUSTOM_DAYS = 366 * 10  # a decade: longer ranges are typing mistakes, not reports
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def N_(message: str) -> str:
    """Marks a message for extraction; the form translates it when it shows it."""
    return message


class PeriodError(ValueError):
    """The text does not name a period; the message says why (in English, for the form to translate)."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def months(self) -> list[str]:
        """Every month the period touches, as "YYYY-MM", in order (for the monthly chart)."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def month(year: int, month_: int) -> Period:
    return Period("month", dt.date(year, month_, 1), dt.date(year, month_, calendar.monthrange(year, month_)[1]))


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period("quarter", dt.date(year, first, 1), month(year, first + 2).end)


def year(year_: int) -> Period:
    return Period("year", dt.date(year_, 1, 1), dt.date(year_, 12, 31))


def custom(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise PeriodError(N_("The end of the period is before its start."))
    if (end - start).days > MAX_CUSTOM_DAYS:
        raise PeriodError(N_("A custom period is at most ten years long."))
    return Period("custom", start, end)


def parse(key: str) -> Period:
    """The period a key names; PeriodError when it names none."""
    key = (key or "").strip()
    try:
        if m := _MONTH.match(key):
            return month(int(m[1]), int(m[2]))
        if m := _QUARTER.match(key):
            return quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(key):
            return year(int(m[1]))
        if m := _CUSTOM.match(key):
            return custom(dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]))
    except ValueError as error:  # month 13, 30 February, year 0
        if isinstance(error, PeriodError):
            raise
        raise PeriodError(N_("This is not a date that exists.")) from None
    raise PeriodError(N_("Choose a month, a quarter, a year or a range of days."))


def containing(kind: str, day: dt.date) -> Period:
    """The month, quarter or year that contains `day`."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    return year(day.year)
