"""What happens to a case over time: its events (the audit trail), sessions and payments."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, DateTime, ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.extensions import db
from mediation.models.party import Worker
from mediation.models.user import User
from mediation.models.venue import Venue
from mediation.timeutil import utcnow

SESSION_OUTCOMES = ("continued", "agreement", "no_agreement")
SESSION_STATUSES = ("scheduled", "held", "cancelled")
PAYMENT_METHODS = ("bank_transfer", "cash", "court_account", "other")


class CaseEvent(db.Model):
    """Append-only: every state change and edit of consequence, as users read it."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[Optional[str]] = mapped_column(String(16))
    to_state: Mapped[Optional[str]] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[Optional[User]] = relationship()


class MediationSession(db.Model):
    __tablename__ = "mediation_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # A scheduled session books the lawyer for a time slot; a held one records what happened.
    status: Mapped[str] = mapped_column(String(12), default="held", server_default="held")
    starts_at: Mapped[Optional[dt.time]] = mapped_column(Time)
    ends_at: Mapped[Optional[dt.time]] = mapped_column(Time)
    lawyer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    duty_override: Mapped[str] = mapped_column(Text, default="", server_default="")
    venue_id: Mapped[Optional[int]] = mapped_column(ForeignKey("venue.id"))
    attendees: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[Optional[str]] = mapped_column(String(16))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    venue: Mapped[Optional[Venue]] = relationship()
    lawyer: Mapped[Optional[User]] = relationship(foreign_keys=[lawyer_id])
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])


class Payment(db.Model):
    """Money actually paid to a worker: what "recovered" counts."""

    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[dt.date] = mapped_column(Date, index=True)
    method: Mapped[str] = mapped_column(String(16))
    receipt_no: Mapped[str] = mapped_column(String(64), default="")
    # The court path that recovered this money, when it came through enforcement.
    enforcement_path_id: Mapped[Optional[int]] = mapped_column(ForeignKey("enforcement_path.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    worker: Mapped[Worker] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    allocations: Mapped[list["PaymentAllocation"]] = relationship(viewonly=True)  # noqa: F821
