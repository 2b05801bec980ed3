"""Locking a month's or a quarter's figures of a region, and comparing them with today's.

Published reports must not change under their readers: a locked report stores the figures as
they were, and each case's part in them. Today's recomputation is shown beside it; where the
two differ, the cases whose part changed (corrected dates, late payments, a case moved to
another region) are named.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mediation import policy
from mediation.audit.log import audit_record
from mediation.common.errors import Conflict, NotPermitted, Refused
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case, LockedReport, LockedReportCase, Region, User
from mediation.stats import period as periods
from mediation.stats.figures import AMOUNT_FIGURES, COUNT_FIGURES, FIGURE_LABELS, Figures, StatsFilters
from mediation.stats.queries import case_contributions, region_figures
from mediation.stats.rollup import roll_up

LOCKABLE_KINDS = ("month", "quarter")
STORED_FIGURES = (*COUNT_FIGURES, *AMOUNT_FIGURES, "workers_paid", "median_days", "p90_days")


def _values(figures: Figures) -> dict:
    return {name: figures.value(name) for name in STORED_FIGURES}


def whole_region(region: Region, period: periods.Period) -> StatsFilters:
    """A locked report covers the whole region: no channel, kind or venue narrowing."""
    return StatsFilters(period=period, region=region.code)


def lock_for(filters: StatsFilters) -> LockedReport | None:
    """The lock of exactly these figures, if any (only unnarrowed month and quarter figures are locked)."""
    if filters.channel or filters.kind or filters.venue_id is not None or filters.period.kind not in LOCKABLE_KINDS:
        return None
    return db.session.scalar(select(LockedReport).where(
        LockedReport.region_code == filters.region, LockedReport.period_key == filters.period.key))


def report_lock(*, actor: User, region: Region, period: periods.Period) -> LockedReport:
    """Store the region's figures for an ended month or quarter, and each case's part in them."""
    if not policy.can_read_statistics(actor) or not policy.can_see_region(actor, region):
        raise NotPermitted(_l("Only a supervisor or administrator of this region may lock its figures."))
    if period.kind not in LOCKABLE_KINDS:
        raise Refused(_l("Only a month or a quarter can be locked."))
    if period.end >= today():
        raise Refused(_l("A period can be locked only after it has ended."))
    filters = whole_region(region, period)
    if lock_for(filters) is not None:
        raise Refused(_l("These figures are already locked."))
    rows, total = roll_up(region, region_figures(filters, region))
    report = LockedReport(region_code=region.code, period_key=period.key, period_start=period.start,
                          period_end=period.end, locked_by_id=actor.id,
                          figures={"total": _values(total), "rows": {r.region.code: _values(r.figures) for r in rows}})
    try:
        with db.session.begin_nested():  # a savepoint, flushed on leaving it
            db.session.add(report)
    except IntegrityError:  # two supervisors locking the same period at once: the first one wins
        raise Conflict(_l("These figures have just been locked by someone else.")) from None
    db.session.add_all(LockedReportCase(report_id=report.id, case_id=case_id, part=part)
                       for case_id, part in case_contributions(filters, region).items())
    audit_record(actor=actor, action="stats.lock", region_code=region.code, target_kind="locked_report",
                 target_id=report.id, detail={"period": period.key})
    return report


@dataclass
class Comparison:
    locked: dict  # {figure: value} as locked
    now: dict  # {figure: value} recomputed today
    changed: list[str]  # the figures that differ
    moved: list[tuple[str, dict, dict]]  # (case number, part then, part now) for each case whose part changed


def compare(report: LockedReport) -> Comparison:
    region = report.region
    filters = whole_region(region, periods.parse(report.period_key))
    _rows, total = roll_up(region, region_figures(filters, region))
    now = _values(total)
    locked = report.figures["total"]
    then_parts = {row.case_id: row.part for row in db.session.scalars(
        select(LockedReportCase).where(LockedReportCase.report_id == report.id))}
    now_parts = case_contributions(filters, region) if now != locked else then_parts
    ids = sorted(i for i in set(then_parts) | set(now_parts) if then_parts.get(i) != now_parts.get(i))
    numbers = {case_id: number for case_id, number in db.session.execute(
        select(Case.id, Case.number).where(Case.id.in_(ids)))} \
        if ids else {}
    moved = [(numbers.get(i, f"#{i}"), then_parts.get(i, {}), now_parts.get(i, {})) for i in ids]
    return Comparison(locked=locked, now=now, changed=[f for f in STORED_FIGURES if locked.get(f) != now.get(f)],
                      moved=moved)


def figure_label(name: str) -> str:
    return str(FIGURE_LABELS.get(name, name))
