"""Keeping the monthly summary (mediation/models/summary.py) equal to the cases behind it.

A case's part in the summary is a pure function of its facts (dates, state, keys, claim totals,
payments): `contribution()`. Whatever writes a case, its claim items or its payments, the session
hooks below take the part of each touched case before the flush and after it, and add the
difference to the summary in the same transaction: the summary can never be ahead of or behind
the cases it was committed with. Upserts add to the cells (x = x + delta), so concurrent writers
to one cell both count; cells are written in key order, so two such writers cannot deadlock.

Bulk loads that bypass the ORM (the benchmark's COPY) call `rebuild()`, which computes the same
parts for every case in chunks; `verify()` compares the kept summary with such a recomputation.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, event, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from mediation.models import COLLECTIVE_THRESHOLD, Case, ClaimItem, Payment
from mediation.models.summary import CELL_KEYS, MEASURES, StatsMonth, StatsMonthDays

ENDINGS = ("failed", "withdrawn", "closed")
CHUNK = 20_000
IN_CHUNK = 5_000  # cases read at a time by add_cases


@dataclass(frozen=True)
class CaseFacts:
    """What the figures read of one case."""

    region_code: str
    lawyer_id: int | None
    venue_id: int | None
    channel: str
    received_on: dt.date
    started_on: dt.date | None
    due_on: dt.date | None
    settled_on: dt.date | None
    ended_on: dt.date | None
    state: str
    worker_count: int
    written_off: int
    claimed: int
    agreed: int
    payments: tuple[tuple[int, dt.date, int], ...]  # (worker id, paid on, fen)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _stock_deltas(enters: dt.date | None, exits: dt.date | None) -> list[tuple[dt.date, int]]:
    """+1 on the day a case enters a stock and -1 on the day it leaves, as (day, delta): in the
    stock on day d exactly when enters <= d < exits. Leaving on or before entering: never in it."""
    if enters is None:
        return []
    if exits is None:
        return [(enters, 1)]
    return [(enters, 1), (exits, -1)] if enters < exits else []


def contribution(facts: CaseFacts) -> tuple[dict[tuple, Counter], Counter]:
    """({(month, *cell): {measure: value}}, {(month, *cell, days): cases}): one case's part in the
    summary, by the definitions of mediation/stats/figures.py."""
    # Counted once in each dimension of the page's tables: as its region, its lawyer, its venue.
    members = (("region", 0), ("lawyer", facts.lawyer_id or 0), ("venue", facts.venue_id or 0))
    cells_of = [(dimension, member, facts.region_code, facts.channel) for dimension, member in members]
    cells: dict[tuple, Counter] = defaultdict(Counter)
    histogram: Counter = Counter()

    def add(day: dt.date, **measures: int) -> None:
        for cell in cells_of:
            cells[(_month(day), *cell)].update(measures)

    add(facts.received_on, received=1, claimed=facts.claimed,
        collective=int(facts.worker_count >= COLLECTIVE_THRESHOLD))
    if facts.settled_on is not None:
        add(facts.settled_on, settled=1, agreed=facts.agreed, written_off=facts.written_off,
            paid_on_settled=sum(fen for _, _, fen in facts.payments))
        for cell in cells_of:
            histogram[(_month(facts.settled_on), *cell, (facts.settled_on - facts.received_on).days)] += 1
    if facts.ended_on is not None and facts.state in ENDINGS:
        add(facts.ended_on, **{facts.state: 1})

    months_paid: dict[int, set[dt.date]] = defaultdict(set)
    for worker_id, paid_on, fen in facts.payments:
        add(paid_on, recovered=fen)
        months_paid[worker_id].add(_month(paid_on))
    for months in months_paid.values():
        first_of_quarter, first_of_year = set(), set()
        for month in sorted(months):
            add(month, workers_month=1)
            quarter = (month.year, (month.month - 1) // 3)
            if quarter not in first_of_quarter:
                first_of_quarter.add(quarter)
                add(month, workers_quarter=1)
            if month.year not in first_of_year:
                first_of_year.add(month.year)
                add(month, workers_year=1)

    # In mediation on d: started <= d, and neither settled nor ended by d. Overdue on d: also
    # due < d, i.e. from the later of the start and the day after the due date.
    exits = min((d for d in (facts.settled_on, facts.ended_on) if d is not None), default=None)
    for day, delta in _stock_deltas(facts.started_on, exits):
        add(day, in_mediation_delta=delta)
    if facts.started_on is not None and facts.due_on is not None:
        overdue_from = max(facts.started_on, facts.due_on + dt.timedelta(days=1))
        for day, delta in _stock_deltas(overdue_from, exits):
            add(day, overdue_delta=delta)
    return cells, histogram


def load_facts(connection: Connection, case_ids) -> dict[int, CaseFacts]:  # noqa: ANN001
    """{case id: CaseFacts} for `case_ids` (a collection, or a (first, last) range of ids)."""
    def which(column):  # noqa: ANN001, ANN202
        return column.between(*case_ids) if isinstance(case_ids, tuple) else column.in_(list(case_ids))

    claimed: Counter = Counter()
    agreed: Counter = Counter()
    for case_id, claimed_fen, agreed_fen in connection.execute(
            select(ClaimItem.case_id, func.sum(ClaimItem.claimed_fen), func.coalesce(func.sum(ClaimItem.agreed_fen), 0))
            .where(which(ClaimItem.case_id)).group_by(ClaimItem.case_id)):
        claimed[case_id] = int(claimed_fen)
        agreed[case_id] = int(agreed_fen)
    payments: dict[int, list] = defaultdict(list)
    for case_id, worker_id, paid_on, fen in connection.execute(
            select(Payment.case_id, Payment.worker_id, Payment.paid_on, Payment.amount_fen)
            .where(which(Payment.case_id))):
        payments[case_id].append((worker_id, paid_on, fen))
    facts = {}
    for row in connection.execute(
            select(Case.id, Case.region_code, Case.lawyer_id, Case.venue_id, Case.channel, Case.received_on,
                   Case.mediation_started_on, Case.mediation_due_on, Case.settled_on, Case.ended_on, Case.state,
                   Case.worker_count, Case.written_off_fen).where(which(Case.id))):
        facts[row.id] = CaseFacts(
            region_code=row.region_code, lawyer_id=row.lawyer_id, venue_id=row.venue_id, channel=row.channel,
            received_on=row.received_on, started_on=row.mediation_started_on,
            due_on=row.mediation_due_on, settled_on=row.settled_on, ended_on=row.ended_on, state=row.state,
            worker_count=row.worker_count or 0, written_off=row.written_off_fen or 0, claimed=claimed[row.id],
            agreed=agreed[row.id], payments=tuple(sorted(payments[row.id])))
    return facts


def _parts(facts: dict[int, CaseFacts]) -> tuple[dict[tuple, Counter], Counter]:
    cells: dict[tuple, Counter] = defaultdict(Counter)
    histogram: Counter = Counter()
    for one in facts.values():
        case_cells, case_histogram = contribution(one)
        for key, measures in case_cells.items():
            cells[key].update(measures)
        histogram.update(case_histogram)
    return cells, histogram


def _nonzero(counter: Counter) -> Counter:
    return Counter({key: value for key, value in counter.items() if value})


def _difference(before: tuple, after: tuple) -> tuple[dict[tuple, Counter], Counter]:
    cells_before, histogram_before = before
    cells_after, histogram_after = after
    cells = {}
    for key in cells_before.keys() | cells_after.keys():
        change = Counter(cells_after.get(key, {}))
        change.subtract(cells_before.get(key, {}))
        change = _nonzero(change)
        if change:
            cells[key] = change
    histogram = Counter(histogram_after)
    histogram.subtract(histogram_before)
    return cells, _nonzero(histogram)


def _upsert(connection: Connection, table, keys: tuple[str, ...], rows: list[dict]) -> None:  # noqa: ANN001
    """Add each row's values to the row with its keys, creating it if there is none."""
    if not rows:
        return
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table)
    values = [name for name in rows[0] if name not in keys]
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in values})
    for start in range(0, len(rows), 500):
        connection.execute(statement, rows[start:start + 500])


