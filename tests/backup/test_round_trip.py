"""`flask backup create` then `flask backup restore`: the database is back at the moment of the
backup, every table's rows and every case event to the byte, its audit chain intact (CI runs
this on both backends)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, insert, select, text

from mediation import create_app
from mediation.audit.verify import verify_history
from mediation.extensions import db
from mediation.models import Case, Region, User
from tests.backup.state import case_events, table_counts
from tests.conftest import base_config
from tests.factories import make_case, make_user

# Slow path: a backup reads the database through a connection (or a file copy) of its own,
# and a restore replaces it: both need what the test wrote committed.
pytestmark = pytest.mark.real_commits


def _history_intact(counts: dict[str, int]) -> bool:
    verdict = verify_history(db.session.connection())
    return verdict.broken is None and (verdict.cases, verdict.events) == (counts["case_file"], counts["case_event"])


def _count_line(output: str, table: str, count: int) -> bool:
    return re.search(rf"^\s+{table}\s+{count}$", output, re.MULTILINE) is not None


def test_restore_brings_back_every_row_and_event_of_the_backup_moment(runner, tmp_path):
    for state in ("intake", "withdrawn", "mediating", "enforcing", "closed"):
        make_case(state)
    counts, history = table_counts(), case_events()
    assert counts["case_event"] > 10 and counts["payment"] > 0 and counts["enforcement_path"] > 0
    assert _history_intact(counts)
    path = tmp_path / "moment.backup"

    created = runner.invoke(args=["backup", "create", "--output", str(path)])
    assert created.exit_code == 0, created.output
    assert str(path) in created.output and "personal data" in created.output
    assert _count_line(created.output, "case_event", counts["case_event"])
    assert _count_line(created.output, "case_file", counts["case_file"])

    # After the backup: a new case (with its own events) and an edited user.
    added_id = make_case("mediating").id
    user = db.session.execute(select(User).order_by(User.id)).scalars().first()
    user.full_name, user_id = "改名之后", user.id
    db.session.commit()
    assert table_counts() != counts

    restored = runner.invoke(args=["backup", "restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "the latest this code knows" in restored.output
    assert _count_line(restored.output, "case_event", counts["case_event"])
    assert table_counts() == counts
    assert case_events() == history
    assert _history_intact(counts)
    assert db.session.get(Case, added_id) is None
    assert db.session.get(User, user_id).full_name != "改名之后"


def test_a_backup_holds_committed_rows_only_while_another_connection_writes(runner, tmp_path):
    make_user("admin", "220000")
    regions = table_counts()["region"]
    db.session.commit()  # the session holds no lock: the writer below is the only one
    with db.engine.connect() as writer:  # a request in the middle of its transaction
        writer.execute(insert(Region).values(code="229999", parent_code="220000", level="prefecture",
                                             name_zh="未提交", name_en="Uncommitted", path="220000/229999/"))
        created = runner.invoke(args=["backup", "create", "--output", str(tmp_path / "busy.backup")])
        writer.rollback()
    assert created.exit_code == 0, created.output
    assert _count_line(created.output, "region", regions)
    assert _count_line(created.output, "user_account", 1)


@pytest.fixture
def empty_database_uri(app, tmp_path):
    """A database beside the test one that has never been touched: a new SQLite file, or a new
    PostgreSQL database (named after the test database, dropped afterwards)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'mediation.sqlite3'}"
        return
    name = f"{url.database}_restored"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_backup_restores_into_an_empty_database(runner, tmp_path, empty_database_uri):
    make_case("closed")
    counts, history = table_counts(), case_events()
    path = tmp_path / "for-a-new-machine.backup"
    assert runner.invoke(args=["backup", "create", "--output", str(path)]).exit_code == 0
    if empty_database_uri.startswith("sqlite"):
        (tmp_path / "restored").mkdir()  # the folder is there, the database file lost
    elsewhere = create_app(base_config(empty_database_uri))
    with elsewhere.app_context():
        try:
            restored = elsewhere.test_cli_runner().invoke(args=["backup", "restore", str(path), "--yes"])
            assert restored.exit_code == 0, restored.output
            assert "the latest this code knows" in restored.output
            assert table_counts() == counts and case_events() == history
            assert _history_intact(counts)
        finally:
            db.session.remove()
            db.engine.dispose()
