"""gunicorn's app for the worker-kill test: the real app, with one pause inside a case intake.

The first intake whose referral reference starts with "FAULT-" stops at its commit point, right
before the COMMIT (case, workers, claims, event and the statistics' summary all written and
flushed, nothing committed). It publishes, in $FAULT_BARRIER/paused.json, its pid and
the rows its own transaction sees, and sleeps until the test kills it. The hook lives here, not
in the application: production code carries no fault switch.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from tests.faults.rows import count_rows
from wsgi import app  # noqa: F401 (what gunicorn serves)

BARRIER = Path(os.environ["FAULT_BARRIER"])


@event.listens_for(Session, "before_commit")
def _pause_in_intake(session: Session) -> None:
    # the commit point (mediation/web/commit.py) has flushed the intake and kept the summary; the
    # referral's savepoint (mediation/cases/referrals.py) fires this too, before the summary: skip it
    if session.in_nested_transaction():
        return
    intake = session.connection().execute(text(
        "SELECT count(*) FROM case_file WHERE referral_ref LIKE 'FAULT-%'")).scalar_one()
    if not intake:
        return
    seen = count_rows(session.connection())
    draft = BARRIER / f"paused.{os.getpid()}"
    draft.write_text(json.dumps({"pid": os.getpid(), "seen": seen}))
    try:
        os.link(draft, BARRIER / "paused.json")  # atomic, and only once: the retry goes through
    except FileExistsError:
        return
    time.sleep(120)
