"""Union lawyers: their profile, the duty roster of the workrooms, and declared conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.codes import Code
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.user import User
from mediation.models.venue import Venue


class Language(Code):
    """A language workers speak (Korean matters in Yanbian)."""

    ZH = "zh", _l("Chinese")
    KO = "ko", _l("Korean")


LANGUAGES = Language.values()  # Yanbian's workers often need Korean
EXCEPTION_KINDS = ("leave", "extra")


class LawyerProfile(db.Model):
    """What the union knows of a lawyer beyond their login: firm, licence, languages, fields."""

    __tablename__ = "lawyer_profile"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    law_firm: Mapped[str] = mapped_column(String(120))
    licence_no: Mapped[str] = mapped_column(String(17), unique=True)
    phone: Mapped[Optional[str]] = mapped_column(String(11))
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["zh"])
    specialties: Mapped[list] = mapped_column(JSON, default=list)  # claim kinds

    user: Mapped[User] = relationship(backref=db.backref("lawyer_profile", uselist=False))


class DutyRoster(db.Model):
    """A lawyer sits at a venue on one weekday, from a date and possibly until a date."""

    __tablename__ = "duty_roster"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # Monday 0 ... Sunday 6, as date.weekday()
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[Optional[dt.date]] = mapped_column(Date)

    lawyer: Mapped[User] = relationship()
    venue: Mapped[Venue] = relationship()


class RosterException(db.Model):
    """A dated change to the roster: leave (not there) or an extra day (there after all)."""

    __tablename__ = "roster_exception"

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    venue_id: Mapped[Optional[int]] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"))
    on_date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(200), default="")

    lawyer: Mapped[User] = relationship()
    venue: Mapped[Optional[Venue]] = relationship()


class ConflictDeclaration(db.Model):
    """A lawyer declares they may not act in disputes with this employer."""

    __tablename__ = "conflict_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    employer_uscc: Mapped[str] = mapped_column(String(18), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    lawyer: Mapped[User] = relationship()
