"""Helpers of the audit tests: reading a case's chain, running `flask audit verify`, and changing
case_event behind the app's back as someone with the table owner's rights could."""

from __future__ import annotations

from sqlalchemy import select, text

from mediation.audit.guard import events_unguarded
from mediation.extensions import db
from mediation.models import CaseEvent


def chain_of(case_id: int) -> list[CaseEvent]:
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)))


def tamper(statement: str, **params) -> None:
    """Run SQL on case_event with the guard lifted, and commit: what the verifier must catch."""
    db.session.rollback()
    with events_unguarded(db.session.connection()):
        db.session.execute(text(statement), params)
    db.session.commit()


def run_verify(runner, *args: str):  # noqa: ANN001, ANN201
    """`flask audit verify ARGS`. The command reads on a connection of its own: the test's session
    first ends its transaction, which on SQLite would hold the write lock the command waits for."""
    db.session.rollback()
    return runner.invoke(args=["audit", "verify", *args])
