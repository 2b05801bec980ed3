"""Which lawyer should take a case: candidates ranked with their reasons, and who is excluded.

A fixed number of queries whatever the number of lawyers and cases (six): the candidates
with their profiles, who is on the venue's roster that day, the dated roster exceptions, the
open-case counts, and the two conflict sources. Ranking happens in Python over the candidate
rows only, which are few (the lawyers of one prefecture and the province).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

import workflows
from mediation.extensions import db
from mediation.models import (
    Case,
    CaseEvent,
    ConflictDeclaration,
    DutyRoster,
    LawyerProfile,
    Region,
    RosterException,
    User,
    Venue,
)


@dataclass
class Candidate:
    lawyer: User
    profile: LawyerProfile | None
    on_duty: bool = False
    same_region: bool = False
    speaks_language: bool = False
    specialty_matches: list[str] = field(default_factory=list)
    open_cases: int = 0
    exclusions: list[str] = field(default_factory=list)

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)

    def sort_key(self) -> tuple:
        return (not self.on_duty, not self.same_region, not self.speaks_language,
                -len(self.specialty_matches), self.open_cases, self.lawyer.full_name, self.lawyer.id)


@dataclass
class Proposal:
    on_date: dt.date
    ranked: list[Candidate]
    excluded: list[Candidate]

    @property
    def top(self) -> Candidate | None:
        return self.ranked[0] if self.ranked else None

    def find(self, lawyer_id: int) -> Candidate | None:
        return next((c for c in self.ranked + self.excluded if c.lawyer.id == lawyer_id), None)


def _prefecture_path(region: Region) -> str:
    """The path of the case's prefecture (or the region itself above that level)."""
    parts = region.path.strip("/").split("/")
    return "/".join(parts[:2]) + "/" if len(parts) >= 2 else region.path


def on_duty_ids(*, venue_id: int, on_date: dt.date, lawyer_ids: object) -> set[int]:
    """Lawyers on the venue's roster that weekday, minus leave, plus extra days (two queries)."""
    rostered = set(db.session.execute(
        select(DutyRoster.lawyer_id).where(
            DutyRoster.venue_id == venue_id, DutyRoster.weekday == on_date.weekday(),
            DutyRoster.starts_on <= on_date,
            or_(DutyRoster.ends_on.is_(None), DutyRoster.ends_on >= on_date),
            DutyRoster.lawyer_id.in_(lawyer_ids))).scalars())
    for lawyer_id, kind in db.session.execute(
            select(RosterException.lawyer_id, RosterException.kind).where(
                RosterException.on_date == on_date,
                or_(RosterException.venue_id == venue_id, RosterException.venue_id.is_(None)),
                RosterException.lawyer_id.in_(lawyer_ids))):
        if kind == "leave":
            rostered.discard(lawyer_id)
        elif kind == "extra":
            rostered.add(lawyer_id)
    return rostered


def _candidate_filter(case: Case, venue: Venue | None):
    """Active lawyers of the case's prefecture subtree or above it, or rostered at the venue."""
    prefecture = _prefecture_path(case.region)
    ancestors = case.region.path.strip("/").split("/")
    region_codes = select(Region.code).where(Region.path.startswith(prefecture, autoescape=True))
    near = or_(User.region_code.in_(ancestors), User.region_code.in_(region_codes))
    if venue is not None:
        near = or_(near, User.id.in_(select(DutyRoster.lawyer_id).where(DutyRoster.venue_id == venue.id)))
    return and_(User.role == "lawyer", User.active.is_(True), near)


def conflict_reasons(case: Case, lawyer_id: int | None = None) -> dict[int, list[str]]:
    """Why lawyers may not act in this case, by lawyer (three queries): a declared conflict with the
    employer's USCC, having acted for the employer in a case, or having declined this very case.
    Only `lawyer_id`, when given."""
    declared = select(ConflictDeclaration.lawyer_id).where(ConflictDeclaration.employer_uscc == case.employer.uscc)
    acted = select(Case.employer_agent_id).where(Case.employer_id == case.employer_id,
                                                 Case.employer_agent_id.is_not(None))
    declined = select(CaseEvent.actor_id).where(CaseEvent.case_id == case.id, CaseEvent.action == "decline")
    if lawyer_id is not None:
        declared = declared.where(ConflictDeclaration.lawyer_id == lawyer_id)
        acted = acted.where(Case.employer_agent_id == lawyer_id)
        declined = declined.where(CaseEvent.actor_id == lawyer_id)
    reasons: dict[int, list[str]] = {}
    for found, reason in ((declared, _l("Declared a conflict of interest with this employer.")),
                          (acted, _l("Has acted for this employer in an earlier case.")),
                          (declined, _l("Declined this case."))):
        for conflicted in set(db.session.execute(found).scalars()):
            reasons.setdefault(conflicted, []).append(str(reason))
    return reasons


def propose_lawyers(*, case: Case, venue: Venue | None, on_date: dt.date) -> Proposal:
    wanted = _candidate_filter(case, venue)
    rows = db.session.execute(
        select(User, LawyerProfile).outerjoin(LawyerProfile, LawyerProfile.user_id == User.id)
        .options(joinedload(User.region)).where(wanted)).all()
    candidates = {user.id: Candidate(user, profile) for user, profile in rows}
    ids_query = select(User.id).where(wanted).scalar_subquery()
    duty = on_duty_ids(venue_id=venue.id, on_date=on_date, lawyer_ids=ids_query) if venue else set()
    open_counts = dict(db.session.execute(
        select(Case.lawyer_id, func.count(Case.id)).where(
            # the ids already fetched, not the subquery: the planner misjudges the subquery's
            # size on PostgreSQL and reads every case (bench/proposal.py measured it)
            Case.lawyer_id.in_(list(candidates)), Case.state.in_(workflows.OPEN_STATES), Case.id != case.id)
        .group_by(Case.lawyer_id)).all())
    conflicts = conflict_reasons(case)
    claim_kinds = set(case.dispute_kinds)
    case_ancestors = set(case.region.path.strip("/").split("/"))
    prefecture = _prefecture_path(case.region)
    for candidate in candidates.values():
        lawyer, profile = candidate.lawyer, candidate.profile
        candidate.on_duty = lawyer.id in duty
        candidate.same_region = lawyer.region_code in case_ancestors or lawyer.region.path.startswith(prefecture)
        languages = set(profile.languages or []) if profile else {"zh"}
        candidate.speaks_language = case.language in languages
        candidate.specialty_matches = sorted(claim_kinds & set(profile.specialties or [] if profile else []))
        candidate.open_cases = open_counts.get(lawyer.id, 0)
        candidate.exclusions.extend(conflicts.get(lawyer.id, []))
    ordered = sorted(candidates.values(), key=Candidate.sort_key)
    return Proposal(on_date, [c for c in ordered if not c.excluded], [c for c in ordered if c.excluded])


def next_working_day(after: dt.date) -> dt.date:
    day = after + dt.timedelta(days=1)
    while not workflows.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


