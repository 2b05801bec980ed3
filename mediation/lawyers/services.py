"""Writes about lawyers: profiles, the roster, conflicts, assigning a lawyer, booking sessions."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediation import policy
from mediation.admin.services import user_create
from mediation.audit.log import audit_record, changes
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.identity import InvalidIdentifier, check_mobile, check_uscc
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import Proposal, conflict_reasons, propose_lawyers
from mediation.lawyers.sessions import check_booking, sessions_booked
from mediation.models import (
    CLAIM_KINDS,
    LANGUAGES,
    Case,
    ConflictDeclaration,
    DutyRoster,
    LawyerProfile,
    MediationSession,
    RosterException,
    User,
    Venue,
)

ASSIGNABLE_STATES = ("intake", "referred", "mediating")
MAX_REASON = 2000


def _fail(field: str, message) -> ValidationFailed:  # noqa: ANN001
    return ValidationFailed(_l("Please correct the marked fields."), field_errors={field: [str(message)]})


def _reason(text: str | None, field: str = "reason", *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise _fail(field, _l("Please give a reason."))
    if len(text) > MAX_REASON:
        raise _fail(field, _l("At most %(n)d characters.", n=MAX_REASON))
    return text


def can_manage_roster(actor: User, venue: Venue) -> bool:
    """Admins and the supervisors of the venue's region edit its roster."""
    return actor.role in ("admin", "supervisor") and policy.can_see_region(actor, venue.region)


# --- profiles ---------------------------------------------------------------------------

def lawyer_profile_save(*, actor: User | None, user: User | None, law_firm: str, licence_no: str,
                        phone: str = "", languages: list[str], specialties: list[str],
                        username: str = "", full_name: str = "", region_code: str = "", password: str = "",
                        active: bool = True) -> User:
    """Create a lawyer (login and profile) or update one. `actor` None: the command line."""
    if actor is not None and actor.role != "admin":
        raise NotPermitted(_l("Only an administrator manages lawyers."))
    law_firm = (law_firm or "").strip()
    if not law_firm or len(law_firm) > 120:
        raise _fail("law_firm", _l("A name of 1 to 120 characters is required."))
    licence_no = (licence_no or "").strip()
    if len(licence_no) != 17 or not licence_no.isascii() or not licence_no.isdigit():
        raise _fail("licence_no", _l("A lawyer's licence number has 17 digits."))
    taken = db.session.execute(select(LawyerProfile.user_id).where(LawyerProfile.licence_no == licence_no)).scalar()
    if taken is not None and (user is None or taken != user.id):
        raise _fail("licence_no", _l("This licence number is already registered."))
    clean_phone = None
    if (phone or "").strip():
        try:
            clean_phone = check_mobile(phone)
        except InvalidIdentifier as exc:
            raise _fail("phone", exc) from None
    if not languages or any(code not in LANGUAGES for code in languages):
        raise _fail("languages", _l("Choose at least one language."))
    if any(kind not in CLAIM_KINDS for kind in specialties or []):
        raise _fail("specialties", _l("Unknown claim kind."))
    created = user is None
    if user is None:  # the login is recorded as every user's is ("user.create"), the profile below
        user = user_create(actor=actor, username=username, full_name=full_name, role="lawyer",
                           region_code=region_code, password=password)
    elif user.role != "lawyer":
        raise _fail("user", _l("This person is not a lawyer."))
    old = None if created else user.lawyer_profile
    before, phone_before = ({}, None) if old is None else (_profile_fields(user), old.phone)
    if not created:
        user.active = active
    profile = user.lawyer_profile or LawyerProfile(user=user)
    profile.law_firm, profile.licence_no, profile.phone = law_firm, licence_no, clean_phone
    profile.languages, profile.specialties = list(dict.fromkeys(languages)), list(dict.fromkeys(specialties or []))
    db.session.add(profile)
    db.session.flush()
    changed = changes(before, _profile_fields(user))
    if clean_phone != phone_before:  # that it changed, never the number
        changed["phone_changed"] = [False, True]
    if changed:  # a save that changes nothing is no operation to record
        audit_record(actor=actor, action="lawyer.create" if created else "lawyer.update", region_code=user.region_code,
                     target_kind="user", target_id=user.id, detail={"username": user.username, "changes": changed})
    return user


