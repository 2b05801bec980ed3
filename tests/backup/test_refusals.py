"""What `flask backup` refuses, each with a one-line message and a non-zero exit, the live
database untouched."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from mediation.backup import service
from mediation.extensions import db
from mediation.models import Case
from tests.backup.state import revision, set_revision, table_counts
from tests.factories import make_case

# Slow path: a backup reads the database through a connection (or a file copy) of its own,
# and a restore replaces it: both need what the test wrote committed.
pytestmark = pytest.mark.real_commits


@pytest.fixture
def backup(runner, tmp_path):
    """A backup of one case, then a second case added after it."""
    make_case("mediating")
    path = tmp_path / "one-case.backup"
    result = runner.invoke(args=["backup", "create", "--output", str(path)])
    assert result.exit_code == 0, result.output
    make_case("intake")
    return path


def _refused(result, *words: str) -> None:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def _untouched(counts: dict[str, int]) -> None:
    assert table_counts() == counts
    assert db.session.query(Case).count() == 2


def test_restore_without_yes_changes_nothing(runner, backup):
    counts = table_counts()
    _refused(runner.invoke(args=["backup", "restore", str(backup)]), "--yes", "replaces everything")
    _untouched(counts)


def test_restore_of_a_truncated_backup_says_so_and_changes_nothing(runner, backup):
    counts = table_counts()
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    _refused(runner.invoke(args=["backup", "restore", str(backup), "--yes"]), "truncated", str(backup))
    _untouched(counts)
    _refused(runner.invoke(args=["backup", "verify", str(backup)]), "truncated")


def test_restore_of_the_other_backends_file_says_which_is_which(app, runner, backup, tmp_path):
    counts = table_counts()
    other = tmp_path / "other.backup"
    if db.engine.dialect.name == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(200))
        words = ("pg_dump custom-format archive", "configured database is sqlite")
    else:
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE t (x)")
        words = ("SQLite database", "configured database is postgresql")
    _refused(runner.invoke(args=["backup", "restore", str(other), "--yes"]), *words)
    _untouched(counts)


@pytest.mark.parametrize(("content", "words"), [
    (None, ("no such file",)),
    (b"name,amount\n", ("neither an SQLite database nor a pg_dump",)),
], ids=["missing", "not a backup"])
def test_restore_of_a_file_that_is_no_backup(runner, backup, tmp_path, content, words):
    counts = table_counts()
    path = tmp_path / "not-a-backup"
    if content is not None:
        path.write_bytes(content)
    _refused(runner.invoke(args=["backup", "restore", str(path), "--yes"]), *words)
    _untouched(counts)


def test_restore_of_a_backup_from_newer_code_is_refused(runner, tmp_path):
    make_case("intake")
    head = revision()
    set_revision("9999_from_the_future")
    try:
        created = runner.invoke(args=["backup", "create", "--output", str(tmp_path / "future.backup")])
    finally:
        set_revision(head)
    assert created.exit_code == 0, created.output
    make_case("intake")
    counts = table_counts()
    _refused(runner.invoke(args=["backup", "restore", str(tmp_path / "future.backup"), "--yes"]),
             "9999_from_the_future", "does not know", "nothing was restored")
    _untouched(counts)
    assert revision() == head


def test_restore_of_an_older_revision_asks_for_an_upgrade(app, runner, tmp_path):
    make_case("intake")
    head = revision()
    older = service.migration_scripts().get_revision(head).down_revision
    set_revision(older)
    try:
        assert runner.invoke(args=["backup", "create", "--output", str(tmp_path / "old.backup")]).exit_code == 0
        set_revision(head)
        restored = runner.invoke(args=["backup", "restore", str(tmp_path / "old.backup"), "--yes"])
        assert restored.exit_code == 0, restored.output
        assert f"revision {older}, older than this code ({head})" in restored.output
        assert "flask db upgrade" in restored.output
        assert revision() == older
    finally:
        set_revision(head)  # only the stamp differed: the schema the fixture expects is intact


def test_backup_into_an_existing_file_is_refused(runner, backup):
    before = backup.read_bytes()
    _refused(runner.invoke(args=["backup", "create", "--output", str(backup)]), "already exists")
    assert backup.read_bytes() == before


def test_default_backups_are_private_and_timestamped(runner, backup_dir):
    make_case("intake")
    first = runner.invoke(args=["backup", "create"])
    second = runner.invoke(args=["backup", "create"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    files = sorted(backup_dir.iterdir())
    assert len(files) == 2 and all(f"{path}" in first.output + second.output for path in files)
    assert all(path.name.startswith("mediation-") for path in files)  # same second: the second gets "-2"
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)


def test_a_backup_named_on_the_command_line_is_private_too(runner, backup):
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not backup.with_name(backup.name + ".partial").exists()


def test_verify_reads_a_good_backup(runner, backup):
    result = runner.invoke(args=["backup", "verify", str(backup)])
    assert result.exit_code == 0, result.output
    assert "readable" in result.output and "the latest this code knows" in result.output
