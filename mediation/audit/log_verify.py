"""Walking the audit log's one chain and naming the first entry that is not as it was written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from mediation.audit import chain
from mediation.models import AuditEntry, AuditHead
from mediation.models.audit_entry import HEAD_ID

ENTRIES_PER_BATCH = 1_000

# The same three kinds of break as a case's history (verify.py).
ALTERED, MISSING, BROKEN = "content altered", "missing entry", "chain broken"


@dataclass(frozen=True)
class EntryBreak:
    seq: int
    entry_id: int | None  # None when the entry itself is gone
    problem: str
    explanation: str

    def __str__(self) -> str:
        entry = f"audit entry seq {self.seq}" + (f" (id {self.entry_id})" if self.entry_id is not None else "")
        return f"{entry}: {self.problem}: {self.explanation}"


@dataclass
class LogVerdict:
    entries: int = 0
    broken: EntryBreak | None = None


def _entries(connection: Connection) -> Iterator[Row]:
    table = AuditEntry.__table__
    last_seq = 0
    while batch := connection.execute(select(table).where(table.c.seq > last_seq).order_by(table.c.seq)
                                      .limit(ENTRIES_PER_BATCH)).all():
        yield from batch
        last_seq = batch[-1].seq


def _head(connection: Connection) -> tuple[int, str]:
    table = AuditHead.__table__
    row = connection.execute(select(table.c.length, table.c.hash).where(table.c.id == HEAD_ID)).first()
    return (row.length, row.hash) if row is not None else (0, chain.GENESIS)


def verify_log(connection: Connection) -> LogVerdict:
    """Check the chain from seq 1 to the head, stopping at the first break."""
    verdict, expected, prev, last_id = LogVerdict(), 1, chain.GENESIS, None
    length, head_hash = _head(connection)
    for entry in _entries(connection):
        if entry.seq > expected:
            verdict.broken = EntryBreak(expected, None, MISSING, f"the next entry present is seq {entry.seq} "
                                                                 f"(id {entry.id})")
            return verdict
        if entry.prev_hash != prev:
            verdict.broken = EntryBreak(entry.seq, entry.id, BROKEN,
                                        "its prev_hash is not the hash of the entry before it")
            return verdict
        if chain.event_hash(entry.prev_hash, entry._mapping, chain.AUDIT_CONTENT) != entry.hash:
            verdict.broken = EntryBreak(entry.seq, entry.id, ALTERED, "its hash does not match its content")
            return verdict
        verdict.entries, expected, prev, last_id = verdict.entries + 1, expected + 1, entry.hash, entry.id
    found = expected - 1
    if found < length:
        last = f"the last entry present is seq {found} (id {last_id})" if found else "no entry is present"
        verdict.broken = EntryBreak(expected, None, MISSING, f"the head records {length} entries; {last}")
    elif found > length or prev != head_hash:
        verdict.broken = EntryBreak(found, last_id, MISSING,
                                    f"the recorded head ({length} entries, hash {head_hash[:12]}...) does not match "
                                    "the last entry: an entry was removed and the chain rewritten, or the head "
                                    "was changed")
    return verdict