def apply(connection: Connection, cells: dict[tuple, Counter], histogram: Counter) -> None:
    """Add these parts (or differences of parts) to the summary."""
    month_keys = ("month", *CELL_KEYS)
    _upsert(connection, StatsMonth.__table__, month_keys,
            [{**dict(zip(month_keys, key, strict=True)), **{name: cells[key][name] for name in MEASURES}}
             for key in sorted(cells)])
    day_keys = (*month_keys, "days")
    _upsert(connection, StatsMonthDays.__table__, day_keys,
            [{**dict(zip(day_keys, key, strict=True)), "cases": histogram[key]} for key in sorted(histogram)])


# --- keeping it on every write ------------------------------------------------------------

_BEFORE = "stats_summary_before"


def _case_ids(session: Session, objects) -> set[int]:  # noqa: ANN001
    """The ids of the existing cases whose figures these objects may change."""
    ids = set()
    for obj in objects:
        if isinstance(obj, Case):
            ids.add(obj.id)
        elif isinstance(obj, (ClaimItem, Payment)):
            ids.add(obj.case_id)
            case = obj.__dict__.get("case")  # set through the relationship, not yet flushed
            if case is not None:
                ids.add(case.id)
            ids.update(v for v in _history_of(obj, "case_id").deleted if v)
    ids.discard(None)
    return ids


def _history_of(obj, name: str):  # noqa: ANN001, ANN202
    from sqlalchemy import inspect

    return inspect(obj).attrs[name].history


def _touched(session: Session) -> list:
    return [obj for obj in itertools.chain(session.new, session.dirty, session.deleted)
            if isinstance(obj, (Case, ClaimItem, Payment))]


