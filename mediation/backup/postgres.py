"""PostgreSQL through pg_dump and pg_restore (custom format), pointed at the app's database.

The connection comes from the SQLAlchemy URL; the password travels in PGPASSWORD, never on the
command line, where any user of the machine could read it in the process list."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL

from mediation.backup.files import BackupError

CONNECT_TIMEOUT_S = "10"  # an unreachable server fails in seconds, not after TCP's minutes


def conninfo(url: URL) -> str:
    """A libpq connection string (no password) for the URL's database; query options such as
    sslmode or host=/run/postgresql pass through, as they do when psycopg connects."""
    params: dict[str, object] = {"dbname": url.database, "host": url.host, "port": url.port, "user": url.username}
    params.update({key: value for key, value in url.query.items() if isinstance(value, str)})
    return " ".join(f"{key}={_quote(str(value))}" for key, value in params.items() if value not in (None, ""))


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def environment(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    env.setdefault("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT_S)
    return env


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed or not on PATH (Debian: apt-get install postgresql-client).")
    return path


def _run(args: list[str], *, what: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, errors="replace", check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {_first_error(result.stderr) or f'exit status {result.returncode}'}")
    return result.stdout


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    chosen = next((line for line in lines if "error:" in line), lines[0] if lines else "")
    return chosen.split("error:", 1)[-1].strip()


def dump(url: URL, target: Path, snapshot: str) -> None:
    """pg_dump the database into target, as of an exported snapshot (the one the row counts saw)."""
    _run([tool("pg_dump"), "--format=custom", "--no-password", f"--snapshot={snapshot}",
          f"--file={target}", f"--dbname={conninfo(url)}"], what="pg_dump", env=environment(url))


def check(path: Path) -> tuple[str, ...]:
    """Read the whole archive (a truncated one fails here, before the database is touched);
    return the Alembic revisions it holds."""
    pg_restore = tool("pg_restore")
    try:
        _run([pg_restore, f"--file={os.devnull}", str(path)], what="pg_restore")
        script = _run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(path)],
                      what="pg_restore")
    except BackupError as error:
        raise BackupError(f"{path} is damaged or truncated ({error}).") from None
    return _copied_rows(script, "alembic_version")


def _copied_rows(script: str, table: str) -> tuple[str, ...]:
    rows: list[str] = []
    inside = False
    for line in script.splitlines():
        if inside and line == "\\.":
            break
        if inside:
            rows.append(line)
        inside = inside or (line.startswith("COPY ") and f".{table} " in line)
    return tuple(rows)


def restore(url: URL, path: Path) -> None:
    """Replace the database's objects with the archive's, all in one transaction: a failure
    halfway (a truncated file, a lock, a full disk) leaves the database as it was."""
    try:
        _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
              f"--dbname={conninfo(url)}", str(path)], what="pg_restore", env=environment(url))
    except BackupError as error:
        raise BackupError(f"{error}; the database was left as it was.") from None
