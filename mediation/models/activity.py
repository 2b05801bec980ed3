"""What happens to a case over time: its events (the audit trail), sessions and payments."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit import guard
from mediation.common.codes import Code
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.party import Worker
from mediation.models.user import User
from mediation.models.venue import Venue


class SessionOutcome(Code):
    """How a mediation session ended."""

    CONTINUED = "continued", _l("To be continued")
    AGREEMENT = "agreement", _l("Agreement reached")
    NO_AGREEMENT = "no_agreement", _l("No agreement")


SESSION_OUTCOMES = SessionOutcome.values()


class SessionStatus(Code):
    """Where a booked session stands."""

    SCHEDULED = "scheduled", _l("Scheduled")
    HELD = "held", _l("Held")
    CANCELLED = "cancelled", _l("Cancelled")
    # Moved to another time: the row keeps the old time, the new booking points back at it.
    RESCHEDULED = "rescheduled", _l("Rescheduled")


SESSION_STATUSES = SessionStatus.values()


class PaymentMethod(Code):
    """How money reached a worker."""

    BANK_TRANSFER = "bank_transfer", _l("Bank transfer")
    CASH = "cash", _l("Cash")
    COURT_ACCOUNT = "court_account", _l("Through the court's account")
    OTHER = "other", _l("Other")


PAYMENT_METHODS = PaymentMethod.values()


class CaseEvent(db.Model):
    """Append-only: every state change and edit of consequence, as users read it.

    The database refuses to change or remove an event (mediation/audit/guard.py), and each event
    is linked to the one before it in its case by hashes (mediation/audit/chain.py): write them
    through mediation.case_core.events.record_event, which keeps the chain and the case's head.
    """

    __tablename__ = "case_event"
    # Two writers appending to one case cannot both take the next seq: the chain cannot fork.
    # The index also serves every read of a case's events (0011 dropped the one on case_id).
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_event_case_id_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3... within the case
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[Optional[str]] = mapped_column(String(16))
    to_state: Mapped[Optional[str]] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[Optional[User]] = relationship()
    # Not for reading (Case.events is) but for the flush: it makes the case row's UPDATE (its
    # version check and its new head) come before the event's INSERT, so that of two appends
    # racing from one version the loser meets the version check, a Conflict, first.
    case: Mapped["Case"] = relationship()  # noqa: F821


guard.attach(CaseEvent.__table__)  # the triggers, for a schema made by create_all() too


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
    # Why a booking was cancelled or moved (the case event says who and when).
    change_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A booking that replaced another (rescheduled): the old one keeps its time, status "rescheduled".
    rescheduled_from_id: Mapped[Optional[int]] = mapped_column(ForeignKey("mediation_session.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    venue: Mapped[Optional[Venue]] = relationship()
    lawyer: Mapped[Optional[User]] = relationship(foreign_keys=[lawyer_id])
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    rescheduled_from: Mapped[Optional["MediationSession"]] = relationship(remote_side=[id])


class Payment(db.Model):
    """Money actually paid to a worker: what "recovered" counts.

    Never deleted: a payment recorded in error is voided (who, when, why) and stays on the ledger,
    struck through; a voided payment counts nowhere (paid, outstanding, installments, statistics).
    """

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
    voided_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    voided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    worker: Mapped[Worker] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    voided_by: Mapped[Optional[User]] = relationship(foreign_keys=[voided_by_id])
    allocations: Mapped[list["PaymentAllocation"]] = relationship(viewonly=True)  # noqa: F821

    @property
    def voided(self) -> bool:
        return self.voided_at is not None