def _profile_fields(user: User) -> dict:
    """What the audit log follows of a lawyer (of the phone, see lawyer_profile_save: only that it changed)."""
    profile = user.lawyer_profile
    return {"law_firm": profile.law_firm, "licence_no": profile.licence_no, "languages": list(profile.languages),
            "specialties": list(profile.specialties), "active": user.active}


# --- roster -----------------------------------------------------------------------------

def roster_add(*, actor: User, lawyer: User, venue: Venue, weekday: int, starts_on: dt.date | None,
               ends_on: dt.date | None = None) -> DutyRoster:
    if not can_manage_roster(actor, venue):
        raise NotPermitted(_l("You may not edit this venue's roster."))
    if lawyer.role != "lawyer" or not lawyer.active:
        raise _fail("lawyer_id", _l("This person is not an active lawyer."))
    if not venue.active:
        raise _fail("venue_id", _l("Unknown venue."))
    if weekday is None or not 0 <= weekday <= 6:
        raise _fail("weekday", _l("Choose a weekday."))
    if starts_on is None:
        raise _fail("starts_on", _l("This field is required."))
    if ends_on is not None and ends_on < starts_on:
        raise _fail("ends_on", _l("The end cannot be before the start."))
    overlapping = db.session.execute(select(DutyRoster.id).where(
        DutyRoster.lawyer_id == lawyer.id, DutyRoster.venue_id == venue.id, DutyRoster.weekday == weekday,
        (DutyRoster.ends_on.is_(None)) | (DutyRoster.ends_on >= starts_on),
        *([DutyRoster.starts_on <= ends_on] if ends_on else []))).first()
    if overlapping:
        raise _fail("weekday", _l("This lawyer is already on this venue's roster for that weekday."))
    entry = DutyRoster(lawyer_id=lawyer.id, venue_id=venue.id, weekday=weekday, starts_on=starts_on, ends_on=ends_on)
    db.session.add(entry)
    db.session.flush()
    _audit_roster(actor, "roster.add", venue, entry)
    return entry


def roster_remove(*, actor: User, entry: DutyRoster) -> None:
    if not can_manage_roster(actor, entry.venue):
        raise NotPermitted(_l("You may not edit this venue's roster."))
    venue = entry.venue
    db.session.delete(entry)
    db.session.flush()
    _audit_roster(actor, "roster.remove", venue, entry)


def _audit_roster(actor: User, action: str, venue: Venue, entry: DutyRoster) -> None:
    audit_record(actor=actor, action=action, region_code=venue.region_code, target_kind="duty_roster",
                 target_id=entry.id, detail={
                     "lawyer_id": entry.lawyer_id, "venue_id": venue.id, "weekday": entry.weekday,
                     "starts_on": entry.starts_on.isoformat(),
                     "ends_on": entry.ends_on.isoformat() if entry.ends_on else None})


def roster_exception_add(*, actor: User, lawyer: User, venue: Venue, on_date: dt.date | None, kind: str,
                         note: str = "", confirm_booked: bool = False) -> RosterException:
    """Leave or an extra day. Leave on a day the lawyer has sessions booked at the venue is refused
    (409, naming them) unless `confirm_booked`: they are to be moved, never left silently double-booked."""
    if not can_manage_roster(actor, venue):
        raise NotPermitted(_l("You may not edit this venue's roster."))
    if lawyer.role != "lawyer":
        raise _fail("lawyer_id", _l("This person is not an active lawyer."))
    if kind not in ("leave", "extra"):
        raise _fail("kind", _l("Choose leave or an extra day."))
    if on_date is None:
        raise _fail("on_date", _l("This field is required."))
    note = _reason(note, "note", required=False)[:200]
    booked = db.session.execute(select(MediationSession.id).where(
        MediationSession.lawyer_id == lawyer.id, MediationSession.venue_id == venue.id,
        MediationSession.held_on == on_date, MediationSession.status == "scheduled")).scalars().all()
    if kind == "leave" and booked and confirm_booked is not True:
        raise _booked_refusal(actor, lawyer, venue, on_date, len(booked))
    exception = RosterException(lawyer_id=lawyer.id, venue_id=venue.id, on_date=on_date, kind=kind, note=note)
    db.session.add(exception)
    db.session.flush()
    detail = {"lawyer_id": lawyer.id, "venue_id": venue.id, "on_date": on_date.isoformat(), "kind": kind}
    if kind == "leave" and booked:  # confirmed with these still booked: on record, to be moved
        detail["sessions_booked"] = sorted(booked)
    audit_record(actor=actor, action="roster.exception", region_code=venue.region_code, target_kind="roster_exception",
                 target_id=exception.id, detail=detail)
    return exception


