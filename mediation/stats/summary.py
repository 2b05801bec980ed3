"""Keeping the monthly summary (mediation/models/summary.py) equal to the cases behind it.

A case's part in the summary is a pure function of its facts (dates, state, keys, claim totals,
payments): `contribution()`. The facts last counted for each case are kept beside the summary
(stats_case_part). Every write of a case writes a case event, which names the case as touched
(mediation/case_core/events.py); the one commit point (mediation/web/commit.py, the CLI) then
calls `keep()` with those ids: each case's new facts are read, the difference between its old
and new part is added to the summary and the new facts stored, in the same transaction, so the
summary can never be ahead of or behind the cases it was committed with. Nothing runs on a
flush. Upserts add to the cells (x = x + delta), so concurrent writers to one cell both count;
cells are written in key order, so two such writers cannot deadlock (two writers of one case
cannot both commit: the case's version makes the second a conflict).

Bulk loads that bypass the ORM (the benchmark's COPY) call `rebuild()`, which computes the same
parts for every case in chunks; `verify()` compares the kept summary with such a recomputation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from mediation.models import COLLECTIVE_THRESHOLD, Case, ClaimItem, Payment
from mediation.models.summary import CELL_KEYS, MEASURES, StatsCasePart, StatsMonth, StatsMonthDays

ENDINGS = ("failed", "withdrawn", "closed")
CHUNK = 20_000
IN_CHUNK = 5_000  # cases read at a time by keep


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
    payments: tuple[tuple[int, dt.date, int], ...]  # (worker id, paid on, fen) of those not voided


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


def voidable(connection: Connection) -> bool:
    """Whether the schema marks voided payments (0017). The migrations before it (0008, 0014) rebuild
    the summary with this code on a payment table without the column, where none is voided."""
    return any(column["name"] == "voided_at" for column in sa_inspect(connection).get_columns("payment"))


def load_facts(connection: Connection, case_ids, *, voids: bool = True) -> dict[int, CaseFacts]:  # noqa: ANN001
    """{case id: CaseFacts} for `case_ids` (a collection, or a (first, last) range of ids); `voids`:
    leave voided payments out (False only for a schema from before they existed: `voidable`)."""
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
            .where(which(Payment.case_id), *([Payment.voided_at.is_(None)] if voids else []))):  # voided: nothing
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


# --- keeping it at the commit point ----------------------------------------------------

def _as_json(facts: CaseFacts) -> dict:
    row = {name: getattr(facts, name) for name in CaseFacts.__dataclass_fields__}
    for name, value in row.items():
        if isinstance(value, dt.date):
            row[name] = value.isoformat()
    row["payments"] = [[worker_id, paid_on.isoformat(), fen] for worker_id, paid_on, fen in facts.payments]
    return row


def _from_json(row: dict) -> CaseFacts:
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return CaseFacts(**{**row, **{name: day(row[name]) for name in (
        "received_on", "started_on", "due_on", "settled_on", "ended_on")},
        "payments": tuple((worker_id, day(paid_on), fen) for worker_id, paid_on, fen in row["payments"])})


def _chunks(case_ids: list[int]) -> list:
    """The ids as (first, last) ranges where they run on (a bulk insert's ids mostly do: long IN
    lists are slow to plan on PostgreSQL) and as IN lists of the others, IN_CHUNK at a time."""
    runs = _runs(case_ids, IN_CHUNK)
    scattered = [i for first, last in runs if last - first < 100 for i in range(first, last + 1)]
    chunks: list = [run for run in runs if run[1] - run[0] >= 100]
    return chunks + [scattered[start:start + IN_CHUNK] for start in range(0, len(scattered), IN_CHUNK)]


def _stored_parts(connection: Connection, chunk) -> dict[int, CaseFacts]:  # noqa: ANN001
    part = StatsCasePart.__table__
    where = part.c.case_id.between(*chunk) if isinstance(chunk, tuple) else part.c.case_id.in_(chunk)
    return {row.case_id: _from_json(row.facts) for row in connection.execute(select(part).where(where))}


def _store_parts(connection: Connection, facts: dict[int, CaseFacts], *, gone: list[int] = ()) -> None:
    """Store these cases' facts as counted (replacing what was stored), and forget `gone` ones."""
    part = StatsCasePart.__table__
    if gone:
        connection.execute(delete(part).where(part.c.case_id.in_(list(gone))))
    if not facts:
        return
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(part)
    statement = statement.on_conflict_do_update(index_elements=["case_id"], set_={"facts": statement.excluded.facts})
    rows = [{"case_id": case_id, "facts": _as_json(one)} for case_id, one in sorted(facts.items())]
    for start in range(0, len(rows), 500):
        connection.execute(statement, rows[start:start + 500])


