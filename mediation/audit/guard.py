"""The database's refusal to change or remove a record of what happened: triggers on the
append-only tables, case_event (the case histories), personal_data_access (who saw full ID
numbers and phones) and audit_entry (the privileged operations that are no case event).

The app only ever inserts into them (mediation/cases/events.py, the ledger import,
mediation/disclosure, mediation/audit/log.py); these triggers make the database refuse the rest,
whoever asks: an UPDATE or DELETE of a row (a case's deletion too, since it would cascade to its events) and, on
PostgreSQL, a TRUNCATE. Both backends raise an IntegrityError naming the refusal ("case_event
is append-only").

The same statements serve the migrations that introduced them (0011, 0012, 0013), db.create_all()
(through `attach`) and `events_unguarded`. On SQLite a migration that rebuilds a guarded table
(Alembic's batch mode copies the table) loses its triggers: such a migration must call
`install` again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import DDL, Table, event, inspect
from sqlalchemy.engine import Connection

GUARDED_TABLES = ("case_event", "personal_data_access", "audit_entry")


def refusal(table: str) -> str:
    return f"{table} is append-only"



def _postgresql_triggers(table: str) -> dict[str, str]:
    return {f"{table}_append_only": f"BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW",
            f"{table}_no_truncate": f"BEFORE TRUNCATE ON {table} FOR EACH STATEMENT"}


def _sqlite_triggers(table: str) -> dict[str, str]:
    return {f"{table}_no_update": "UPDATE", f"{table}_no_delete": "DELETE"}


def _create_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        function = f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
        MESSAGE = '{refusal(table)}: ' || TG_OP || ' refused',
        HINT = 'These rows are never changed or removed (mediation/audit/guard.py).';
END
$$
"""
        return [function] + [f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {table}_append_only()"
                             for name, when in _postgresql_triggers(table).items()]
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{refusal(table)}: {operation} refused'); END"
                for name, operation in _sqlite_triggers(table).items()]
    raise NotImplementedError(f"no append-only guard for {dialect}")


def _drop_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in _postgresql_triggers(table)] + [
            f"DROP FUNCTION IF EXISTS {table}_append_only()"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_triggers(table)]


def install(connection: Connection, table: str = "case_event") -> None:
    """Create the triggers (and on PostgreSQL their function) on an existing guarded table."""
    for statement in _create_statements(connection.dialect.name, table):
        connection.exec_driver_sql(statement)


def remove(connection: Connection, table: str = "case_event") -> None:
    """Drop the triggers and on PostgreSQL their function (a migration's downgrade)."""
    for statement in _drop_statements(connection.dialect.name, table):
        connection.exec_driver_sql(statement)


def attach(table: Table) -> None:
    """Give a guarded table made by metadata.create_all() the same triggers as the migrations do."""
    for dialect in ("postgresql", "sqlite"):
        for statement in _create_statements(dialect, table.name):
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


@contextmanager
def events_unguarded(connection: Connection) -> Iterator[None]:
    """Lift the guard of every guarded table inside the connection's current transaction: for
    emptying tables between tests and benchmark runs, and for a restore. Never for the app.

    PostgreSQL disables the triggers (the table owner may; other sessions never see them off,
    as the change is only committed after they are enabled again); SQLite has no such switch, so
    they are dropped and re-created. DDL is transactional on both: if the block fails, rolling
    the transaction back restores the guard, which is why nothing is re-enabled on an error.
    A table the schema does not have yet (an older revision, in the migration tests) is skipped.
    """
    present = set(inspect(connection).get_table_names())
    tables = [table for table in GUARDED_TABLES if table in present]
    for table in tables:
        _switch(connection, table, on=False)
    yield
    for table in tables:
        _switch(connection, table, on=True)


def _switch(connection: Connection, table: str, *, on: bool) -> None:
    if connection.dialect.name == "postgresql":
        for name in _postgresql_triggers(table):
            connection.exec_driver_sql(f"ALTER TABLE {table} {'ENABLE' if on else 'DISABLE'} TRIGGER {name}")
    elif on:
        install(connection, table)
    else:
        remove(connection, table)
