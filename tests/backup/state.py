"""What a round trip must preserve, read straight from the database (not through the backup code).

Through the session, not a connection of its own: in the tests every SQLite transaction begins
IMMEDIATE (mediation/web/sqlite.py), so a second connection would wait for the session's lock."""

from __future__ import annotations

from sqlalchemy import func, select, text

from mediation.extensions import db


def table_counts() -> dict[str, int]:
    return {table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables}


def case_events() -> list[tuple]:
    """Every column of every case event, in the order they were written."""
    events = db.metadata.tables["case_event"]
    return [tuple(row) for row in db.session.execute(select(events).order_by(events.c.id))]


def set_revision(revision: str) -> None:
    """Stamp the live database (only the alembic_version row; the schema stays as it is)."""
    db.session.execute(text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
    db.session.commit()


def revision() -> str:
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
