"""The recovery figures read from the monthly summary instead of the cases.

A month, quarter or year is a whole number of months, so its flows are the sums of its months'
rows; the stocks are running sums of the monthly deltas up to the day they are taken. When that
day falls inside a month (a period that has not ended: it is today), the month so far is added
from the cases whose stock could have changed in it, read through the date indexes. Custom ranges
and the venue and dispute-kind filters are answered from the cases (queries.py): the summary
keeps neither days, nor claim kinds, nor venues beside lawyers (models/summary.py says why).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, or_, select

from mediation.extensions import db
from mediation.models import Case, Region
from mediation.models.summary import DIMENSIONS, StatsMonth, StatsMonthDays
from mediation.stats.figures import COUNT_FIGURES, Figures, StatsFilters, in_mediation_on, overdue_on
from mediation.stats.queries import _flag, _in_scope, _per_key, _total

DAY = dt.timedelta(days=1)
MONTHS = StatsMonth.__table__
DAYS = StatsMonthDays.__table__
FLOWS = ("received", "collective", "claimed", "settled", "agreed", "written_off", "paid_on_settled",
         "failed", "withdrawn", "closed", "recovered")
WORKERS = {"month": "workers_month", "quarter": "workers_quarter", "year": "workers_year"}


def covers(filters: StatsFilters) -> bool:
    """Whether the summary can answer these filters (else: the cases)."""
    return filters.period.kind in WORKERS and not filters.kind and filters.venue_id is None


def _scoped(query, table, filters: StatsFilters, region: Region):  # noqa: ANN001, ANN202
    in_subtree = and_(Region.code == table.c.region_code, Region.path.startswith(region.path, autoescape=True))
    query = query.select_from(table).join(Region, in_subtree)
    if filters.channel:
        query = query.where(table.c.channel == filters.channel)
    return query


def _month_end(day: dt.date) -> bool:
    return (day + DAY).day == 1


def _keyed(table):  # noqa: ANN001, ANN202
    """The columns a row of `table` is grouped by: its dimension, and its region code or member."""
    region_or_none = case((table.c.dimension == "region", table.c.region_code), else_="").label("region_key")
    return [table.c.dimension.label("dimension"), table.c.member.label("member"), region_or_none]


def grouped_figures_by(filters: StatsFilters, region: Region) -> tuple[dict, dict, dict]:
    """({region code: Figures}, {lawyer id: Figures}, {venue id: Figures}), like the queries on
    the cases, from two statements on the summary (three when the stocks are taken inside a
    month): the three dimensions are grouped together, each row telling its own."""
    period, as_of = filters.period, filters.as_of
    # The stocks: the deltas of every month up to as_of's, or before it (its days so far below).
    this_month = as_of.replace(day=1)
    stock_months = MONTHS.c.month <= this_month if _month_end(as_of) else MONTHS.c.month < this_month
    in_period = MONTHS.c.month.between(period.start, period.end)
    results: dict[str, dict] = {dimension: {} for dimension in DIMENSIONS}

    def figures_of(row) -> Figures:  # noqa: ANN001
        key = row.region_key if row.dimension == "region" else (row.member or None)
        return results[row.dimension].setdefault(key, Figures())

    keyed = _keyed(MONTHS)
    months = _scoped(select(*keyed, *(_total(case((in_period, MONTHS.c[name]), else_=0)).label(name)
                                      for name in FLOWS),
                            _total(case((in_period, MONTHS.c[WORKERS[period.kind]]), else_=0)).label("workers"),
                            _total(case((stock_months, MONTHS.c.in_mediation_delta), else_=0)).label("in_mediation"),
                            _total(case((stock_months, MONTHS.c.overdue_delta), else_=0)).label("overdue")),
                     MONTHS, filters, region).where(MONTHS.c.month <= period.end).group_by(*keyed)
    for row in db.session.execute(months):
        figures = figures_of(row)
        figures.counts.update({name: getattr(row, name) for name in COUNT_FIGURES})
        figures.amounts.update(claimed=row.claimed, agreed=row.agreed, recovered=row.recovered,
                               outstanding=row.agreed - row.paid_on_settled - row.written_off)
        figures.workers_paid += row.workers

    if not _month_end(as_of):
        _add_month_so_far(filters, region, results)

    keyed = _keyed(DAYS)
    histogram = (_scoped(select(*keyed, DAYS.c.days, _total(DAYS.c.cases).label("cases")), DAYS, filters, region)
                 .where(DAYS.c.month.between(period.start, period.end)).group_by(*keyed, DAYS.c.days))
    for row in db.session.execute(histogram):
        if row.cases:
            figures_of(row).days[row.days] += row.cases

    return tuple({key: figures for key, figures in rows.items() if _shows_something(figures)}
                 for rows in results.values())


def _add_month_so_far(filters: StatsFilters, region: Region, results: dict[str, dict]) -> None:
    """The stocks' change from the last day of the month before as_of to as_of, from the cases
    that could have entered or left a stock in those days (a start, a settlement, an end, or a
    due date passing), through the date indexes."""
    as_of = filters.as_of
    first = as_of.replace(day=1)
    before = first - DAY
    moved = or_(Case.mediation_started_on.between(first, as_of), Case.settled_on.between(first, as_of),
                Case.ended_on.between(first, as_of), Case.mediation_due_on.between(before, as_of - DAY))
    keys = [Case.region_code, Case.lawyer_id, Case.venue_id]
    labelled = [key.label(f"k{i}") for i, key in enumerate(keys)]
    change = _in_scope(select(*labelled,
                              (_flag(in_mediation_on(as_of)) - _flag(in_mediation_on(before))).label("in_mediation"),
                              (_flag(overdue_on(as_of)) - _flag(overdue_on(before))).label("overdue")),
                       filters, region).where(moved).group_by(*keys)
    statement, which_of = _per_key(change, len(keys), ("in_mediation", "overdue"))
    for row in db.session.execute(statement):
        which = which_of(row)
        figures = results[list(DIMENSIONS)[which]].setdefault(row._mapping[f"k{which}"], Figures())
        figures.counts["in_mediation"] += row.in_mediation
        figures.counts["overdue"] += row.overdue


def _shows_something(figures: Figures) -> bool:
    return any(figures.counts.values()) or any(figures.amounts.values()) or figures.workers_paid or bool(figures.days)


def monthly_recovered(filters: StatsFilters, region: Region) -> dict[str, int]:
    """{"YYYY-MM": fen paid} for every month of the period."""
    period = filters.period
    query = (_scoped(select(MONTHS.c.month, _total(MONTHS.c.recovered)), MONTHS, filters, region)
             .where(MONTHS.c.dimension == "region", MONTHS.c.month.between(period.start, period.end))
             .group_by(MONTHS.c.month))
    totals = dict.fromkeys(period.months(), 0)
    totals.update({month.strftime("%Y-%m"): fen for month, fen in db.session.execute(query)})
    return totals
