"""Locked period reports: a region's recovery figures for a month or quarter, frozen when a
supervisor locks them, with each case's part, so later corrections can be seen, never absorbed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.region import Region
from mediation.models.user import User


class LockedReport(db.Model):
    __tablename__ = "locked_report"
    __table_args__ = (UniqueConstraint("region_code", "period_key", name="uq_locked_report_region_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    period_key: Mapped[str] = mapped_column(String(32))  # "2026-10" or "2026-Q3"
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    # {"total": {figure: value}, "rows": {region code: {figure: value}}}, as shown when locked.
    figures: Mapped[dict] = mapped_column(JSON)
    locked_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    region: Mapped[Region] = relationship()
    locked_by: Mapped[User] = relationship()


class LockedReportCase(db.Model):
    """One case's part in a locked report: {figure: value} plus its region at the time."""

    __tablename__ = "locked_report_case"

    report_id: Mapped[int] = mapped_column(ForeignKey("locked_report.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no FK: the record outlives the case row
    part: Mapped[dict] = mapped_column(JSON)
