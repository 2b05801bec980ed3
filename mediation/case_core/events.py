"""The case history: one append-only event and one log line for every change of consequence."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from mediation.audit import chain
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import Case, CaseEvent, User

log = logging.getLogger("mediation.cases")

_TOUCHED = "cases_touched"


def note_cases_touched(case_ids: Iterable[int]) -> None:
    """Name cases whose facts this transaction changed, for the statistics the commit point keeps
    (mediation/web/commit.py). record_event does it for every case event; a bulk import that
    writes its events without the ORM does it for its cases."""
    db.session.info.setdefault(_TOUCHED, set()).update(case_ids)


def take_cases_touched() -> set[int]:
    """The cases named since the last commit point, forgotten once taken."""
    return db.session.info.pop(_TOUCHED, set())


def record_event(
    *,
    case: Case,
    actor: User | None,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append an event to the case's history, chained to the one before it.

    The next seq and the previous hash come from the case row, which this moves on: the case's
    version check at the flush makes a concurrent append a Conflict rather than a fork (and the
    unique (case_id, seq) refuses whatever would slip past it). The case must be flushed (its id).
    """
    values = {"case_id": case.id, "seq": case.history_length + 1, "at": utcnow(),
              "actor_id": actor.id if actor else None, "action": action, "from_state": from_state,
              "to_state": to_state, "note": note, "detail": chain.as_stored(detail)}
    event = CaseEvent(case=case, **chain.link(values, case.history_head_hash))
    case.history_length, case.history_head_hash = event.seq, event.hash
    db.session.add(event)
    note_cases_touched([case.id])
    # No personal data in logs: the case number and the action are enough to find the event.
    log.info("case %s %s %s->%s by %s", case.number, action, from_state, to_state,
             actor.username if actor else "system")
    return event
