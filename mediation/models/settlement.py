"""What makes the agreement binding and how it is paid: signatures, installments, allocations."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.party import Worker
from mediation.models.user import User

# Who must sign (art. 14 of the Labor Dispute Mediation and Arbitration Law): every worker or
# their representative, the employer, the mediator, and the organisation's seal.
SIGNATORY_KINDS = ("worker", "employer", "mediator", "seal")


class Signature(db.Model):
    """One party's signature (or the seal) on one version of the agreement."""

    __tablename__ = "agreement_signature"
    __table_args__ = (UniqueConstraint("document_id", "party", name="uq_agreement_signature_document_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    # The version signed: regenerating a draft makes earlier signatures lapse.
    document_id: Mapped[int] = mapped_column(ForeignKey("case_document.id", ondelete="CASCADE"), index=True)
    # "worker:<id>", "employer", "mediator" or "seal": one key, so uniqueness needs no NULLs.
    party: Mapped[str] = mapped_column(String(32))
    worker_id: Mapped[Optional[int]] = mapped_column(ForeignKey("worker.id"))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    # Set when someone signed for the party (a worker's representative, the employer's agent).
    representative: Mapped[str] = mapped_column(String(100), default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    worker: Mapped[Optional[Worker]] = relationship()
    recorded_by: Mapped[User] = relationship()


class Installment(db.Model):
    """One amount the employer owes one worker by one date."""

    __tablename__ = "installment"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        UniqueConstraint("case_id", "worker_id", "seq", name="uq_installment_case_worker_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)

    worker: Mapped[Worker] = relationship()
    allocations: Mapped[list["PaymentAllocation"]] = relationship(viewonly=True)

    @property
    def paid_fen(self) -> int:
        return sum(a.amount_fen for a in self.allocations)

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.paid_fen

    def status(self, today: dt.date) -> str:
        """"paid", "partial", "overdue" or "due"; overdue wins over partial once the date passed."""
        if self.outstanding_fen <= 0:
            return "paid"
        if today > self.due_on:
            return "overdue"
        return "partial" if self.paid_fen else "due"


class PaymentAllocation(db.Model):
    """The part of a payment that settles one installment (oldest due first)."""

    __tablename__ = "payment_allocation"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"), index=True)
    installment_id: Mapped[int] = mapped_column(ForeignKey("installment.id", ondelete="CASCADE"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)

    installment: Mapped[Installment] = relationship(overlaps="allocations")
