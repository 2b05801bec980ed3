"""Case use cases after intake: every state change and session goes through here.

Each service checks the actor's right, fires the workflow trigger (which checks the state
and the guards), writes one case event and flushes. The request or command commits once.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

import workflows
from mediation import policy
from mediation.case_core.checks import (
    MAX_NOTE,
    fire_trigger,
    optional_note,
    precheck,
    required_note,
    text_problem,
    valid_date,
)
from mediation.case_core.conflicts import conflicts_of
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.money import MAX_ITEM_FEN
from mediation.extensions import db
from mediation.models import (
    SESSION_OUTCOMES,
    Case,
    MediationSession,
    User,
    Venue,
)


def case_assign(*, case: Case, actor: User, expected_version: int | None,
                venue: Venue | None, lawyer: User | None, reason: str = "") -> None:
    """Set the venue (and, for scripts and imports, the lawyer) of a case before mediation.

    People choose a lawyer on the proposal page (mediation.lawyers), which also asks for a
    reason when they do not take the first proposal; here the hard rules still hold: an
    active lawyer of the case's region with no conflict of interest.
    """
    check_version(case, expected_version)
    if policy.acting_role(actor, case) not in ("mediator", "admin"):
        raise NotPermitted(_l("Your role may not take this action."))
    if not policy.can_edit_assignment(actor, case):
        raise Refused(_l("The venue and lawyer can no longer be changed in this state."))
    reason = optional_note(reason, "reason")
    errors: dict[str, list[str]] = {}
    if venue is not None and (not venue.active or not policy.can_see_region(actor, venue.region)):
        errors["venue_id"] = [str(_l("Unknown venue."))]
    if lawyer is not None and (lawyer.role != "lawyer" or not lawyer.active
                               or not policy.can_see_region(lawyer, case.region)):
        errors["lawyer_id"] = [str(_l("This person cannot be assigned as the case's lawyer."))]
    elif lawyer is not None and lawyer.id != case.lawyer_id:
        if conflicts := conflicts_of(case, lawyer.id):
            errors["lawyer_id"] = conflicts
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    before = {"venue_id": case.venue_id, "lawyer_id": case.lawyer_id}
    with flush_or_conflict():
        case.venue_id = venue.id if venue else None
        case.lawyer_id = lawyer.id if lawyer else None
        after = {"venue_id": case.venue_id, "lawyer_id": case.lawyer_id}
        if after != before:
            record_event(case=case, actor=actor, action="assign", note=reason,
                         detail={"before": before, "after": after})


def case_refer(*, case: Case, actor: User, expected_version: int | None, venue: Venue | None,
               lawyer: User | None = None, note: str = "", referred_on: dt.date | None = None) -> None:
    check_version(case, expected_version)
    precheck(case, actor, "refer")
    if venue is None:
        raise ValidationFailed(_l("Choose the venue the case is referred to."),
                               field_errors={"venue_id": [str(_l("This field is required."))]})
    referred_on = valid_date(referred_on, case, "referred_on")
    note = optional_note(note)
    case_assign(case=case, actor=actor, expected_version=None, venue=venue, lawyer=lawyer)
    with flush_or_conflict():
        case.referred_on = referred_on
        fire_trigger(case, actor, "refer", note=note, detail={"venue_id": venue.id})


def case_start_mediation(*, case: Case, actor: User, expected_version: int | None,
                         started_on: dt.date | None = None) -> None:
    check_version(case, expected_version)
    precheck(case, actor, "start_mediation")
    started_on = valid_date(started_on, case, "started_on")
    deadline = workflows.mediation_deadline(started_on)
    with flush_or_conflict():
        fire_trigger(case, actor, "start_mediation", detail={"due_on": deadline.due_on.isoformat()})
        case.mediation_started_on = started_on
        case.mediation_due_on = deadline.due_on
        case.due_is_approximate = deadline.approximate


def case_extend(*, case: Case, actor: User, expected_version: int | None, days: int, agreement: str) -> None:
    """Extend the mediation period once, with the parties' agreement on record."""
    check_version(case, expected_version)
    precheck(case, actor, "extend")
    agreement = required_note(agreement, "agreement")
    if not 1 <= days <= workflows.MAX_EXTENSION_DAYS:  # the statutory limit (the edge states it too)
        message = _l("An extension is 1 to %(n)d days.", n=workflows.MAX_EXTENSION_DAYS)
        raise ValidationFailed(message, field_errors={"days": [str(message)]})
    deadline = workflows.extended_deadline(case.mediation_due_on, days)
    with flush_or_conflict():
        previous = case.mediation_due_on
        fire_trigger(case, actor, "extend", note=agreement,
              detail={"days": days, "from": previous.isoformat(), "to": deadline.due_on.isoformat()})
        case.extended = True
        case.mediation_due_on = deadline.due_on
        case.due_is_approximate = deadline.approximate


