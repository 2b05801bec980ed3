"""Reads for the case pages: the scoped, filtered list and the choices forms offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from mediation import policy
from mediation.extensions import db
from mediation.models import (
    Case,
    CaseEvent,
    Employer,
    EnforcementPath,
    Installment,
    Payment,
    Region,
    User,
    Venue,
    Worker,
    case_worker,
)
from mediation.stats.figures import StatsFilters, list_condition, narrowing
from mediation.stats.period import Period


@dataclass
class CaseFilters:
    q: str = ""
    state: str = ""
    region: str = ""
    channel: str = ""
    overdue: str = ""  # "overdue" | "due_soon" | ""
    employer: str = ""  # a unified social credit code, matched exactly (the risk register links here)
    # The cases behind a figure of the statistics page: its condition over that period, with the
    # page's own narrowing (channel and region come through the fields above).
    figure: str = ""
    period: Period | None = None
    kind: str = ""
    venue_id: int | None = None


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
        query = query.where(Case.employer_id.in_(select(Employer.id).where(Employer.uscc == filters.employer)))
    if filters.figure and filters.period is not None:
        stats = StatsFilters(period=filters.period, region=filters.region, channel=filters.channel,
                             kind=filters.kind, venue_id=filters.venue_id)
        condition = list_condition(filters.figure, stats)
        if condition is not None:
            query = query.where(condition, *narrowing(stats))
    if filters.overdue == "overdue":
        query = query.where(Case.state == "mediating", Case.mediation_due_on < today)
    elif filters.overdue == "due_soon":
        query = query.where(Case.state == "mediating", Case.mediation_due_on >= today,
                            Case.mediation_due_on <= today + dt.timedelta(days=3))
    text = filters.q.strip()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        by_worker = select(case_worker.c.case_id).join(Worker, Worker.id == case_worker.c.worker_id).where(
            Worker.name.like(pattern, escape="\\"))
        by_employer = select(Employer.id).where(Employer.name.like(pattern, escape="\\"))
        query = query.where(or_(
            Case.number.like(pattern, escape="\\"),
            Case.referral_ref.like(pattern, escape="\\"),
            Case.id.in_(by_worker),
            Case.employer_id.in_(by_employer),
        ))
    return query.options(joinedload(Case.employer), joinedload(Case.region), selectinload(Case.claims)).order_by(
        Case.received_on.desc(), Case.id.desc())


def case_by_number(user: User, number: str) -> Case | None:
    """The case if it exists and lies in the user's scope: callers answer 404 otherwise."""
    return db.session.execute(
        policy.scoped_cases(user).where(Case.number == number).options(
            selectinload(Case.claims), selectinload(Case.workers),
            selectinload(Case.payments).options(joinedload(Payment.worker), joinedload(Payment.recorded_by)),
            # the schedule and enforcement tables read each installment's worker and allocations
            # and each path's payments: loaded with the case, not one query per row
            selectinload(Case.installments).options(joinedload(Installment.worker),
                                                    selectinload(Installment.allocations)),
            selectinload(Case.enforcement_paths).selectinload(EnforcementPath.payments),
            selectinload(Case.events).joinedload(CaseEvent.actor), selectinload(Case.sessions))
    ).scalar_one_or_none()


def regions_in_scope(user: User) -> list[Region]:
    return list(db.session.execute(
        select(Region).where(Region.code.in_(policy.region_subtree_codes(user.region))).order_by(Region.path)
    ).scalars())


def venues_in_scope(user: User) -> list[Venue]:
    query = select(Venue).where(Venue.active.is_(True),
                                Venue.region_code.in_(policy.region_subtree_codes(user.region)))
    return list(db.session.execute(query.order_by(Venue.region_code, Venue.name)).scalars())
