"""Backup files: where they go, who may read them, and which kind of database a file holds."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"  # pg_dump --format=custom
KIND_NAMES = {"sqlite": "an SQLite database", "postgresql": "a pg_dump custom-format archive"}
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the operator."""


def file_kind(path: Path) -> str | None:
    """"sqlite", "postgresql" or None, from the file's first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a directory, not a backup file.") from None
    except OSError as error:
        raise BackupError(f"{path} cannot be read: {error.strerror}.") from None
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.startswith(PGDUMP_HEADER):
        return "postgresql"
    return None


def default_target(directory: Path, kind: str, now: dt.datetime) -> Path:
    """A new timestamped file in directory, which is made private: backups hold personal data."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)  # mkdir's mode goes through the umask, and the folder may predate us
    stem = f"mediation-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    for n in itertools.count(1):
        candidate = directory / f"{stem}{'' if n == 1 else f'-{n}'}{SUFFIXES[kind]}"
        if not candidate.exists() and not _partial(candidate).exists():
            return candidate
    raise AssertionError("unreachable")


def _partial(target: Path) -> Path:
    return target.with_name(target.name + ".partial")


@contextmanager
def private_file(target: Path) -> Iterator[Path]:
    """An empty 0600 file beside target, renamed onto it when the block succeeds and removed
    when it fails: a failed backup never leaves a half-written file under the final name, and
    the data is never readable by others, not even while it is being written."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose another --output.")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a directory.")
    partial = _partial(target)
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupError(f"{partial} exists: another backup is being written, or remove it.") from None
    except OSError as error:
        raise BackupError(f"{partial} cannot be created: {error.strerror}.") from None
    try:
        yield partial
        partial.chmod(0o600)  # in case a tool recreated the file with its own mode
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            break
        value /= 1024
    return f"{value:.1f} {unit}"
