"""The employer risk register (预警): employers ranked by disputes and defaults in a period.

Everything is counted by the database in a few grouped subqueries joined on the employer;
nothing loads cases into Python. The counts run across ALL regions on purpose (an employer's
trouble in another prefecture is what a supervisor needs to see coming), but they are only
aggregates: no case of another region is named, and each row links to the case list, which
shows the viewer only the cases of their own region's subtree. The column "in your region"
says how many of the disputes the viewer can actually open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, distinct, func, literal, select, union
from sqlalchemy.orm import aliased

from mediation.common.timeutil import today as local_today
from mediation.extensions import db
from mediation.hazards.selectors import open_hazards_by_employer
from mediation.models import Case, ClaimItem, Employer, EnforcementPath, Installment, PaymentAllocation, Region
from mediation.stats.period import Period

COLUMNS = ("disputes", "in_region", "workers", "defaults", "claimed", "regions", "hazards")

LABELS = {
    "rank": _l("Rank"),
    "employer": _l("Employer"),
    "uscc": _l("Unified social credit code"),
    "disputes": _l("Disputes"),
    "in_region": _l("In your region"),
    "workers": _l("Workers involved"),
    "defaults": _l("Defaults"),
    "claimed": _l("Claimed (yuan)"),
    "regions": _l("Prefectures"),
    "hazards": _l("Open hazards"),
}

GLOSSARY = {
    "disputes": _l("Cases against the employer received in the period, in every region of the province, "
                   "whatever has become of them since."),
    "in_region": _l("How many of those disputes were filed in your own region or the regions below it: "
                    "the only ones the case list shows you."),
    "workers": _l("The workers of those disputes, added up case by case (a worker in two cases counts twice)."),
    "defaults": _l("Cases of the employer, received in any period, in which an installment fell due in the "
                   "period and is still not paid in full today, or in which a payment order or court "
                   "enforcement was applied for in the period (a judicial confirmation is no sign of a default: "
                   "it is applied for within 30 days of the agreement taking effect, paid or not). Each case "
                   "counts once. An installment falling due today is not yet a default."),
    "claimed": _l("What the workers claimed in those disputes, in yuan."),
    "regions": _l("The number of different prefecture-level regions in which those disputes were filed (a "
                  "case filed at the province itself counts as one more)."),
    "hazards": _l("Labor-relations hazards found at the employer by risk screening and not yet closed, in every "
                  "region of the province, today (whenever they were found). The link lists those of your region."),
    "order": _l("Employers with at least one dispute in the period, ranked by defaults, then disputes, then "
                "workers involved (most first), then by credit code."),
}


@dataclass(frozen=True)
class RiskRow:
    rank: int
    uscc: str
    name: str
    disputes: int
    in_region: int
    workers: int
    defaults: int
    claimed_fen: int
    regions: int
    hazards: int = 0


def _received_in(period: Period) -> ColumnElement[bool]:
    return Case.received_on.between(period.start, period.end)


def _prefecture(region: type[Region]) -> ColumnElement[str]:
    """The prefecture-level region of a case's region, from the materialised path
    ("220000/220100/220102/" -> "220100"); a case filed at the province keeps the province's code.

    Read from the tree rather than from the code's first four digits: 梅河口市 (220581) is one of
    the province's prefecture-level regions, not a county of 通化市 (220500).
    """
    return func.coalesce(func.nullif(func.substr(region.path, 8, 6), ""), region.code)


def _disputes(period: Period, viewer_region: Region | None):
    """Per employer: the cases received in the period and what they add up to."""
    region = aliased(Region)
    if viewer_region is not None:
        mine = region.path.startswith(viewer_region.path, autoescape=True)
        in_region = func.sum(case((mine, 1), else_=0))
    else:
        in_region = literal(0)
    return (select(Case.employer_id.label("employer_id"),
                   func.count(Case.id).label("disputes"),
                   in_region.label("in_region"),
                   func.coalesce(func.sum(Case.worker_count), 0).label("workers"),
                   func.count(distinct(_prefecture(region))).label("regions"))
            .join(region, region.code == Case.region_code)
            .where(_received_in(period))
            .group_by(Case.employer_id)
            .subquery("disputes"))


def _claimed(period: Period):
    """Per employer: what was claimed in the cases received in the period."""
    return (select(Case.employer_id.label("employer_id"), func.sum(ClaimItem.claimed_fen).label("claimed_fen"))
            .join(ClaimItem, ClaimItem.case_id == Case.id)
            .where(_received_in(period))
            .group_by(Case.employer_id)
            .subquery("claimed"))


def _defaulted_case_ids(period: Period, today: dt.date):
    """The ids of the cases that defaulted in the period (a case may appear twice: union dedups)."""
    allocated = (select(func.coalesce(func.sum(PaymentAllocation.amount_fen), 0))
                 .where(PaymentAllocation.installment_id == Installment.id)
                 .scalar_subquery())
    # Overdue as the schedule shows it: the due date has passed (today > due_on) with money owed.
    last_due = min(period.end, today - dt.timedelta(days=1))
    unpaid = (select(Installment.case_id.label("case_id"))
              .where(Installment.due_on.between(period.start, last_due), Installment.amount_fen > allocated))
    enforced = (select(EnforcementPath.case_id.label("case_id"))
                .where(EnforcementPath.kind != "judicial_confirmation",
                       EnforcementPath.applied_on.between(period.start, period.end)))
    return union(unpaid, enforced).subquery("defaulted")


def _defaults(period: Period, today: dt.date):
    """Per employer: the cases (of any period) that defaulted in the period, each counted once."""
    defaulted = _defaulted_case_ids(period, today)
    return (select(Case.employer_id.label("employer_id"), func.count(Case.id).label("defaults"))
            .join(defaulted, defaulted.c.case_id == Case.id)
            .group_by(Case.employer_id)
            .subquery("defaults"))


def employer_risk(period: Period, *, region: Region | None = None, limit: int | None = 100, offset: int = 0,
                  today: dt.date | None = None) -> list[RiskRow]:
    """The register's rows for `period`, in risk order, from `offset` on (at most `limit`; None: all).

    `region` is the viewer's home region: "in your region" counts the disputes in its subtree
    (0 everywhere when it is None). `today` decides which installments are overdue.
    """
    today = today or local_today()
    disputes, claimed, defaults = _disputes(period, region), _claimed(period), _defaults(period, today)
    default_count = func.coalesce(defaults.c.defaults, 0)
    query = (select(Employer.id, Employer.uscc, Employer.name, disputes.c.disputes, disputes.c.in_region,
                    disputes.c.workers,
                    default_count.label("defaults"), func.coalesce(claimed.c.claimed_fen, 0).label("claimed_fen"),
                    disputes.c.regions)
             .select_from(disputes)
             .join(Employer, Employer.id == disputes.c.employer_id)
             .outerjoin(claimed, claimed.c.employer_id == disputes.c.employer_id)
             .outerjoin(defaults, defaults.c.employer_id == disputes.c.employer_id)
             .order_by(default_count.desc(), disputes.c.disputes.desc(), disputes.c.workers.desc(), Employer.uscc)
             .offset(offset))
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    hazards = open_hazards_by_employer([row.id for row in rows])  # one grouped count for the page's employers
    return [RiskRow(rank=offset + index + 1, uscc=row.uscc, name=row.name, disputes=int(row.disputes),
                    in_region=int(row.in_region or 0), workers=int(row.workers or 0), defaults=int(row.defaults),
                    claimed_fen=int(row.claimed_fen), regions=int(row.regions), hazards=hazards.get(row.id, 0))
            for index, row in enumerate(rows)]


def employer_risk_count(period: Period) -> int:
    """How many employers the register lists for `period`: those with a dispute received in it."""
    return db.session.scalar(select(func.count(distinct(Case.employer_id))).where(_received_in(period))) or 0
