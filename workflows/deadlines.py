"""Statutory clocks: the mediation period and working-day rules of the official calendar.

The law counts a period from the day after the starting day; when the last day is not a
working day (weekend or public holiday), the period ends on the next working day.

Working days come from `chinese_calendar`, which carries the State Council's holiday and
make-up-day notices for the years it knows. For a year it does not know yet (the notice
for year N is published late in year N-1), we fall back to weekends plus the fixed-date
statutory holidays (New Year's Day, Labour Day 1-2 May, National Day 1-3 October). That fallback
never invents a working day that is really a holiday on a fixed date, but it cannot know
the lunar holidays or make-up working Saturdays: a deadline computed by the fallback is
flagged `approximate` so the UI can say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

MEDIATION_PERIOD_DAYS = 15
MAX_EXTENSION_DAYS = 15
# Civil Procedure Law (2023 text) art. 205: the parties to an agreement reached before a lawfully
# established mediation organisation apply jointly for its judicial confirmation "自调解协议生效之日起
# 三十日内", within 30 days of the day it takes effect, whether or not anything is overdue.
JUDICIAL_CONFIRMATION_DAYS = 30
# Civil Procedure Law: enforcement is applied for within two years of the last day of the
# period the enforceable document set for performance.
ENFORCEMENT_APPLICATION_YEARS = 2

# Labour Day is two statutory days since the revised rules of 2025-01-01.
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


def calendar_knows(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    approximate: bool  # True when a day was judged by the fallback rule


def period_end(start: dt.date, days: int) -> Deadline:
    """The last day of a period of `days` days counted from the day after `start`."""
    if days < 1:
        raise ValueError("a period has at least one day")
    return _on_working_day(start + dt.timedelta(days=days))


def _on_working_day(day: dt.date) -> Deadline:
    """`day`, or the next working day when `day` is not one."""
    approximate = not calendar_knows(day)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
        approximate = approximate or not calendar_knows(day)
    return Deadline(day, approximate)


def mediation_deadline(started_on: dt.date) -> Deadline:
    return period_end(started_on, MEDIATION_PERIOD_DAYS)


def extended_deadline(current_due_on: dt.date, extra_days: int) -> Deadline:
    if not 1 <= extra_days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"an extension is 1 to {MAX_EXTENSION_DAYS} days")
    return period_end(current_due_on, extra_days)


def judicial_confirmation_deadline(effective_on: dt.date) -> Deadline:
    """The last day to apply for judicial confirmation. "Within 30 days" is counted as the Civil
    Procedure Law counts every period (art. 85, 2023 text): the day the agreement takes effect is
    not counted, so day 1 is the next day and day 30 the last; a last day that is a weekend or
    public holiday moves to the next working day. An agreement in effect on 2 March 2026 may be
    confirmed until 1 April (day 30), not on 2 April (day 31)."""
    return period_end(effective_on, JUDICIAL_CONFIRMATION_DAYS)


def judicial_confirmation_open(effective_on: dt.date, day: dt.date) -> bool:
    """Whether judicial confirmation can be applied for on `day`: from the day the agreement takes
    effect (day 0: it can be applied for the moment it is signed) to the last day, inclusive."""
    return effective_on <= day <= judicial_confirmation_deadline(effective_on).due_on


def enforcement_application_deadline(performance_due_on: dt.date) -> Deadline:
    """Two years from the last day of performance; a 29 February start ends on 28 February."""
    year = performance_due_on.year + ENFORCEMENT_APPLICATION_YEARS
    try:
        day = performance_due_on.replace(year=year)
    except ValueError:
        day = performance_due_on.replace(year=year, day=28)
    return _on_working_day(day)


def is_overdue(due_on: dt.date | None, today: dt.date) -> bool:
    return due_on is not None and today > due_on
