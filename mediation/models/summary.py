"""The recovery statistics' monthly summary: every case's part in the figures, summed per month
and per cell, so that a province's year is some thousands of rows to add instead of a million
cases to join (mediation/stats/summary.py keeps it).

A cell is one member of one dimension of the page's tables (a region: member 0; a lawyer; a
venue), within a region code and a source. Each case is counted once in each dimension: a single
grain of region x lawyer x venue x source would have nearly one cell per case and summarise
nothing. The venue and dispute-kind filters are answered from the cases (a venue's cases are
few, found through its index).

It holds nothing of its own: `flask stats rebuild` recomputes it from the cases, and
`flask stats verify` says whether the kept copy still equals a recomputation. Lawyer and venue
are 0 when the case has none, so that the cell's key has no NULL (a unique index, which the
upserts rely on, treats NULLs as distinct); members are therefore not foreign keys.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mediation.extensions import db

# The cell a case's figures are summed into, besides the month.
CELL_KEYS = ("dimension", "member", "region_code", "channel")
DIMENSIONS = {"region": None, "lawyer": "lawyer_id", "venue": "venue_id"}  # member: that column of Case

# What one month of one cell holds. Flows are counted in the month of their event, as the
# glossary defines them; the two *_delta columns are +1 in the month a case enters the stock
# (in mediation, overdue) and -1 in the month it leaves, so a stock on a day is their running sum.
MEASURES = (
    "received", "collective", "claimed",                    # month received
    "settled", "agreed", "written_off", "paid_on_settled",  # month settled (paid: whenever)
    "failed", "withdrawn", "closed",                        # month ended
    "recovered",                                            # month paid
    # Workers paid (once per case and worker in a period): in the month, and in the month of the
    # worker's first payment of its calendar quarter and of its year, so the months of a quarter
    # or a year add up to that quarter's or year's figure exactly.
    "workers_month", "workers_quarter", "workers_year",
    "in_mediation_delta", "overdue_delta",
)


class StatsMonth(db.Model):
    __tablename__ = "stats_month"
    __table_args__ = (Index("uq_stats_month_cell", "month", *CELL_KEYS, unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date)  # its first day
    dimension: Mapped[str] = mapped_column(String(8))
    member: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(6))
    channel: Mapped[str] = mapped_column(String(8))
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    collective: Mapped[int] = mapped_column(BigInteger, default=0)
    claimed: Mapped[int] = mapped_column(BigInteger, default=0)
    settled: Mapped[int] = mapped_column(BigInteger, default=0)
    agreed: Mapped[int] = mapped_column(BigInteger, default=0)
    written_off: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_on_settled: Mapped[int] = mapped_column(BigInteger, default=0)
    failed: Mapped[int] = mapped_column(BigInteger, default=0)
    withdrawn: Mapped[int] = mapped_column(BigInteger, default=0)
    closed: Mapped[int] = mapped_column(BigInteger, default=0)
    recovered: Mapped[int] = mapped_column(BigInteger, default=0)
    workers_month: Mapped[int] = mapped_column(BigInteger, default=0)
    workers_quarter: Mapped[int] = mapped_column(BigInteger, default=0)
    workers_year: Mapped[int] = mapped_column(BigInteger, default=0)
    in_mediation_delta: Mapped[int] = mapped_column(BigInteger, default=0)
    overdue_delta: Mapped[int] = mapped_column(BigInteger, default=0)


class StatsMonthDays(db.Model):
    """How many cases settled in the month took so many days from acceptance: the histogram the
    percentiles are read from, per cell."""

    __tablename__ = "stats_month_days"
    __table_args__ = (Index("uq_stats_month_days_cell", "month", *CELL_KEYS, "days", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(8))
    member: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(6))
    channel: Mapped[str] = mapped_column(String(8))
    days: Mapped[int] = mapped_column(Integer)
    cases: Mapped[int] = mapped_column(BigInteger, default=0)


class StatsCasePart(db.Model):
    """The facts of each case as last counted into the summary: what a change of the case is
    measured against (its old part is taken away, its new part added), whenever it is kept."""

    __tablename__ = "stats_case_part"

    # Not a foreign key: a deleted case's part is what must be taken away, after the case is gone.
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    facts: Mapped[dict] = mapped_column(JSON)
