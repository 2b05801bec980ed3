"""Checks every case service shares: free text, dates, and firing a workflow trigger as an actor.

Each raises the ServiceError a form or the API shows to the user, naming the field. Their input
has passed the edge (the page's form, the API's schema: mediation/common/fields.py), so a value
has its type; what is checked here is what the edge cannot know (blank after trimming, the
case's dates).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

import workflows
from mediation import policy
from mediation.case_core.events import record_event
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today
from mediation.models import Case, User

MAX_NOTE = 2000


def field_error(field: str, message) -> ValidationFailed:  # noqa: ANN001
    return ValidationFailed(_l("Please correct the marked fields."), field_errors={field: [str(message)]})


def text_problem(value: str | None, max_len: int):  # noqa: ANN201
    """Why optional free text is unusable (too long once trimmed), or None."""
    if len((value or "").strip()) > max_len:
        return _l("At most %(n)d characters.", n=max_len)
    return None


def optional_note(note: str | None, field: str = "note") -> str:
    """An optional note: refused, never silently cut, when it is too long."""
    problem = text_problem(note, MAX_NOTE)
    if problem:
        raise field_error(field, problem)
    return (note or "").strip()


def required_note(note: str, field: str = "reason") -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_l("Please give a reason."), field_errors={field: [str(_l("This field is required."))]})
    if len(note) > MAX_NOTE:
        raise ValidationFailed(_l("The text is too long."),
                               field_errors={field: [str(_l("At most %(n)d characters.", n=MAX_NOTE))]})
    return note


def valid_date(value: dt.date | None, case: Case, field: str, *, not_before: dt.date | None = None) -> dt.date:
    value = value or today()
    problem = None
    if value > today():
        problem = _l("The date cannot be in the future.")
    elif value < (not_before or case.received_on):
        problem = _l("The date cannot be before %(date)s.", date=(not_before or case.received_on).isoformat())
    if problem:
        raise ValidationFailed(problem, field_errors={field: [str(problem)]})
    return value


def fire_trigger(case: Case, actor: User, trigger: str, *, note: str = "", detail: dict | None = None) -> None:
    """Fire a workflow trigger as this actor and record it; the caller has set the fields."""
    role = policy.acting_role(actor, case)
    try:
        from_state, to_state = workflows.fire(case, trigger, role)
    except workflows.TransitionRefused as refused:
        error = NotPermitted if refused.kind == "role" else Refused
        raise error(gettext(refused.reason)) from None
    record_event(case=case, actor=actor, action=trigger, from_state=from_state, to_state=to_state,
                 note=note, detail=detail)


def precheck(case: Case, actor: User, trigger: str, *, guards: bool = False) -> None:
    """Refuse before touching any field, so a refused action leaves the case as it was.

    Guards are left to the trigger itself unless `guards`: some (the agreed amounts of a
    settlement) are met by the very fields the service is about to set.
    """
    refused = workflows.refusal(case, trigger, policy.acting_role(actor, case))
    if refused and (guards or refused.kind in ("unknown", "role", "state")):
        error = NotPermitted if refused.kind == "role" else Refused
        raise error(gettext(refused.reason))
