"""Reads for the case pages: the scoped, filtered list and the choices forms offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from mediation import policy
from mediation.extensions import db
from mediation.models import Case, Employer, Region, User, Venue, Worker


@dataclass
class CaseFilters:
    q: str = ""
    state: str = ""
    region: str = ""
    channel: str = ""
    overdue: str = ""  # "overdue" | "due_soon" | ""
    employer: str = ""  # a unified social credit code, matched exactly (the risk register links here)
    # Conditions another domain narrows the list with: the cases behind a figure of the
    # statistics page (mediation/stats/links.py).
    conditions: tuple = ()


def case_list_query(user: User, filters: CaseFilters, *, today: dt.date) -> Select:
    query = policy.scoped_cases(user)
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.channel:
        query = query.where(Case.channel == filters.channel)
    if filters.region:
        region = db.session.get(Region, filters.region)
        if region is not None and policy.can_see_region(user, region):
            query = query.where(Case.region_code.in_(policy.region_subtree_codes(region)))
    if filters.employer:
        # the master record's cases, as the risk register counts them
        query = query.where(Case.employer_id.in_(select(Employer.id).where(Employer.uscc == filters.employer)))
    if filters.conditions:
        query = query.where(*filters.conditions)
    if filters.overdue == "overdue":
        query = query.where(Case.state == "mediating", Case.mediation_due_on < today)
    elif filters.overdue == "due_soon":
        query = query.where(Case.state == "mediating", Case.mediation_due_on >= today,
                            Case.mediation_due_on <= today + dt.timedelta(days=3))
    text = filters.q.strip()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        # what each case recorded of its workers and employer, not what other cases did
        by_worker = select(Worker.case_id).where(Worker.name.like(pattern, escape="\\"))
        query = query.where(or_(
            Case.number.like(pattern, escape="\\"),
            Case.referral_ref.like(pattern, escape="\\"),
            Case.id.in_(by_worker),
            Case.employer_name.like(pattern, escape="\\"),
        ))
    return query.options(joinedload(Case.region), selectinload(Case.claims)).order_by(
        Case.received_on.desc(), Case.id.desc())


def regions_in_scope(user: User) -> list[Region]:
    return list(db.session.execute(
        select(Region).where(Region.code.in_(policy.region_subtree_codes(user.region))).order_by(Region.path)
    ).scalars())


def venues_in_scope(user: User) -> list[Venue]:
    query = select(Venue).where(Venue.active.is_(True),
                                Venue.region_code.in_(policy.region_subtree_codes(user.region)))
    return list(db.session.execute(query.order_by(Venue.region_code, Venue.name)).scalars())
