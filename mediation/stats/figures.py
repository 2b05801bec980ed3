"""What each recovery figure counts, defined once.

Every figure is a condition on cases (or on payments) over a period: the aggregate queries sum
it, the case list behind a figure filters by the very same condition, and the glossary on the
page says it in words. Change a definition here and all three follow.

Flows are counted by the date of the event (received, settled, paid) inside the period; stocks
(in mediation, overdue) are taken at the end of the period, or today if the period has not
ended. The case filters (region subtree, channel, dispute kind, venue) narrow every figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, or_, select

from mediation.models import COLLECTIVE_THRESHOLD, Case, ClaimItem, Payment
from mediation.stats.period import Period


@dataclass(frozen=True)
class StatsFilters:
    """The narrowing a supervisor chose; region is a code inside their own subtree."""

    period: Period
    region: str
    channel: str = ""
    kind: str = ""  # a claim kind: cases with at least one claim item of it
    venue_id: int | None = None

    @property
    def as_of(self) -> dt.date:
        """The day the stock figures are taken: the end of the period, or today if it is later."""
        from mediation.common.timeutil import today

        return min(self.period.end, today())


def _between(column, period: Period) -> ColumnElement[bool]:  # noqa: ANN001
    return column.between(period.start, period.end)


def in_mediation_on(day: dt.date) -> ColumnElement[bool]:
    return and_(Case.mediation_started_on <= day,
                or_(Case.settled_on.is_(None), Case.settled_on > day),
                or_(Case.ended_on.is_(None), Case.ended_on > day))


def overdue_on(day: dt.date) -> ColumnElement[bool]:
    return and_(in_mediation_on(day), Case.mediation_due_on < day)


def _ended_as(state: str, period: Period) -> ColumnElement[bool]:
    return and_(Case.state == state, _between(Case.ended_on, period))


def case_conditions(filters: StatsFilters) -> dict[str, ColumnElement[bool]]:
    """For each case-counted figure, the condition a case meets to be counted in it."""
    period, as_of = filters.period, filters.as_of
    received = _between(Case.received_on, period)
    return {
        "received": received,
        "in_mediation": in_mediation_on(as_of),
        "settled": _between(Case.settled_on, period),
        "failed": _ended_as("failed", period),
        "withdrawn": _ended_as("withdrawn", period),
        "closed": _ended_as("closed", period),
        "collective": and_(received, Case.worker_count >= COLLECTIVE_THRESHOLD),
        "overdue": overdue_on(as_of),
    }


def counted_payment() -> ColumnElement[bool]:
    """A payment that counts: a voided one (recorded in error) recovered nothing."""
    return Payment.voided_at.is_(None)


def paid_in(period: Period) -> ColumnElement[bool]:
    return and_(_between(Payment.paid_on, period), counted_payment())


def narrowing(filters: StatsFilters) -> list[ColumnElement[bool]]:
    """The channel, dispute kind and venue filters, as conditions on Case (region is separate)."""
    conditions = []
    if filters.channel:
        conditions.append(Case.channel == filters.channel)
    if filters.venue_id is not None:
        conditions.append(Case.venue_id == filters.venue_id)
    if filters.kind:
        # not correlated: the claim-item queries read claim_item themselves
        conditions.append(Case.id.in_(select(ClaimItem.case_id).where(ClaimItem.kind == filters.kind)))
    return conditions


def list_condition(figure: str, filters: StatsFilters) -> ColumnElement[bool] | None:
    """The cases behind `figure` (None for a name that is not a figure)."""
    conditions = case_conditions(filters)
    if figure in conditions:
        return conditions[figure]
    if figure == "claimed":
        return conditions["received"]
    if figure in ("agreed", "outstanding", "median_days", "p90_days", "success_rate"):
        if figure == "success_rate":
            return or_(conditions["settled"], conditions["failed"])
        return conditions["settled"]
    if figure in ("recovered", "workers_paid"):
        return exists(select(Payment.id).where(Payment.case_id == Case.id, paid_in(filters.period)))
    return None


# The figures in the order the page shows them, with their glossary text.
COUNT_FIGURES = ("received", "in_mediation", "settled", "failed", "withdrawn", "closed", "collective", "overdue")
AMOUNT_FIGURES = ("claimed", "agreed", "recovered", "outstanding")
FIGURE_LABELS = {
    "received": _l("Received"), "in_mediation": _l("In mediation"), "settled": _l("Settled"),
    "failed": _l("Failed"), "withdrawn": _l("Withdrawn"), "closed": _l("Closed"),
    "collective": _l("Collective cases"), "overdue": _l("Overdue"), "success_rate": _l("Success rate"),
    "claimed": _l("Claimed"), "agreed": _l("Agreed"), "recovered": _l("Recovered"),
    "outstanding": _l("Outstanding"), "workers_paid": _l("Workers paid"),
    "median_days": _l("Median days to settlement"), "p90_days": _l("90th percentile days to settlement"),
}
GLOSSARY = {
    "received": _l("Cases whose acceptance date falls in the period."),
    "in_mediation": _l("Cases whose mediation had started and that were neither settled nor ended at the end "
                       "of the period (or today, if the period has not ended)."),
    "settled": _l("Cases whose terms were agreed in the period."),
    "failed": _l("Cases that ended without agreement in the period."),
    "withdrawn": _l("Cases withdrawn in the period."),
    "closed": _l("Cases closed in the period: paid in full, or enforcement concluded and the rest written off."),
    "collective": _l("Cases received in the period with ten or more workers."),
    "overdue": _l("Cases in mediation at the end of the period whose statutory mediation period had ended."),
    "success_rate": _l("Settled ÷ (settled + failed), for the cases settled or failed in the period."),
    "claimed": _l("What the workers claimed, in the cases received in the period."),
    "agreed": _l("What the employers agreed to pay, in the cases settled in the period."),
    "recovered": _l("Money actually paid to workers, counted on the day it was paid, whenever the case was "
                    "settled."),
    "outstanding": _l("What is still owed today under the agreements reached in the period: agreed, less "
                      "paid so far, less written off."),
    "workers_paid": _l("Workers who received money in the period, counted once per case."),
    "median_days": _l("For the cases settled in the period, the median number of days from acceptance to "
                      "settlement (nearest rank)."),
    "p90_days": _l("The same, at the 90th percentile: nine cases in ten settled within this many days."),
}


def nearest_rank(histogram: Counter, fraction: float) -> int | None:
    """The nearest-rank percentile of integer values given as {value: count}; None when empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank, seen = math.ceil(fraction * total), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # unreachable: the last value closes the ranks


