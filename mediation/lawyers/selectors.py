"""Reads for the lawyers' pages: the workroom, the supervisor's view, a venue's week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

import workflows
from mediation import policy
from mediation.extensions import db
from mediation.lawyers.proposal import on_duty_ids
from mediation.models import Case, DutyRoster, LawyerProfile, MediationSession, RosterException, User, Venue


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass
class Workroom:
    today_sessions: list[MediationSession]
    week_sessions: list[MediationSession]
    open_cases: list[Case]
    case_numbers: dict[int, str]  # of the sessions' cases: a session has no `case` relationship


def workroom(lawyer: User, *, today: dt.date) -> Workroom:
    monday, sunday = week_of(today)
    rows = db.session.execute(
        select(MediationSession, Case.number).join(Case, Case.id == MediationSession.case_id)
        .options(joinedload(MediationSession.venue))
        .where(MediationSession.lawyer_id == lawyer.id, MediationSession.status == "scheduled",
               MediationSession.held_on.between(monday, sunday))
        .order_by(MediationSession.held_on, MediationSession.starts_at)).all()
    sessions = [session for session, _number in rows]
    overdue_first = sql_case((Case.mediation_due_on < today, 0), else_=1)
    cases = list(db.session.execute(
        select(Case).options(joinedload(Case.venue))
        .where(Case.lawyer_id == lawyer.id, Case.state.in_(workflows.OPEN_STATES))
        .order_by(overdue_first, Case.mediation_due_on.is_(None), Case.mediation_due_on, Case.received_on)
    ).scalars())
    return Workroom([s for s in sessions if s.held_on == today], sessions, cases,
                    {session.case_id: number for session, number in rows})


@dataclass
class Supervision:
    per_lawyer: list[tuple[User, int, int]]  # lawyer, open cases, overdue cases
    per_venue: list[tuple[Venue, int]]
    without_lawyer: list[Case]


def supervision(user: User, *, today: dt.date) -> Supervision:
    scoped = policy.scoped_cases(user).where(Case.state.in_(workflows.OPEN_STATES)).subquery()
    overdue = func.sum(sql_case(((scoped.c.state == "mediating") & (scoped.c.mediation_due_on < today), 1), else_=0))
    per_lawyer = [(lawyer, int(open_count), int(overdue_count or 0)) for lawyer, open_count, overdue_count in
                  db.session.execute(
                      select(User, func.count(scoped.c.id), overdue).join(scoped, scoped.c.lawyer_id == User.id)
                      .options(joinedload(User.region))
                      .group_by(User.id).order_by(overdue.desc(), func.count(scoped.c.id).desc())).all()]
    per_venue = [(venue, int(count)) for venue, count in db.session.execute(
        select(Venue, func.count(scoped.c.id)).join(scoped, scoped.c.venue_id == Venue.id)
        .group_by(Venue.id).order_by(func.count(scoped.c.id).desc())).all()]
    without_lawyer = list(db.session.execute(
        policy.scoped_cases(user).options(joinedload(Case.venue))
        .where(Case.state == "referred", Case.lawyer_id.is_(None)).order_by(Case.referred_on)).scalars())
    return Supervision(per_lawyer, per_venue, without_lawyer)


@dataclass
class VenueDay:
    day: dt.date
    on_duty: list[User]
    sessions: list[MediationSession]


def venue_week(venue: Venue, *, monday: dt.date) -> list[VenueDay]:
    """Who sits at the venue each day of the week, and the sessions booked there."""
    sunday = monday + dt.timedelta(days=6)
    rostered = select(DutyRoster.lawyer_id).where(DutyRoster.venue_id == venue.id).union(
        select(RosterException.lawyer_id).where(RosterException.venue_id == venue.id,
                                                RosterException.on_date.between(monday, sunday)))
    lawyers = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(rostered))).scalars()}
    sessions = list(db.session.execute(
        select(MediationSession).options(joinedload(MediationSession.lawyer))
        .where(MediationSession.venue_id == venue.id, MediationSession.status == "scheduled",
               MediationSession.held_on.between(monday, sunday))
        .order_by(MediationSession.starts_at)).scalars())
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        duty = on_duty_ids(venue_id=venue.id, on_date=day, lawyer_ids=list(lawyers)) if lawyers else set()
        days.append(VenueDay(day, sorted((lawyers[i] for i in duty), key=lambda u: u.full_name),
                             [s for s in sessions if s.held_on == day]))
    return days


def lawyers_in_scope(user: User) -> list[tuple[User, LawyerProfile | None]]:
    return list(db.session.execute(
        select(User, LawyerProfile).outerjoin(LawyerProfile, LawyerProfile.user_id == User.id)
        .options(joinedload(User.region))
        .where(User.role == "lawyer", User.region_code.in_(policy.region_subtree_codes(user.region)))
        .order_by(User.region_code, User.full_name)).all())


def roster_of(venue: Venue) -> list[DutyRoster]:
    return list(db.session.execute(
        select(DutyRoster).options(joinedload(DutyRoster.lawyer)).where(DutyRoster.venue_id == venue.id)
        .order_by(DutyRoster.weekday, DutyRoster.starts_on)).scalars())