def _booked_refusal(actor: User, lawyer: User, venue: Venue, on_date: dt.date, count: int) -> Refused:
    """Names the sessions the actor may see (case number and time); the others only by their number."""
    seen = sessions_booked(lawyer_id=lawyer.id, venue_id=venue.id, on_date=on_date, viewer=actor)
    named = "; ".join(f"{case.number} {s.starts_at:%H:%M}–{s.ends_at:%H:%M}" for s, case in seen)
    if count > len(seen):
        named = f"{named}; " if named else ""
        named += str(_l("%(n)d more in cases outside your scope", n=count - len(seen)))
    message = _l("%(name)s has %(n)d session(s) booked here on %(date)s: %(sessions)s. Move them, or confirm "
                 "the leave to record it with them still booked.", name=lawyer.full_name, n=count,
                 date=on_date.isoformat(), sessions=named)
    return Refused(message, field_errors={"confirm_booked": [str(message)]})


# --- conflicts --------------------------------------------------------------------------

def conflict_declare(*, actor: User, lawyer: User, employer_uscc: str, note: str = "") -> ConflictDeclaration:
    """A lawyer (or an admin for them) declares a conflict with an employer."""
    if not (actor.id == lawyer.id or actor.role == "admin"):
        raise NotPermitted(_l("Only the lawyer or an administrator may declare a conflict."))
    try:
        code = check_uscc(employer_uscc).value
    except InvalidIdentifier as exc:
        raise _fail("employer_uscc", exc) from None
    declaration = ConflictDeclaration(lawyer_id=lawyer.id, employer_uscc=code,
                                      note=_reason(note, "note", required=False))
    db.session.add(declaration)
    db.session.flush()
    # Not the note: free text that may name people.
    audit_record(actor=actor, action="lawyer.conflict", region_code=lawyer.region_code, target_kind="conflict",
                 target_id=declaration.id, detail={"lawyer_id": lawyer.id, "employer_uscc": code})
    return declaration


# --- assignment -------------------------------------------------------------------------

