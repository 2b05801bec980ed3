"""gunicorn's app for the worker-kill test: the real app, with one pause inside a case intake.

The first intake whose referral reference starts with "FAULT-" stops right after the flush
that writes its case event, the last one of the intake (case, workers, claims, summary and
event all written, nothing committed). It publishes, in $FAULT_BARRIER/paused.json, its pid and
the rows its own transaction sees, and sleeps until the test kills it. The hook lives here, not
in the application: production code carries no fault switch.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from mediation.models import CaseEvent
from tests.faults.rows import count_rows
from wsgi import app  # noqa: F401 (what gunicorn serves)

BARRIER = Path(os.environ["FAULT_BARRIER"])


@event.listens_for(Session, "after_flush")
def _pause_in_intake(session: Session, _context) -> None:  # noqa: ANN001
    intake = [item for item in session.new if isinstance(item, CaseEvent) and item.action == "intake"
              and (item.case.referral_ref or "").startswith("FAULT-")]
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
