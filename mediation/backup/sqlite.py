"""SQLite through its online backup API, never a file copy: a copied file can catch a page in
the middle of a write and misses whatever still sits in the -wal file. The backup API reads one
consistent snapshot while the app goes on writing (WAL readers do not block writers)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import NullPool

from mediation.backup.files import BackupError

BUSY_TIMEOUT_S = 15  # as long as the app waits for a write lock (mediation/web/sqlite.py)
HEADER_SIZE = 100


def database_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"Only an SQLite database in a file can be backed up, not {url.database or 'memory'!r}.")
    return Path(url.database)


def _connect(path: Path, *, read_only: bool, create: bool = False) -> sqlite3.Connection:
    # Not the default "rwc" unless asked: a database that is missing when it should be there is
    # an error, not a new empty file.
    mode = "ro" if read_only else "rwc" if create else "rw"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be opened: {error}.") from None


def copy_out(live: Path, target: Path) -> None:
    """Back the live database up into target (an empty file)."""
    try:
        with closing(_connect(live, read_only=True)) as source, closing(_connect(target, read_only=False)) as copy:
            source.backup(copy)  # all pages in one step: one read transaction, one snapshot
            # The live database is in WAL mode; the copy becomes one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"The backup of {live} failed: {error}.") from None


def copy_in(backup: Path, live: Path) -> None:
    """Replace the live database's content with the backup's, page by page, under its write lock.
    A lost database file is recreated: restoring is how one comes back from losing it."""
    try:
        with (closing(_connect(backup, read_only=True)) as source,
              closing(_connect(live, read_only=False, create=True)) as target):
            source.backup(target)
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise BackupError(f"The restore into {live} failed: {error}.") from None


def check(path: Path) -> tuple[str, ...]:
    """Refuse a truncated or damaged file before it touches the live database; its Alembic revisions."""
    with path.open("rb") as file:
        header = file.read(HEADER_SIZE)
    size = path.stat().st_size
    if len(header) < HEADER_SIZE:
        raise BackupError(f"{path} is truncated: {size} bytes, shorter than an SQLite header.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is only trusted when the change counter matches "version-valid-for".
    if pages and header[24:28] == header[92:96] and size < pages * page_size:
        raise BackupError(f"{path} is truncated: {size} bytes where its header says {pages * page_size}.")
    try:
        with closing(_connect(path, read_only=True)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check(3)")]
            if problems != ["ok"]:
                raise BackupError(f"{path} is damaged: {'; '.join(problems)}.")
            return _revisions(connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is damaged or truncated: {error}.") from None


def _revisions(connection: sqlite3.Connection) -> tuple[str, ...]:
    try:
        return tuple(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
    except sqlite3.OperationalError:  # no such table: not a database the migrations made
        return ()


def read_only_engine(path: Path) -> Engine:
    """An engine on a backup file, to count its rows without changing it."""
    return create_engine("sqlite://", creator=lambda: _connect(path, read_only=True), poolclass=NullPool)