def keep(connection: Connection, case_ids) -> None:  # noqa: ANN001
    """Bring the summary up to date with these cases (taken in, changed or deleted): each one's
    part as last counted is taken away and its part now added, and its facts now are stored."""
    cells: dict[tuple, Counter] = defaultdict(Counter)
    histogram: Counter = Counter()
    for chunk in _chunks(sorted({case_id for case_id in case_ids if case_id is not None})):
        before, after = _stored_parts(connection, chunk), load_facts(connection, chunk)
        chunk_cells, chunk_histogram = _difference(_parts(before), _parts(after))
        for key, measures in chunk_cells.items():
            cells[key].update(measures)
        histogram.update(chunk_histogram)
        _store_parts(connection, {case_id: facts for case_id, facts in after.items() if before.get(case_id) != facts},
                     gone=[case_id for case_id in before if case_id not in after])
    apply(connection, {key: change for key, change in cells.items() if change}, _nonzero(histogram))


def _runs(ids: list[int], size: int) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive ids, at most `size` ids long: exactly these ids."""
    runs: list[tuple[int, int]] = []
    for case_id in ids:
        if runs and case_id == runs[-1][1] + 1 and case_id - runs[-1][0] < size:
            runs[-1] = (runs[-1][0], case_id)
        else:
            runs.append((case_id, case_id))
    return runs


# --- rebuilding and checking --------------------------------------------------------------

def recompute(connection: Connection) -> tuple[dict[tuple, Counter], Counter]:
    """Every case's part, summed: what the summary should hold."""
    cells: dict[tuple, Counter] = defaultdict(Counter)
    histogram: Counter = Counter()
    last = connection.execute(select(func.max(Case.id))).scalar() or 0
    voids = voidable(connection)
    for first in range(1, last + 1, CHUNK):
        chunk_cells, chunk_histogram = _parts(load_facts(connection, (first, first + CHUNK - 1), voids=voids))
        for key, measures in chunk_cells.items():
            cells[key].update(measures)
        histogram.update(chunk_histogram)
    return cells, histogram


def rebuild(connection: Connection, *, with_parts: bool = True) -> int:
    """Replace the summary (and the facts it counted) with a recomputation from the cases;
    returns the number of cells. `with_parts=False`: the summary only (migration 0008, which
    predates the stored facts)."""
    cells, histogram = recompute(connection)
    connection.execute(delete(StatsMonth))
    connection.execute(delete(StatsMonthDays))
    if with_parts:
        connection.execute(delete(StatsCasePart))
        last = connection.execute(select(func.max(Case.id))).scalar() or 0
        voids = voidable(connection)
        for first in range(1, last + 1, CHUNK):
            _store_parts(connection, load_facts(connection, (first, first + CHUNK - 1), voids=voids))
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


def _parts_differences(connection: Connection) -> list[str]:
    """The cases whose facts as counted differ from their facts now."""
    last = connection.execute(select(func.max(Case.id))).scalar() or 0
    last = max(last, connection.execute(select(func.max(StatsCasePart.case_id))).scalar() or 0)
    differences = []
    for first in range(1, last + 1, CHUNK):
        chunk = (first, first + CHUNK - 1)
        counted, now = _stored_parts(connection, chunk), load_facts(connection, chunk)
        differences += [f"case id {case_id}: counted as {counted.get(case_id)}, now {now.get(case_id)}"
                        for case_id in sorted(counted.keys() | now.keys()) if counted.get(case_id) != now.get(case_id)]
    return differences


def verify(connection: Connection) -> list[str]:
    """The cells where the kept summary differs from a recomputation ([] when it is right)."""
    kept_cells, kept_histogram = stored(connection)
    cells, histogram = recompute(connection)
    cells = {key: _nonzero(measures) for key, measures in cells.items() if any(measures.values())}
    differences = [f"{key}: kept {dict(kept_cells.get(key, {}))}, recomputed {dict(cells.get(key, {}))}"
                   for key in sorted(kept_cells.keys() | cells.keys())
                   if Counter(kept_cells.get(key, {})) != Counter(cells.get(key, {}))]
    histogram = _nonzero(histogram)
    differences += _parts_differences(connection)
    differences += [f"{key}: kept {kept_histogram.get(key, 0)} cases, recomputed {histogram.get(key, 0)}"
                    for key in sorted(kept_histogram.keys() | histogram.keys())
                    if kept_histogram.get(key, 0) != histogram.get(key, 0)]
    return differences
