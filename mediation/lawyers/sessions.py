"""Sessions on the lawyers' calendar: the checks every booking passes, and cancelling or moving one.

A booking (a new one, or a booked session moved to another time) must be in the future, end after
it starts and not clash with the lawyer's other bookings; on a day the lawyer is not on duty at
the venue (not on its roster that weekday, on leave) or on a day that is no working day (weekends
and the official holidays), it needs a written reason. Cancelling frees the slot; moving books the
new time as a new session and keeps the old one, marked "rescheduled", so the history of the
times stays readable beside the case event that holds both.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import workflows
from mediation import policy
from mediation.case_core.checks import MAX_NOTE, field_error, required_note
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused
from mediation.common.timeutil import today, utcnow
from mediation.extensions import db
from mediation.lawyers.proposal import on_duty_ids
from mediation.models import Case, MediationSession, User


def check_booking(case: Case, *, on_date: dt.date | None, starts_at: dt.time | None, ends_at: dt.time | None,
                  override_reason: str, moving: MediationSession | None = None) -> str:
    """Refuse a booking of the case's lawyer at the case's venue that cannot be (ValidationFailed
    naming the field); return the override reason it needs ("" when it needs none). `moving`: the
    session being moved, which does not clash with its own new time."""
    if on_date is None or not isinstance(on_date, dt.date) or isinstance(on_date, dt.datetime):
        raise field_error("on_date", _l("This field is required."))
    if on_date < today():
        raise field_error("on_date", _l("A session cannot be booked in the past."))
    if (not isinstance(starts_at, dt.time) or not isinstance(ends_at, dt.time)) or ends_at <= starts_at:
        raise field_error("ends_at", _l("The session must end after it starts."))
    clashes = select(MediationSession).where(
        MediationSession.lawyer_id == case.lawyer_id, MediationSession.held_on == on_date,
        MediationSession.status == "scheduled", MediationSession.starts_at < ends_at,
        MediationSession.ends_at > starts_at)
    if moving is not None:
        clashes = clashes.where(MediationSession.id != moving.id)
    clash = db.session.execute(clashes).scalars().first()
    if clash is not None:
        raise field_error("starts_at", _l("The lawyer is already booked from %(start)s to %(end)s that day.",
                                          start=clash.starts_at.strftime("%H:%M"), end=clash.ends_at.strftime("%H:%M")))
    on_duty = case.lawyer_id in on_duty_ids(venue_id=case.venue_id, on_date=on_date, lawyer_ids=[case.lawyer_id])
    if on_duty and workflows.is_working_day(on_date):
        return ""
    override = override_reason.strip() if isinstance(override_reason, str) else ""
    if not override:
        raise field_error("override_reason", _l(
            "The lawyer is not on duty at this venue that day (roster, leave) or it is no working day: "
            "give the reason for booking it."))
    if len(override) > MAX_NOTE:
        raise field_error("override_reason", _l("At most %(n)d characters.", n=MAX_NOTE))
    return override


def _booked(case: Case, session_id: int | None) -> MediationSession:
    valid = isinstance(session_id, int) and not isinstance(session_id, bool)
    session = next((s for s in case.sessions if valid and s.id == session_id), None)
    if session is None:
        raise field_error("session_id", _l("Choose a session of this case."))
    if session.status != "scheduled":
        raise Refused(_l("This session is no longer booked: it was held, cancelled or moved already."),
                      field_errors={"session_id": [str(_l("This session is no longer booked."))]})
    return session


def _slot(session: MediationSession) -> dict:
    clock = {name: getattr(session, name).strftime("%H:%M") if getattr(session, name) else None
             for name in ("starts_at", "ends_at")}
    return {"on": session.held_on.isoformat(), "from": clock["starts_at"], "to": clock["ends_at"],
            "lawyer_id": session.lawyer_id}


def session_cancel(*, case: Case, actor: User, expected_version: int | None, session_id: int | None,
                   reason: str) -> MediationSession:
    """Cancel a booked session of the case, with a reason: the lawyer's slot is free again."""
    check_version(case, expected_version)
    if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
        raise NotPermitted(_l("Your role may not take this action."))
    session = _booked(case, session_id)
    reason = required_note(reason)
    with flush_or_conflict():
        session.status, session.change_reason = "cancelled", reason
        case.updated_at = utcnow()
        record_event(case=case, actor=actor, action="cancel_session", note=reason,
                     detail={"session_id": session.id, "before": {**_slot(session), "status": "scheduled"},
                             "after": {"status": "cancelled"}})
    db.session.expire(case, ["sessions"])
    return session


def session_reschedule(*, case: Case, actor: User, expected_version: int | None, session_id: int | None,
                       on_date: dt.date | None, starts_at: dt.time | None, ends_at: dt.time | None, reason: str,
                       override_reason: str = "") -> MediationSession:
    """Move a booked session to another time, with the checks of a new booking; the old one stays
    on record as "rescheduled", the new one points back at it."""
    check_version(case, expected_version)
    if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
        raise NotPermitted(_l("Your role may not take this action."))
    if not policy.can_schedule_session(actor, case):
        raise Refused(_l("Sessions can be moved once the case is referred and until mediation ends, with a "
                         "venue and a lawyer."))
    old = _booked(case, session_id)
    reason = required_note(reason)
    override = check_booking(case, on_date=on_date, starts_at=starts_at, ends_at=ends_at,
                             override_reason=override_reason, moving=old)
    if (on_date, starts_at, ends_at, case.lawyer_id) == (old.held_on, old.starts_at, old.ends_at, old.lawyer_id):
        raise field_error("on_date", _l("This is the time it is booked for already."))
    with flush_or_conflict():
        old.status, old.change_reason = "rescheduled", reason
        new = MediationSession(case_id=case.id, held_on=on_date, status="scheduled", starts_at=starts_at,
                               ends_at=ends_at, lawyer_id=case.lawyer_id, venue_id=case.venue_id,
                               duty_override=override, rescheduled_from_id=old.id, recorded_by_id=actor.id)
        db.session.add(new)
        case.updated_at = utcnow()
        db.session.flush()
        record_event(case=case, actor=actor, action="reschedule_session", note=reason, detail={
            "session_id": new.id, "before": {**_slot(old), "session_id": old.id}, "after": _slot(new),
            "duty_override": bool(override)})
    db.session.expire(case, ["sessions"])
    return new


def sessions_booked(*, lawyer_id: int, venue_id: int, on_date: dt.date,
                    viewer: User) -> list[tuple[MediationSession, Case]]:
    """The lawyer's sessions booked at the venue that day, with their cases, among the cases the
    viewer may see (a roster page names no case of another region)."""
    scoped = policy.scoped_cases(viewer).subquery()
    return [tuple(row) for row in db.session.execute(
        select(MediationSession, Case).join(Case, Case.id == MediationSession.case_id)
        .where(MediationSession.lawyer_id == lawyer_id, MediationSession.venue_id == venue_id,
               MediationSession.held_on == on_date, MediationSession.status == "scheduled",
               Case.id.in_(select(scoped.c.id)))
        .order_by(MediationSession.starts_at)).all()]