def _before_flush(session: Session, _context, _instances) -> None:  # noqa: ANN001
    session.info.pop(_BEFORE, None)  # what a failed flush left
    touched = _touched(session)
    if not touched:
        return
    ids = _case_ids(session, touched)
    facts = load_facts(session.connection(), ids) if ids else {}
    session.info[_BEFORE] = {case_id: facts.get(case_id) for case_id in ids}


def _after_flush(session: Session, _context) -> None:  # noqa: ANN001
    known = session.info.pop(_BEFORE, None)
    touched = _touched(session)
    if not touched and not known:
        return
    known = known or {}
    ids = _case_ids(session, touched) | known.keys()
    connection = session.connection()
    after = load_facts(connection, ids)
    before = {case_id: facts for case_id, facts in known.items() if facts is not None}
    apply(connection, *_difference(_parts(before), _parts(after)))


def add_cases(connection: Connection, case_ids) -> None:  # noqa: ANN001
    """Add the parts of cases written without the ORM's flush (a bulk import's Core inserts).

    The cases are read IN_CHUNK at a time, a run of consecutive ids as a range (a bulk insert's
    ids are mostly one run; long IN lists are slow to plan on PostgreSQL), the other ids as IN
    lists; their parts are summed, so each summary cell is written once."""
    cells: dict[tuple, Counter] = defaultdict(Counter)
    histogram: Counter = Counter()
    runs = _runs(sorted(set(case_ids)), IN_CHUNK)
    scattered = [i for first, last in runs if last - first < 100 for i in range(first, last + 1)]
    chunks = [run for run in runs if run[1] - run[0] >= 100]
    chunks += [scattered[start:start + IN_CHUNK] for start in range(0, len(scattered), IN_CHUNK)]
    for chunk in chunks:
        chunk_cells, chunk_histogram = _parts(load_facts(connection, chunk))
        for key, measures in chunk_cells.items():
            cells[key].update(measures)
        histogram.update(chunk_histogram)
    apply(connection, cells, histogram)


def _runs(ids: list[int], size: int) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive ids, at most `size` ids long: exactly these ids."""
    runs: list[tuple[int, int]] = []
    for case_id in ids:
        if runs and case_id == runs[-1][1] + 1 and case_id - runs[-1][0] < size:
            runs[-1] = (runs[-1][0], case_id)
        else:
            runs.append((case_id, case_id))
    return runs


def install() -> None:
    """Keep the summary on every flush of every session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


# --- rebuilding and checking --------------------------------------------------------------

def recompute(connection: Connection) -> tuple[dict[tuple, Counter], Counter]:
    """Every case's part, summed: what the summary should hold."""
    cells: dict[tuple, Counter] = defaultdict(Counter)
    histogram: Counter = Counter()
    last = connection.execute(select(func.max(Case.id))).scalar() or 0
    for first in range(1, last + 1, CHUNK):
        chunk_cells, chunk_histogram = _parts(load_facts(connection, (first, first + CHUNK - 1)))
        for key, measures in chunk_cells.items():
            cells[key].update(measures)
        histogram.update(chunk_histogram)
    return cells, histogram


def rebuild(connection: Connection) -> int:
    """Replace the summary with a recomputation from the cases; returns the number of cells."""
    cells, histogram = recompute(connection)
    connection.execute(delete(StatsMonth))
    connection.execute(delete(StatsMonthDays))
    cells = {key: measures for key, measures in cells.items() if any(measures.values())}
    apply(connection, cells, _nonzero(histogram))
    return len(cells)


def stored(connection: Connection) -> tuple[dict[tuple, Counter], Counter]:
    month = StatsMonth.__table__
    cells = {}
    for row in connection.execute(select(month)):
        measures = Counter({name: row._mapping[name] for name in MEASURES if row._mapping[name]})
        if measures:
            cells[tuple(row._mapping[key] for key in ("month", *CELL_KEYS))] = measures
    days = StatsMonthDays.__table__
    histogram = Counter({tuple(row[:-1]): row[-1] for row in connection.execute(
        select(days.c.month, *(days.c[key] for key in CELL_KEYS), days.c.days, days.c.cases)) if row[-1]})
    return cells, histogram


def verify(connection: Connection) -> list[str]:
    """The cells where the kept summary differs from a recomputation ([] when it is right)."""
    kept_cells, kept_histogram = stored(connection)
    cells, histogram = recompute(connection)
    cells = {key: _nonzero(measures) for key, measures in cells.items() if any(measures.values())}
    differences = [f"{key}: kept {dict(kept_cells.get(key, {}))}, recomputed {dict(cells.get(key, {}))}"
                   for key in sorted(kept_cells.keys() | cells.keys())
                   if Counter(kept_cells.get(key, {})) != Counter(cells.get(key, {}))]
    histogram = _nonzero(histogram)
    differences += [f"{key}: kept {kept_histogram.get(key, 0)} cases, recomputed {histogram.get(key, 0)}"
                    for key in sorted(kept_histogram.keys() | histogram.keys())
                    if kept_histogram.get(key, 0) != histogram.get(key, 0)]
    return differences
