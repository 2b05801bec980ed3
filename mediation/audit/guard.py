"""The database's refusal to change or remove a case event: triggers on case_event.

The app only ever inserts events (mediation/cases/events.py, the ledger import); these triggers
make the database refuse the rest, whoever asks: an UPDATE or DELETE of an event (a case's
deletion too, since it would cascade to its events) and, on PostgreSQL, a TRUNCATE. Both
backends raise an IntegrityError naming the refusal ("case_event is append-only").

The same statements serve the migration that introduced them (0011), db.create_all() (through
`attach`) and `events_unguarded`. On SQLite a migration that rebuilds case_event (Alembic's
batch mode copies the table) loses its triggers: such a migration must call `install` again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import DDL, Table, event
from sqlalchemy.engine import Connection

REFUSAL = "case_event is append-only"

_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION case_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
        MESSAGE = '{REFUSAL}: ' || TG_OP || ' refused',
        HINT = 'Case events are never changed or removed (mediation/audit/guard.py).';
END
$$
"""
_POSTGRESQL_TRIGGERS = {
    "case_event_append_only": "BEFORE UPDATE OR DELETE ON case_event FOR EACH ROW",
    "case_event_no_truncate": "BEFORE TRUNCATE ON case_event FOR EACH STATEMENT",
}
_SQLITE_TRIGGERS = {"case_event_no_update": "UPDATE", "case_event_no_delete": "DELETE"}


def _create_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [_POSTGRESQL_FUNCTION] + [
            f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION case_event_append_only()"
            for name, when in _POSTGRESQL_TRIGGERS.items()]
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {name} BEFORE {operation} ON case_event "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {operation} refused'); END"
                for name, operation in _SQLITE_TRIGGERS.items()]
    raise NotImplementedError(f"no append-only guard for {dialect}")


def _drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON case_event" for name in _POSTGRESQL_TRIGGERS] + [
            "DROP FUNCTION IF EXISTS case_event_append_only()"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS]


def install(connection: Connection) -> None:
    """Create the triggers (and on PostgreSQL their function) on an existing case_event."""
    for statement in _create_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def remove(connection: Connection) -> None:
    """Drop the triggers and on PostgreSQL their function (the migration's downgrade)."""
    for statement in _drop_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def attach(table: Table) -> None:
    """Give a case_event made by metadata.create_all() the same triggers as the migrations do."""
    for dialect in ("postgresql", "sqlite"):
        for statement in _create_statements(dialect):
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


@contextmanager
def events_unguarded(connection: Connection) -> Iterator[None]:
    """Lift the guard inside the connection's current transaction: for emptying tables between
    tests and benchmark runs, and for a restore. Never for the app.

    PostgreSQL disables the triggers (the table owner may; other sessions never see them off,
    as the change is only committed after they are enabled again); SQLite has no such switch, so
    they are dropped and re-created. DDL is transactional on both: if the block fails, rolling
    the transaction back restores the guard, which is why nothing is re-enabled on an error.
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        for name in _POSTGRESQL_TRIGGERS:
            connection.exec_driver_sql(f"ALTER TABLE case_event DISABLE TRIGGER {name}")
    else:
        remove(connection)
    yield
    if dialect == "postgresql":
        for name in _POSTGRESQL_TRIGGERS:
            connection.exec_driver_sql(f"ALTER TABLE case_event ENABLE TRIGGER {name}")
    else:
        install(connection)
