"""Everything the statistics page, its exports and its PDF show, read in one call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text

from mediation.extensions import db
from mediation.models import Case, User, Venue
from mediation.stats import queries, summary_queries
from mediation.stats.figures import Figures, StatsFilters
from mediation.stats.rollup import RegionRow, roll_up


@dataclass
class PersonRow:
    """A lawyer's or a venue's figures (name is the lawyer's full name or the venue's name)."""

    id: int | None
    name: str
    figures: Figures


@dataclass
class StatsReport:
    filters: StatsFilters
    region: object  # Region
    rows: list[RegionRow]
    total: Figures
    months: dict[str, int]  # recovered fen per "YYYY-MM"
    lawyers: list[PersonRow]
    venues: list[PersonRow]


def _named(model, by_id: dict) -> list[PersonRow]:  # noqa: ANN001
    ids = [i for i in by_id if i is not None]
    name = model.full_name if model is User else model.name
    names = {i: n for i, n in db.session.execute(select(model.id, name).where(model.id.in_(ids)))} if ids else {}
    rows = [PersonRow(i, names.get(i, ""), by_id[i]) for i in ids]
    rows.sort(key=lambda r: (-r.figures.amounts["recovered"], r.name))
    if None in by_id:  # cases with no lawyer or venue yet: shown last, so the column adds up
        rows.append(PersonRow(None, "", by_id[None]))
    return rows


def _roomy_sorts() -> None:
    """Let PostgreSQL group this transaction's rows in memory: with the default work_mem (4 MB) a
    province's year spills its sorts to disk and takes twice as long (bench/stats.py)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))


def build(filters: StatsFilters, region, *, from_cases: bool = False) -> StatsReport:  # noqa: ANN001
    """The region rows (rolled up), the total, the months, and the lawyer and venue tables.

    From the monthly summary where it can answer the filters, else (or when `from_cases`, which
    the benchmark uses to compare) from aggregate queries over the cases: the same figures.
    """
    _roomy_sorts()
    if summary_queries.covers(filters) and not from_cases:  # a month, quarter or year: from the monthly summary
        by_region, by_lawyer, by_venue = summary_queries.grouped_figures_by(filters, region)
        months = summary_queries.monthly_recovered(filters, region)
    else:
        by_region, by_lawyer, by_venue = queries.grouped_figures_by(
            filters, region, [Case.region_code, Case.lawyer_id, Case.venue_id])
        months = queries.monthly_recovered(filters, region)
    rows, total = roll_up(region, by_region)
    return StatsReport(filters=filters, region=region, rows=rows, total=total, months=months,
                       lawyers=_named(User, by_lawyer), venues=_named(Venue, by_venue))
