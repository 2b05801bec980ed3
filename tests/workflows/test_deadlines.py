"""Tests for the statutory clocks in ``workflows.deadlines``.

Expected dates for 2026 are worked out by hand from the State Council's 2026 holiday
notice (New Year 1-3 Jan with Sunday 4 Jan worked; Spring Festival 15-23 Feb with
Saturdays 14 and 28 Feb worked; Mid-Autumn 25-27 Sep; National Day 1-7 Oct with Sunday
20 Sep and Saturday 10 Oct worked) and cross-checked against ``chinese_calendar`` where
that is cheap. 2031 is a year ``chinese_calendar`` does not know, so it exercises the
fallback rule (weekends plus 1 Jan, 1 May and 1-3 Oct) and the ``approximate`` flag.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import chinese_calendar
import pytest

from workflows import (
    JUDICIAL_CONFIRMATION_DAYS,
    MAX_EXTENSION_DAYS,
    MEDIATION_PERIOD_DAYS,
    Deadline,
    enforcement_application_deadline,
    extended_deadline,
    is_overdue,
    is_working_day,
    judicial_confirmation_deadline,
    judicial_confirmation_open,
    mediation_deadline,
    period_end,
)
from workflows.deadlines import calendar_knows

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # the property test is skipped, the deterministic sweep still runs
    given = None

D = dt.date
ONE_DAY = dt.timedelta(days=1)
UNKNOWN_YEAR = 2031


def test_calendar_fixture_assumptions():
    """The years the tests rely on are (un)known to chinese_calendar as assumed."""
    assert calendar_knows(D(2025, 6, 1)) and calendar_knows(D(2026, 6, 1))
    assert not calendar_knows(D(UNKNOWN_YEAR, 6, 1))
    assert not calendar_knows(D(2027, 1, 1))


def test_statutory_period_lengths():
    assert MEDIATION_PERIOD_DAYS == 15
    assert MAX_EXTENSION_DAYS == 15


def test_deadline_is_immutable():
    deadline = period_end(D(2026, 3, 2), 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.due_on = D(2026, 3, 4)  # type: ignore[misc]


# --- counting from the day after the start ------------------------------------------------

@pytest.mark.parametrize(
    ("start", "days", "due_on"),
    [
        pytest.param(D(2026, 3, 2), 1, D(2026, 3, 3), id="mon+1-is-tue"),
        pytest.param(D(2026, 3, 2), 4, D(2026, 3, 6), id="mon+4-is-fri"),
        pytest.param(D(2026, 3, 2), 15, D(2026, 3, 17), id="mon+15-is-tue"),
        pytest.param(D(2026, 3, 9), 15, D(2026, 3, 24), id="mon+15-next-week"),
        pytest.param(D(2026, 12, 16), 15, D(2026, 12, 31), id="ends-on-last-day-of-known-year"),
    ],
)
def test_period_counts_from_the_day_after_start(start, days, due_on):
    assert period_end(start, days) == Deadline(due_on, approximate=False)


def test_mediation_deadline_is_a_fifteen_day_period():
    for start in (D(2026, 3, 2), D(2026, 9, 16), D(2031, 9, 16)):
        assert mediation_deadline(start) == period_end(start, 15)


# --- the last day moves off weekends and holidays ------------------------------------------

@pytest.mark.parametrize(
    ("start", "days", "due_on"),
    [
        pytest.param(D(2026, 3, 6), 15, D(2026, 3, 23), id="saturday-to-monday"),
        pytest.param(D(2026, 3, 7), 15, D(2026, 3, 23), id="sunday-to-monday"),
        # 1 Oct 2026 (Thu) falls in the National Day holiday, 1-7 Oct: next working day Thu 8 Oct.
        pytest.param(D(2026, 9, 16), 15, D(2026, 10, 8), id="national-day-2026"),
        pytest.param(D(2026, 9, 22), 15, D(2026, 10, 8), id="national-day-last-day"),
        # Mid-Autumn 2026 is Fri 25 - Sun 27 Sep: next working day Mon 28 Sep.
        pytest.param(D(2026, 9, 10), 15, D(2026, 9, 28), id="mid-autumn-2026"),
        # Spring Festival 2026 is 15-23 Feb: 16 Feb (Mon) moves to Tue 24 Feb.
        pytest.param(D(2026, 2, 1), 15, D(2026, 2, 24), id="spring-festival-2026"),
        # New Year 2026 is 1-3 Jan, and Sunday 4 Jan is worked in its place.
        pytest.param(D(2025, 12, 17), 15, D(2026, 1, 4), id="new-year-2026-to-makeup-sunday"),
    ],
)
def test_last_day_off_work_moves_to_next_working_day(start, days, due_on):
    deadline = period_end(start, days)
    assert deadline == Deadline(due_on, approximate=False)
    # Cross-check with chinese_calendar directly.
    assert chinese_calendar.is_workday(due_on)
    day = start + dt.timedelta(days=days)
    while day < due_on:
        assert not chinese_calendar.is_workday(day), day
        day += ONE_DAY


def test_national_day_2026_expectation_matches_chinese_calendar():
    holiday = [D(2026, 10, d) for d in range(1, 8)]
    assert all(chinese_calendar.is_holiday(day) for day in holiday)
    assert chinese_calendar.is_workday(D(2026, 10, 8))
    assert mediation_deadline(D(2026, 9, 16)).due_on == D(2026, 10, 8)


# --- make-up working days --------------------------------------------------------------

MAKEUP_SATURDAYS = [
    D(2025, 2, 8), D(2025, 10, 11), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9),
    D(2026, 10, 10),
]


def test_makeup_saturdays_are_what_chinese_calendar_says():
    found = [
        day
        for day in chinese_calendar.get_workdays(D(2025, 1, 1), D(2026, 12, 31))
        if day.weekday() == 5
    ]
    assert found == MAKEUP_SATURDAYS


@pytest.mark.parametrize("saturday", MAKEUP_SATURDAYS, ids=str)
def test_makeup_saturday_is_a_working_day(saturday):
    assert saturday.weekday() == 5
    assert is_working_day(saturday)
    start = saturday - dt.timedelta(days=15)
    assert mediation_deadline(start) == Deadline(saturday, approximate=False)


def test_mediation_started_on_mid_autumn_ends_on_makeup_saturday():
    # Started Fri 25 Sep 2026; 15 days later is Sat 10 Oct 2026, a make-up working day.
    assert mediation_deadline(D(2026, 9, 25)) == Deadline(D(2026, 10, 10), approximate=False)


def test_makeup_sunday_is_a_working_day():
    # Sunday 20 Sep 2026 is worked for the National Day holiday.
    assert is_working_day(D(2026, 9, 20))
    assert mediation_deadline(D(2026, 9, 5)) == Deadline(D(2026, 9, 20), approximate=False)


# --- is_working_day --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param(D(2026, 3, 2), True, id="2026-plain-monday"),
        pytest.param(D(2026, 3, 7), False, id="2026-plain-saturday"),
        pytest.param(D(2026, 3, 8), False, id="2026-plain-sunday"),
        pytest.param(D(2026, 10, 5), False, id="2026-national-day-monday"),
        pytest.param(D(2026, 10, 10), True, id="2026-makeup-saturday"),
        pytest.param(D(UNKNOWN_YEAR, 1, 1), False, id="fallback-new-year"),
        pytest.param(D(UNKNOWN_YEAR, 5, 1), False, id="fallback-labour-day"),
        pytest.param(D(UNKNOWN_YEAR, 10, 1), False, id="fallback-oct-1"),
        pytest.param(D(UNKNOWN_YEAR, 10, 2), False, id="fallback-oct-2"),
        pytest.param(D(UNKNOWN_YEAR, 10, 3), False, id="fallback-oct-3"),
        pytest.param(D(UNKNOWN_YEAR, 3, 22), False, id="fallback-saturday"),
        pytest.param(D(UNKNOWN_YEAR, 3, 23), False, id="fallback-sunday"),
        pytest.param(D(UNKNOWN_YEAR, 3, 24), True, id="fallback-monday"),
        pytest.param(D(UNKNOWN_YEAR, 10, 6), True, id="fallback-oct-6-monday"),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


# --- years chinese_calendar does not know: the fallback --------------------------------

@pytest.mark.parametrize(
    ("start", "days", "due_on"),
    [
        pytest.param(D(2031, 3, 2), 15, D(2031, 3, 17), id="plain-weekday"),
        pytest.param(D(2031, 3, 7), 15, D(2031, 3, 24), id="saturday-to-monday"),
        # 1 Oct 2031 is a Wednesday: 1-3 Oct off, then the weekend, so Monday 6 Oct.
        pytest.param(D(2031, 9, 16), 15, D(2031, 10, 6), id="national-day"),
        pytest.param(D(2030, 12, 31), 1, D(2031, 1, 2), id="new-year"),
        # Crossing from a known year into an unknown one: Fri 1 Jan 2027, weekend, Mon 4 Jan.
        pytest.param(D(2026, 12, 17), 15, D(2027, 1, 4), id="known-into-unknown-year"),
    ],
)
def test_unknown_year_uses_fallback_and_is_approximate(start, days, due_on):
    assert period_end(start, days) == Deadline(due_on, approximate=True)


def test_approximate_when_search_runs_past_the_known_calendar(monkeypatch):
    """Known last day off work, next working day judged by the fallback: approximate.

    With the real data the last known day (31 Dec 2026) is a working day, so this is
    staged with a calendar that stops knowing days from 5 Oct 2026 on.
    """
    known_until = D(2026, 10, 5)
    real_is_workday = chinese_calendar.is_workday

    def is_workday(day):
        if day >= known_until:
            raise NotImplementedError("no data")
        return real_is_workday(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", is_workday)
    # 1-4 Oct are known holidays; Mon 5 Oct is judged by the fallback.
    assert mediation_deadline(D(2026, 9, 16)) == Deadline(D(2026, 10, 5), approximate=True)


@pytest.mark.parametrize(
    "start",
    [D(2026, 3, 2), D(2026, 9, 16), D(2025, 12, 17), D(2026, 12, 16), D(2004, 1, 5)],
    ids=str,
)
def test_known_year_is_not_approximate(start):
    assert mediation_deadline(start).approximate is False


def test_fallback_knows_labour_day_is_two_days():
    """Since 2025 Labour Day is two statutory days (1-2 May); the fallback must know it."""
    # chinese_calendar agrees 2 May is part of Labour Day in the years it knows.
    assert chinese_calendar.get_holiday_detail(D(2025, 5, 2)) == (True, "Labour Day")
    assert not is_working_day(D(UNKNOWN_YEAR, 5, 2))  # a Friday
    assert mediation_deadline(D(UNKNOWN_YEAR, 4, 17)).due_on > D(UNKNOWN_YEAR, 5, 2)


# --- argument checks -------------------------------------------------------------------

@pytest.mark.parametrize("days", [0, -1, -15], ids=lambda d: f"days={d}")
def test_period_end_refuses_periods_shorter_than_one_day(days):
    with pytest.raises(ValueError):
        period_end(D(2026, 3, 2), days)


@pytest.mark.parametrize("extra_days", [0, 16, -1, -15, 30], ids=lambda d: f"extra={d}")
def test_extended_deadline_refuses_out_of_range(extra_days):
    with pytest.raises(ValueError):
        extended_deadline(D(2026, 10, 8), extra_days)


@pytest.mark.parametrize(
    ("current", "extra_days", "due_on"),
    [
        pytest.param(D(2026, 3, 17), 1, D(2026, 3, 18), id="one-day"),
        pytest.param(D(2026, 10, 8), 15, D(2026, 10, 23), id="fifteen-days"),
        pytest.param(D(2026, 9, 30), 1, D(2026, 10, 8), id="into-national-day"),
    ],
)
def test_extended_deadline_counts_from_the_current_due_date(current, extra_days, due_on):
    assert extended_deadline(current, extra_days) == Deadline(due_on, approximate=False)


# --- is_overdue ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("due_on", "today", "overdue"),
    [
        pytest.param(None, D(2026, 10, 8), False, id="no-deadline"),
        pytest.param(D(2026, 10, 8), D(2026, 10, 7), False, id="day-before"),
        pytest.param(D(2026, 10, 8), D(2026, 10, 8), False, id="same-day"),
        pytest.param(D(2026, 10, 8), D(2026, 10, 9), True, id="day-after"),
        pytest.param(D(2026, 10, 8), D(2027, 1, 1), True, id="long-after"),
    ],
)
def test_is_overdue(due_on, today, overdue):
    assert is_overdue(due_on, today) is overdue


# --- the general property ----------------------------------------------------------------

def assert_period_end_property(start: dt.date, days: int) -> None:
    """The result is the first working day on or after start + days."""
    earliest = start + dt.timedelta(days=days)
    deadline = period_end(start, days)
    assert deadline.due_on >= earliest
    assert is_working_day(deadline.due_on)
    day = earliest
    looked_at = []
    while day < deadline.due_on:
        assert not is_working_day(day), f"{day} is a working day before {deadline.due_on}"
        looked_at.append(day)
        day += ONE_DAY
    looked_at.append(deadline.due_on)
    # approximate exactly when some day looked at was judged by the fallback.
    assert deadline.approximate == any(not calendar_knows(d) for d in looked_at)


if given is not None:

    @settings(max_examples=300, deadline=None, database=None)
    @given(
        start=st.dates(min_value=D(2004, 1, 1), max_value=D(2035, 12, 31)),
        days=st.integers(min_value=1, max_value=30),
    )
    def test_period_end_property(start, days):
        assert_period_end_property(start, days)

else:

    @pytest.mark.skip(reason="hypothesis is not installed in this environment")
    def test_period_end_property():
        """Placeholder so the skipped property shows up in the report."""


def test_period_end_property_sweep():
    """The same property, deterministically, for every start around the known/unknown edge."""
    start = D(2025, 9, 1)
    while start <= D(2027, 1, 31):
        for days in range(1, 31):
            assert_period_end_property(start, days)
        start += ONE_DAY


# --- the windows after the agreement: judicial confirmation and enforcement ----------------

@pytest.mark.parametrize(
    ("effective_on", "due_on"),
    [
        pytest.param(D(2026, 3, 2), D(2026, 4, 1), id="plain-30-days"),
        # 2 May 2026 (Sat) + 30 days = 1 Jun (Mon), a working day.
        pytest.param(D(2026, 5, 2), D(2026, 6, 1), id="lands-on-monday"),
        # 1 Sep + 30 = 1 Oct, inside National Day (1-7 Oct): Thu 8 Oct.
        pytest.param(D(2026, 9, 1), D(2026, 10, 8), id="national-day-moves-it"),
        # 16 Jan + 30 = 15 Feb, the first day of the Spring Festival break: Tue 24 Feb.
        pytest.param(D(2026, 1, 16), D(2026, 2, 24), id="spring-festival-moves-it"),
    ],
)
def test_judicial_confirmation_window_is_30_days_on_working_day_rules(effective_on, due_on):
    assert judicial_confirmation_deadline(effective_on) == Deadline(due_on, approximate=False)
    assert judicial_confirmation_deadline(effective_on) == period_end(effective_on, JUDICIAL_CONFIRMATION_DAYS)


@pytest.mark.parametrize(
    ("effective_on", "day", "is_open"),
    [
        pytest.param(D(2026, 3, 2), D(2026, 3, 1), False, id="before-it-takes-effect"),
        pytest.param(D(2026, 3, 2), D(2026, 3, 2), True, id="day-0-the-day-it-takes-effect"),
        pytest.param(D(2026, 3, 2), D(2026, 3, 12), True, id="day-10"),
        pytest.param(D(2026, 3, 2), D(2026, 4, 1), True, id="day-30-a-wednesday"),
        pytest.param(D(2026, 3, 2), D(2026, 4, 2), False, id="day-31"),
        # Day 30 is 1 Oct, National Day: the last day moves to Thu 8 Oct (day 37), then it closes.
        pytest.param(D(2026, 9, 1), D(2026, 10, 8), True, id="holiday-moves-the-last-day"),
        pytest.param(D(2026, 9, 1), D(2026, 10, 9), False, id="closed-after-the-moved-last-day"),
    ],
)
def test_judicial_confirmation_is_open_from_effect_to_day_30(effective_on, day, is_open):
    assert judicial_confirmation_open(effective_on, day) is is_open


@pytest.mark.parametrize(
    ("missed_on", "due_on", "approximate"),
    [
        # 2024-03-04 + 2 years = Wed 4 Mar 2026, a working day.
        pytest.param(D(2024, 3, 4), D(2026, 3, 4), False, id="same-day-two-years-on"),
        # 2024-10-01 + 2 years = 1 Oct 2026, National Day: Thu 8 Oct.
        pytest.param(D(2024, 10, 1), D(2026, 10, 8), False, id="holiday-moves-it"),
        # 29 Feb 2024 has no twin in 2026: 28 Feb 2026, a make-up Saturday, so it stays.
        pytest.param(D(2024, 2, 29), D(2026, 2, 28), False, id="leap-day"),
        # 2029 is beyond the calendar's knowledge: the fallback rule, flagged approximate.
        pytest.param(D(2029, 6, 2), D(2031, 6, 2), True, id="unknown-year-is-approximate"),
    ],
)
def test_enforcement_window_is_two_years_from_the_missed_date(missed_on, due_on, approximate):
    assert enforcement_application_deadline(missed_on) == Deadline(due_on, approximate=approximate)


def test_enforcement_window_moves_off_a_weekend():
    # 2024-03-07 + 2 years = Sat 7 Mar 2026, not a make-up day: Mon 9 Mar.
    assert enforcement_application_deadline(D(2024, 3, 7)) == Deadline(D(2026, 3, 9), approximate=False)
