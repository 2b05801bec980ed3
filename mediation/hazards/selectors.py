"""Reading the hazard register: the hazards of a user's region subtree, filtered, and one hazard."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import joinedload

from mediation import policy
from mediation.extensions import db
from mediation.models import Employer, Hazard, Region, User


@dataclass(frozen=True)
class HazardFilters:
    status: str = ""  # "open", "closed" or "" for both
    level: str = ""
    kind: str = ""
    region: str = ""  # a region code: that region and those below it
    employer: str = ""  # a credit code (the risk register's link)


def scoped_hazards(user: User) -> Select:
    """The hazards the user may read: those of their home region's subtree."""
    return select(Hazard).where(Hazard.region_code.in_(policy.region_subtree_codes(user.region)))


def hazard_list_query(user: User, filters: HazardFilters) -> Select:
    query = scoped_hazards(user)
    if filters.status == "open":
        query = query.where(Hazard.outcome.is_(None))
    elif filters.status == "closed":
        query = query.where(Hazard.outcome.is_not(None))
    if filters.level:
        query = query.where(Hazard.level == filters.level)
    if filters.kind:
        query = query.where(Hazard.kind == filters.kind)
    if filters.employer:
        query = query.where(Hazard.employer_id.in_(select(Employer.id).where(Employer.uscc == filters.employer)))
    if filters.region:  # a region of the user's scope (the form offers no other): it and those below it
        region = db.session.get(Region, filters.region)
        query = query.where(Hazard.region_code.in_(policy.region_subtree_codes(region)) if region is not None
                            else false())
    return query.options(joinedload(Hazard.employer), joinedload(Hazard.region)).order_by(
        Hazard.found_on.desc(), Hazard.id.desc())


def hazard_or_404(user: User, hazard_id: int) -> Hazard:
    """The hazard if the user may read it; another region's does not exist for them."""
    hazard = db.session.execute(scoped_hazards(user).where(Hazard.id == hazard_id)).scalar_one_or_none()
    if hazard is None:
        abort(404)
    return hazard


def open_hazards_by_employer(employer_ids: list[int]) -> dict[int, int]:
    """{employer id: open hazards}, across all regions, like the risk register's other counts."""
    if not employer_ids:
        return {}
    rows = db.session.execute(select(Hazard.employer_id, func.count(Hazard.id))
                              .where(Hazard.employer_id.in_(employer_ids), Hazard.outcome.is_(None))
                              .group_by(Hazard.employer_id))
    return {employer_id: int(count) for employer_id, count in rows}
