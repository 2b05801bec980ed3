"""Walking every case's event chain and naming the first event that is not as it was written;
then, unless one case is asked for, the audit log's chain (log_verify.py).

The cases are read a thousand at a time with their events (ordered by case and seq), so a
country's history never sits in memory at once. The walk reads one snapshot of the database:
on PostgreSQL a REPEATABLE READ transaction, so that an event committed during the walk cannot
look like a case whose head and events disagree.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from mediation.audit import chain
from mediation.audit.log_verify import LogVerdict, verify_log
from mediation.extensions import db
from mediation.models import Case, CaseEvent

CASES_PER_BATCH = 1_000

# What can be wrong with an event, as `flask audit verify` names it.
ALTERED = "content altered"  # its hash is not the hash of its content: it was changed after it was written
MISSING = "missing event"  # a seq is skipped, or the case's head says there were more events
BROKEN = "chain broken"  # its prev_hash is not the hash of the event before it


@dataclass(frozen=True)
class Break:
    case_number: str
    seq: int
    event_id: int | None  # None when the event itself is gone
    problem: str
    explanation: str

    def __str__(self) -> str:
        event = f"event seq {self.seq}" + (f" (id {self.event_id})" if self.event_id is not None else "")
        return f"case {self.case_number}, {event}: {self.problem}: {self.explanation}"


@dataclass
class Verdict:
    cases: int = 0
    events: int = 0
    broken: Break | None = None
    log: LogVerdict | None = None  # the audit log's, when it was walked


def first_break(case: Row, events: Sequence[Row]) -> Break | None:
    """The first problem of one case's chain: `case` has number, history_length and
    history_head_hash; `events` are its case_event rows in seq order."""
    expected, prev = 1, chain.GENESIS
    for event in events:
        if event.seq > expected:
            return Break(case.number, expected, None, MISSING,
                         f"the next event present is seq {event.seq} (id {event.id})")
        if event.seq < expected:
            return Break(case.number, event.seq, event.id, BROKEN, "this seq appears twice")
        if event.prev_hash != prev:
            return Break(case.number, event.seq, event.id, BROKEN,
                         "its prev_hash is not the hash of the event before it")
        if chain.event_hash(event.prev_hash, event._mapping) != event.hash:
            return Break(case.number, event.seq, event.id, ALTERED, "its hash does not match its content")
        expected, prev = expected + 1, event.hash
    found = expected - 1
    if found < case.history_length:
        last = f"the last event present is seq {found} (id {events[-1].id})" if events else "no event is present"
        return Break(case.number, expected, None, MISSING,
                     f"the case records {case.history_length} events; {last}")
    if found > case.history_length or prev != case.history_head_hash:
        return Break(case.number, found, events[-1].id if events else None, MISSING,
                     f"the case's recorded head ({case.history_length} events, hash {case.history_head_hash[:12]}...) "
                     f"does not match its last event: an event was removed and the chain rewritten, "
                     f"or the head was changed")
    return None


def _case_batches(connection: Connection, case_number: str | None) -> Iterator[list[Row]]:
    table = Case.__table__
    query = select(table.c.id, table.c.number, table.c.history_length, table.c.history_head_hash).order_by(table.c.id)
    if case_number is not None:
        query = query.where(table.c.number == case_number)
    last_id = 0
    while batch := connection.execute(query.where(table.c.id > last_id).limit(CASES_PER_BATCH)).all():
        yield batch
        last_id = batch[-1].id


def _events_by_case(connection: Connection, cases: list[Row]) -> dict[int, list[Row]]:
    table = CaseEvent.__table__
    query = select(table).order_by(table.c.case_id, table.c.seq)
    if len(cases) == 1:
        query = query.where(table.c.case_id == cases[0].id)
    else:
        query = query.where(table.c.case_id.between(cases[0].id, cases[-1].id))
    rows = connection.execute(query)
    return {case_id: list(events) for case_id, events in itertools.groupby(rows, key=lambda row: row.case_id)}


def verify_history(connection: Connection, case_number: str | None = None) -> Verdict:
    """Check every case's chain (or one case's), stopping at the first break."""
    verdict = Verdict()
    for cases in _case_batches(connection, case_number):
        events = _events_by_case(connection, cases)
        for case in cases:
            case_events = events.get(case.id, [])
            verdict.cases += 1
            verdict.events += len(case_events)
            if broken := first_break(case, case_events):
                verdict.broken = broken
                return verdict
    return verdict


def verify_database(case_number: str | None = None) -> Verdict:
    """verify_history (and, for every case, verify_log) over a connection of its own, in one snapshot."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        verdict = verify_history(connection, case_number)
        if case_number is None and verdict.broken is None:
            verdict.log = verify_log(connection)
        return verdict


def describe(verdict: Verdict) -> str:
    text = f"{verdict.cases} cases, {verdict.events} events: the history is intact."
    if verdict.log is not None:
        text += f"\n{verdict.log.entries} audit entries: the audit log is intact."
    return text

