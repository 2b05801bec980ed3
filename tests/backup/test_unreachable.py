"""A database that cannot be reached, or no pg_dump: one line, a non-zero exit, no file left.
These need no database of their own (no `app` fixture)."""

from __future__ import annotations

import pytest

from mediation import create_app
from tests.conftest import base_config

# Slow path: a backup reads the database through a connection (or a file copy) of its own,
# and a restore replaces it: both need what the test wrote committed.
pytestmark = pytest.mark.real_commits

UNREACHABLE = "postgresql+psycopg://backup:s3cret-pw@127.0.0.1:1/nowhere"


def _invoke(uri: str, *args: str):
    app = create_app(base_config(uri))
    with app.app_context():
        return app.test_cli_runner().invoke(args=["backup", *args])


def _refused(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output
    for word in words:
        assert word in result.output, result.output


def test_an_unreachable_postgresql_server(tmp_path):
    target = tmp_path / "x.pgdump"
    result = _invoke(UNREACHABLE, "create", "--output", str(target))
    _refused(result, "cannot be used", "127.0.0.1", "nowhere")
    assert "s3cret-pw" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_pg_dump_not_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _refused(_invoke(UNREACHABLE, "create", "--output", str(tmp_path / "x.pgdump")), "pg_dump is not installed")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["create", "restore"])
def test_a_missing_sqlite_database(tmp_path, command):
    live = tmp_path / "gone" / "mediation.sqlite3"
    if command == "create":
        _refused(_invoke(f"sqlite:///{live}", "create", "--output", str(tmp_path / "x.sqlite3")), "cannot be opened")
        assert list(tmp_path.iterdir()) == []
    else:
        import sqlite3

        backup = tmp_path / "b.sqlite3"
        with sqlite3.connect(backup) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        _refused(_invoke(f"sqlite:///{live}", "restore", str(backup), "--yes"), "no Alembic revision")
