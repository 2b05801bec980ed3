"""The case history: one append-only event and one log line for every change of consequence."""

from __future__ import annotations

import logging
from typing import Any

from mediation.extensions import db
from mediation.models import Case, CaseEvent, User

log = logging.getLogger("mediation.cases")


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
    event = CaseEvent(
        case_id=case.id,
        actor_id=actor.id if actor else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        detail=detail or {},
    )
    db.session.add(event)
    # No personal data in logs: the case number and the action are enough to find the event.
    log.info("case %s %s %s->%s by %s", case.number, action, from_state, to_state,
             actor.username if actor else "system")
    return event
