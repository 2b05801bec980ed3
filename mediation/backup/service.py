"""`flask backup create`, `restore` and `verify`, whatever the configured database is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from mediation.backup import postgres, sqlite
from mediation.backup.files import KIND_NAMES, BackupError, default_target, file_kind, private_file
from mediation.common.timeutil import utcnow
from mediation.extensions import db

SUPPORTED = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    counts: dict[str, int]


@dataclass(frozen=True)
class BackupFile:
    kind: str
    revisions: tuple[str, ...]
    state: str  # current, behind (older than the code: run `flask db upgrade`), unknown, none


@dataclass(frozen=True)
class Restore:
    counts: dict[str, int]
    revisions: tuple[str, ...]  # read back from the restored database
    state: str


def backup_dir() -> Path:
    return Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


def database_label() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows in every table of the models that the database has."""
    present = set(inspect(connection).get_table_names())
    return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables if table.name in present}


def migration_scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def code_heads() -> tuple[str, ...]:
    return tuple(migration_scripts().get_heads())


def revision_state(revisions: tuple[str, ...]) -> str:
    script = migration_scripts()
    if not revisions:
        return "none"
    try:
        if any(script.get_revision(revision) is None for revision in revisions):
            return "unknown"
    except (RevisionError, CommandError):  # alembic wraps the resolution error in CommandError
        return "unknown"
    return "current" if set(revisions) == set(script.get_heads()) else "behind"


def create_backup(output: Path | None = None) -> Backup:
    engine = _engine()
    kind = engine.dialect.name
    target = output or default_target(backup_dir(), kind, utcnow())
    with _reachable(engine), private_file(target) as partial:
        if kind == "sqlite":
            sqlite.copy_out(sqlite.database_path(engine.url), partial)
            counts = _counts_of(sqlite.read_only_engine(partial))  # what the file holds, exactly
        else:
            postgres.tool("pg_dump")  # missing, it is said before any work is done
            with _exported_snapshot(engine) as (snapshot, connection):
                counts = row_counts(connection)
                postgres.dump(engine.url, partial, snapshot)
    return Backup(target, target.stat().st_size, counts)


def inspect_backup(path: Path) -> BackupFile:
    """What a backup file holds, after reading all of it: a damaged file raises BackupError."""
    kind = file_kind(path)
    if kind is None:
        raise BackupError(f"{path} is neither {KIND_NAMES['sqlite']} nor {KIND_NAMES['postgresql']}.")
    revisions = sqlite.check(path) if kind == "sqlite" else postgres.check(path)
    return BackupFile(kind, revisions, revision_state(revisions))


def restore_backup(path: Path) -> Restore:
    engine = _engine()
    kind = file_kind(path)  # the cheap refusal first: the wrong kind of file
    if kind is not None and kind != engine.dialect.name:
        raise BackupError(f"{path} is {KIND_NAMES[kind]}, but the configured database is {engine.dialect.name}; "
                          "nothing was restored.")
    source = inspect_backup(path)
    if source.state == "none":
        raise BackupError(f"{path} has no Alembic revision: it is not a backup of this application's database.")
    if source.state == "unknown":
        raise BackupError(f"{path} is at revision {', '.join(source.revisions)}, which this code does not know "
                          "(a backup made by a newer version?); nothing was restored.")
    # Our own connections must hold no lock the restore would wait for, and none may keep a
    # cached view of the old schema afterwards.
    db.session.remove()
    engine.dispose()
    with _reachable(engine):
        if kind == "sqlite":
            sqlite.copy_in(path, sqlite.database_path(engine.url))
        else:
            postgres.restore(engine.url, path)
        engine.dispose()
        with engine.connect() as connection:
            counts = row_counts(connection)
            revisions = tuple(MigrationContext.configure(connection).get_current_heads())
    return Restore(counts, revisions, revision_state(revisions))


def _engine() -> Engine:
    engine = db.engine
    if engine.dialect.name not in SUPPORTED:
        raise BackupError(f"Backups of {engine.dialect.name} databases are not supported.")
    return engine


def _counts_of(engine: Engine) -> dict[str, int]:
    try:
        with engine.connect() as connection:
            return row_counts(connection)
    finally:
        engine.dispose()


@contextmanager
def _exported_snapshot(engine: Engine) -> Iterator[tuple[str, Connection]]:
    """A repeatable-read transaction whose snapshot pg_dump imports: the row counts printed are
    those of the dump, even while the app goes on writing."""
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection.execute(text("SELECT pg_export_snapshot()")).scalar_one(), connection


@contextmanager
def _reachable(engine: Engine) -> Iterator[None]:
    """A database that cannot be reached is a one-line message, not a traceback."""
    try:
        yield
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
        raise BackupError(f"The database {engine.url.render_as_string(hide_password=True)} "
                          f"cannot be used: {reason}") from None
