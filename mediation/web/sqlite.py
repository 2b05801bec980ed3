"""SQLite as a server-grade embedded default: WAL, a busy timeout, and writes that lock up front.

pysqlite starts transactions lazily and deferred: a request that reads and then writes takes
the write lock only at its first write, and if another writer holds it then, SQLite returns
"database is locked" at once instead of waiting out the busy timeout. So we take transaction
control from pysqlite and begin every transaction of a writing request (any method but
GET/HEAD/OPTIONS, and every CLI command) with BEGIN IMMEDIATE, which waits for the lock.
"""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 15_000


def _is_writing_request() -> bool:
    return not has_request_context() or request.method not in READ_ONLY_METHODS


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _is_writing_request() else "BEGIN")
