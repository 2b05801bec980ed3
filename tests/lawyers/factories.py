"""Factories of the lawyers' tests: lawyers with profiles, cases of a chosen employer and
language, roster entries, and the rows a refused call must leave as they were."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from sqlalchemy import func, select

from mediation.cases import services as case_services
from mediation.cases.intake import case_intake
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.services import lawyer_profile_save, roster_add, roster_exception_add
from mediation.models import (
    Case,
    ConflictDeclaration,
    DutyRoster,
    LawyerProfile,
    MediationSession,
    RosterException,
    User,
    Venue,
)
from tests.conftest import TEST_PASSWORD
from tests.factories import credit_code, intake_input, make_user

_serials = itertools.count(1)


def licence(serial: int | None = None) -> str:
    """A lawyer's licence number: 17 digits, unique within the test session."""
    return f"1{next(_serials) if serial is None else serial:016d}"


def make_lawyer(region: str = "220100", *, name: str | None = None, languages: tuple[str, ...] = ("zh",),
                specialties: tuple[str, ...] = (), active: bool = True, username: str | None = None) -> User:
    """A lawyer with a profile, made through the service, committed."""
    serial = next(_serials)
    user = lawyer_profile_save(
        actor=None, user=None, username=username or f"lawyer_p{serial}", full_name=name or f"律师{serial:04d}",
        region_code=region, password=TEST_PASSWORD, law_firm="吉林正义律师事务所", licence_no=licence(serial),
        languages=list(languages), specialties=list(specialties))
    user.active = active
    db.session.commit()
    return user


def new_case(mediator: User, *, venue: Venue | None, region: str = "220102", employer_uscc: str | None = None,
             language: str = "zh", lawyer: User | None = None) -> Case:
    """A case taken in and, with a venue, referred (to `lawyer`, if given); committed."""
    data = dataclasses.replace(intake_input(region=region, employer_uscc=employer_uscc or credit_code()),
                               language=language)
    case, _warnings = case_intake(actor=mediator, data=data)
    if venue is not None:
        case_services.case_refer(case=case, actor=mediator, expected_version=None, venue=venue, lawyer=lawyer)
    db.session.commit()
    return case


def give_open_cases(lawyer: User, count: int, *, mediator: User, venue: Venue, region: str = "220102") -> None:
    """`count` referred cases assigned to `lawyer` (the lawyer must cover `region`)."""
    for _ in range(count):
        new_case(mediator, venue=venue, region=region, lawyer=lawyer)


def admin() -> User:
    return make_user("admin", "220000")


def on_roster(lawyer: User, venue: Venue, weekday: int, *, starts_on: dt.date | None = None,
              ends_on: dt.date | None = None) -> DutyRoster:
    entry = roster_add(actor=admin(), lawyer=lawyer, venue=venue, weekday=weekday,
                       starts_on=starts_on or today() - dt.timedelta(days=30), ends_on=ends_on)
    db.session.commit()
    return entry


def roster_change(lawyer: User, venue: Venue, on_date: dt.date, kind: str) -> None:
    roster_exception_add(actor=admin(), lawyer=lawyer, venue=venue, on_date=on_date, kind=kind, note="测试")
    db.session.commit()


def lawyer_rows() -> dict[str, int]:
    """Row counts of the lawyers' tables, for `nothing_written(..., also=lawyer_rows)`."""
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (LawyerProfile, DutyRoster, RosterException, ConflictDeclaration, MediationSession)}
