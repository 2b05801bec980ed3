"""Risk screening (劳动关系风险隐患排查): hazards found at employers, the steps taken, and the notices sent.

A hazard is a region's record, scoped like a case by its region code. Its steps are appended
one at a time and never edited (each is who, when and what was done); the outcome closes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.codes import Code
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.case import Case
from mediation.models.party import Employer
from mediation.models.region import Region
from mediation.models.user import User


class HazardSource(Code):
    """How the hazard came to the union's notice."""

    VISIT = "visit", _l("Screening visit")
    SUPERVISION = "supervision", _l("Labor-law supervision")
    CONSULTATION = "consultation", _l("Consultation")
    CASE = "case", _l("Mediation case")
    TIP_OFF = "tip_off", _l("Tip-off")


class HazardKind(Code):
    """What the hazard is."""

    WAGE_ARREARS = "wage_arrears", _l("Wage arrears")
    SOCIAL_INSURANCE = "social_insurance", _l("Unpaid social insurance")
    MASS_LAYOFF = "mass_layoff", _l("Mass layoff")
    CLOSURE = "closure", _l("Closure or relocation")
    OVERTIME = "overtime", _l("Excessive overtime")
    OTHER = "other", _l("Other")


class HazardLevel(Code):
    """How urgent: a high hazard may become a collective dispute soon."""

    HIGH = "high", _l("High")
    MEDIUM = "medium", _l("Medium")
    LOW = "low", _l("Low")


class HazardOutcome(Code):
    """How a hazard was closed."""

    RESOLVED = "resolved", _l("Resolved")
    BECAME_CASE = "became_case", _l("Became a mediation case")
    REFERRED = "referred", _l("Referred to the labor inspectorate")


class Hazard(db.Model):
    __tablename__ = "hazard"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    level: Mapped[str] = mapped_column(String(8), index=True)
    found_on: Mapped[dt.date] = mapped_column(Date)
    workers_affected: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    description: Mapped[str] = mapped_column(String(1000), default="")
    # None while open; set together with closed_on (and case_id for "became a case").
    outcome: Mapped[Optional[str]] = mapped_column(String(16), index=True)
    closed_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("case_file.id"))
    closing_note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Two people adding a step or closing at once: the second gets a conflict, not a silent overwrite.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    region: Mapped[Region] = relationship()
    employer: Mapped[Employer] = relationship()
    case: Mapped[Optional[Case]] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])
    steps: Mapped[list[HazardStep]] = relationship(back_populates="hazard", order_by="HazardStep.seq")
    notices: Mapped[list[HazardNotice]] = relationship(back_populates="hazard", order_by="HazardNotice.version")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    def __repr__(self) -> str:
        return f"<Hazard {self.id} {self.kind}>"


class HazardStep(db.Model):
    """One step taken on a hazard; appended, never changed."""

    __tablename__ = "hazard_step"
    __table_args__ = (UniqueConstraint("hazard_id", "seq", name="uq_hazard_step_hazard_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    hazard: Mapped[Hazard] = relationship(back_populates="steps")
    created_by: Mapped[User] = relationship()


class HazardNotice(db.Model):
    """A labor-law supervision notice (工会劳动法律监督提示函) to the employer: stored, hashed, verifiable."""

    __tablename__ = "hazard_notice"
    __table_args__ = (UniqueConstraint("hazard_id", "version", name="uq_hazard_notice_hazard_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    reply_by: Mapped[dt.date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)

    hazard: Mapped[Hazard] = relationship(back_populates="notices")
    created_by: Mapped[User] = relationship()

    # What the public verification page reads of any verifiable document (as of a CaseDocument).
    kind = "hazard_notice"
    case = None
