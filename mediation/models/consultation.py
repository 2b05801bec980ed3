"""Consultations: a worker's legal question answered by a union lawyer or mediator (issue 16 §1).

A quick log, not a case: no parties' ID numbers, no claims with amounts. It may become a
mediation case later (`case_id`, set when the intake made from it is saved). Its edits keep the
values they replaced (ConsultationEdit), so a correction needs no reason but is on record.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.codes import Code
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.case import CLAIM_KINDS, Case
from mediation.models.region import Region
from mediation.models.user import User


class ConsultationChannel(Code):
    """How the question came in."""

    HOTLINE = "hotline", _l("Hotline 12351")
    WALK_IN = "walk_in", _l("Walk-in")
    ONLINE = "online", _l("Online")


CONSULTATION_CHANNELS = ConsultationChannel.values()
# The topic is what the worker would claim: the claim kinds, whose last one is already "other".
CONSULTATION_TOPICS = CLAIM_KINDS


class Consultation(db.Model):
    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(24))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    worker_name: Mapped[str] = mapped_column(String(64), default="")
    worker_phone: Mapped[Optional[str]] = mapped_column(String(11))
    employer_name: Mapped[str] = mapped_column(String(120), default="")
    employer_uscc: Mapped[Optional[str]] = mapped_column(String(18))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The mediation case taken in from it; one case per consultation.
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("case_file.id"), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    region: Mapped[Region] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    case: Mapped[Optional[Case]] = relationship()
    edits: Mapped[list[ConsultationEdit]] = relationship(
        back_populates="consultation", order_by="ConsultationEdit.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Consultation {self.id}>"


class ConsultationEdit(db.Model):
    """One edit: who, when, and each changed field's value before and after (a phone masked)."""

    __tablename__ = "consultation_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    edited_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    edited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changes: Mapped[dict] = mapped_column(JSON)  # {field: [before, after]}

    consultation: Mapped[Consultation] = relationship(back_populates="edits")
    edited_by: Mapped[User] = relationship()