def case_settle(*, case: Case, actor: User, expected_version: int | None,
                agreed_fen: dict[int, int], settled_on: dt.date | None = None, note: str = "") -> None:
    """Record the agreed amount of every claim item and settle the case."""
    check_version(case, expected_version)
    precheck(case, actor, "settle")
    settled_on = valid_date(settled_on, case, "settled_on", not_before=case.mediation_started_on)
    note = optional_note(note)
    errors: dict[str, list[str]] = {}
    for item in case.claims:
        amount = agreed_fen.get(item.id)
        if amount is None:  # every item of the claim needs its agreed amount
            errors[f"agreed-{item.id}"] = [str(_l("Enter the agreed amount (0 if nothing was agreed)."))]
        elif amount < 0:
            errors[f"agreed-{item.id}"] = [str(_l("An amount cannot be negative."))]
        elif amount > MAX_ITEM_FEN:
            errors[f"agreed-{item.id}"] = [str(_l(
                "The amount is too large to be a real claim (at most 10,000,000.00 yuan)."))]
    unknown = set(agreed_fen) - {item.id for item in case.claims}
    if unknown:
        errors["agreed"] = [str(_l("An amount was given for a claim item that is not in this case."))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    with flush_or_conflict():
        for item in case.claims:
            item.agreed_fen = agreed_fen[item.id]
        try:
            fire_trigger(case, actor, "settle", note=note,
                  detail={"agreed_fen": {str(k): v for k, v in agreed_fen.items()}})
        except Refused:
            for item in case.claims:  # the guard refused these amounts: leave nothing behind
                db.session.expire(item)
            raise
        case.settled_on = settled_on


def _end_with_reason(case: Case, actor: User, expected_version: int | None, trigger: str, reason: str,
                     ended_on: dt.date | None) -> None:
    check_version(case, expected_version)
    precheck(case, actor, trigger)
    reason = required_note(reason)
    ended_on = valid_date(ended_on, case, "ended_on", not_before=case.mediation_started_on)
    with flush_or_conflict():
        fire_trigger(case, actor, trigger, note=reason)
        case.outcome_reason = reason
        case.ended_on = ended_on


def case_fail(*, case: Case, actor: User, expected_version: int | None, reason: str,
              ended_on: dt.date | None = None) -> None:
    _end_with_reason(case, actor, expected_version, "fail", reason, ended_on)


def case_withdraw(*, case: Case, actor: User, expected_version: int | None, reason: str,
                  ended_on: dt.date | None = None) -> None:
    _end_with_reason(case, actor, expected_version, "withdraw", reason, ended_on)


def case_reject(*, case: Case, actor: User, expected_version: int | None, reason: str,
                ended_on: dt.date | None = None) -> None:
    _end_with_reason(case, actor, expected_version, "reject", reason, ended_on)


def case_close(*, case: Case, actor: User, expected_version: int | None, note: str = "",
               closed_on: dt.date | None = None) -> None:
    check_version(case, expected_version)
    precheck(case, actor, "close")
    closed_on = valid_date(closed_on, case, "closed_on", not_before=case.settled_on)
    note = optional_note(note)
    with flush_or_conflict():
        fire_trigger(case, actor, "close", note=note)
        case.ended_on = closed_on


def session_record(*, case: Case, actor: User, expected_version: int | None, held_on: dt.date | None,
                   outcome: str, attendees: str = "", notes: str = "") -> MediationSession:
    """Log a mediation session; it does not change the state but bumps the case version."""
    check_version(case, expected_version)
    if not policy.can_record_session(actor, case):
        if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
            raise NotPermitted(_l("Your role may not take this action."))
        raise Refused(_l("Sessions can be recorded only while the case is in mediation."))
    errors: dict[str, list[str]] = {}
    if outcome not in SESSION_OUTCOMES:
        errors["outcome"] = [str(_l("Choose the outcome of the session."))]
    for name, text, max_len in (("attendees", attendees, 500), ("notes", notes, MAX_NOTE)):
        if problem := text_problem(text, max_len):
            errors[name] = [str(problem)]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    held_on = valid_date(held_on, case, "held_on", not_before=case.mediation_started_on)
    with flush_or_conflict():
        session = MediationSession(case_id=case.id, held_on=held_on, venue_id=case.venue_id,
                                   attendees=(attendees or "").strip(), notes=(notes or "").strip(),
                                   outcome=outcome, recorded_by_id=actor.id)
        db.session.add(session)
        case.updated_at = dt.datetime.now(dt.UTC)  # bumps the version: sessions are edits
        record_event(case=case, actor=actor, action="session", note=(notes or "").strip()[:200],
                     detail={"held_on": held_on.isoformat(), "outcome": outcome})
    return session