@dataclass
class Figures:
    """One row of the statistics (a region, a lawyer, a venue, or the total): counts, amounts in
    fen, and the histogram of days to settlement, from which the percentiles are exact."""

    counts: Counter = field(default_factory=Counter)
    amounts: Counter = field(default_factory=Counter)  # fen
    workers_paid: int = 0
    days: Counter = field(default_factory=Counter)

    def __iadd__(self, other: Figures) -> Figures:
        self.counts.update(other.counts)
        self.amounts.update(other.amounts)
        self.workers_paid += other.workers_paid
        self.days.update(other.days)
        return self

    @property
    def success_rate(self) -> float | None:
        """A ratio for display only: the figures behind it are the exact counts."""
        decided = self.counts["settled"] + self.counts["failed"]
        return self.counts["settled"] / decided if decided else None

    @property
    def median_days(self) -> int | None:
        return nearest_rank(self.days, 0.5)

    @property
    def p90_days(self) -> int | None:
        return nearest_rank(self.days, 0.9)

    def value(self, figure: str):  # noqa: ANN201
        """Any figure by name, as the exports and locked reports store it."""
        if figure in COUNT_FIGURES:
            return self.counts[figure]
        if figure in AMOUNT_FIGURES:
            return self.amounts[figure]
        return getattr(self, figure)