def case_assign_lawyer(*, case: Case, actor: User, lawyer: User, expected_version: int | None,
                       reason: str = "", proposal: Proposal | None = None, region_override: bool = False,
                       follow_proposal: bool = True) -> None:
    """Assign (or reassign) the case's lawyer.

    With `follow_proposal`, a lawyer other than the proposal's first needs a written reason.
    Refused: an inactive lawyer, a conflict of interest (never overridable), and a lawyer
    from outside the case's region unless `region_override` is set with a reason.
    """
    check_version(case, expected_version)
    if policy.acting_role(actor, case) not in ("mediator", "admin"):
        raise NotPermitted(_l("Your role may not take this action."))
    if case.state not in ASSIGNABLE_STATES:
        raise Refused(_l("A lawyer can be assigned only before the mediation has ended."))
    if lawyer.role != "lawyer" or not lawyer.active:
        raise _fail("lawyer_id", _l("This lawyer is not active and cannot be assigned."))
    if lawyer.id == case.lawyer_id:
        raise _fail("lawyer_id", _l("This lawyer is already assigned to the case."))
    proposal = proposal or propose_lawyers(case=case, venue=case.venue, on_date=today())
    candidate = proposal.find(lawyer.id)
    # A lawyer the proposal did not consider (from outside the region) has their conflicts checked too.
    exclusions = candidate.exclusions if candidate is not None else conflict_reasons(case, lawyer.id).get(lawyer.id, [])
    if exclusions:
        raise _fail("lawyer_id", " ".join(exclusions))
    outside = candidate is None or not candidate.same_region
    reason = _reason(reason, required=(outside and region_override)
                     or (follow_proposal and proposal.top is not None and proposal.top.lawyer.id != lawyer.id))
    if outside and not region_override:
        raise _fail("lawyer_id", _l(
            "This lawyer works outside the case's region: tick the override and give a reason."))
    action = "reassign_lawyer" if case.lawyer_id else "assign_lawyer"
    with flush_or_conflict():
        previous = case.lawyer_id
        case.lawyer_id = lawyer.id
        cancelled = _cancel_bookings(case, previous)
        record_event(case=case, actor=actor, action=action, note=reason, detail={
            "from": previous, "to": lawyer.id, "proposed_first": proposal.top.lawyer.id if proposal.top else None,
            "region_override": bool(outside), "sessions_cancelled": cancelled})


def lawyer_decline(*, case: Case, actor: User, expected_version: int | None, reason: str) -> None:
    """The assigned lawyer declines the case; the mediator must assign another."""
    check_version(case, expected_version)
    if case.lawyer_id != actor.id:
        raise NotPermitted(_l("Only the assigned lawyer can decline the case."))
    if case.state not in ASSIGNABLE_STATES:
        raise Refused(_l("A lawyer can be assigned only before the mediation has ended."))
    reason = _reason(reason, required=True)
    with flush_or_conflict():
        case.lawyer_id = None
        cancelled = _cancel_bookings(case, actor.id)
        record_event(case=case, actor=actor, action="decline", note=reason,
                     detail={"lawyer": actor.id, "sessions_cancelled": cancelled})


def _cancel_bookings(case: Case, lawyer_id: int | None) -> int:
    """A lawyer who leaves a case leaves its booked sessions: free their slots."""
    if lawyer_id is None:
        return 0
    sessions = db.session.execute(select(MediationSession).where(
        MediationSession.case_id == case.id, MediationSession.lawyer_id == lawyer_id,
        MediationSession.status == "scheduled")).scalars().all()
    for session in sessions:
        session.status = "cancelled"
    return len(sessions)


# --- sessions on the calendar -----------------------------------------------------------

def session_schedule(*, case: Case, actor: User, expected_version: int | None, on_date: dt.date | None,
                     starts_at: dt.time | None, ends_at: dt.time | None, override_reason: str = "") -> MediationSession:
    """Book the case's lawyer at the case's venue; no double booking, duty days unless overridden."""
    check_version(case, expected_version)
    if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
        raise NotPermitted(_l("Your role may not take this action."))
    if case.state not in ("referred", "mediating"):
        raise Refused(_l("Sessions can be scheduled once the case is referred and until mediation ends."))
    if case.lawyer is None or case.venue is None:
        raise Refused(_l("Assign a venue and a lawyer before scheduling a session."))
    override = check_booking(case, on_date=on_date, starts_at=starts_at, ends_at=ends_at,
                             override_reason=override_reason)
    with flush_or_conflict():
        session = MediationSession(case_id=case.id, held_on=on_date, status="scheduled", starts_at=starts_at,
                                   ends_at=ends_at, lawyer_id=case.lawyer_id, venue_id=case.venue_id,
                                   duty_override=override, recorded_by_id=actor.id)
        db.session.add(session)
        case.updated_at = dt.datetime.now(dt.UTC)
        record_event(case=case, actor=actor, action="schedule", note=override,
                     detail={"on": on_date.isoformat(), "from": starts_at.strftime("%H:%M"),
                             "to": ends_at.strftime("%H:%M"), "duty_override": bool(override)})
    db.session.expire(case, ["sessions"])
    return session
