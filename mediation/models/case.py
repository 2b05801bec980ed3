"""The case aggregate: a labor dispute, its parties, claim items and statutory dates."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit.chain import GENESIS
from mediation.common.codes import Code
from mediation.common.timeutil import today, utcnow
from mediation.extensions import db
from mediation.models.party import Employer, EmployerRecord, Worker
from mediation.models.region import Region
from mediation.models.user import User
from mediation.models.venue import Venue
from workflows.deadlines import judicial_confirmation_open


class Channel(Code):
    """Where a case comes from."""

    COURT = "court", _l("Court referral")
    HR = "hr", _l("HR bureau referral")
    WALK_IN = "walk_in", _l("Walk-in")


CHANNELS = Channel.values()


class ClaimKind(Code):
    """What a worker claims."""

    WAGES = "wages", _l("Unpaid wages")
    OVERTIME = "overtime", _l("Overtime pay")
    SEVERANCE = "severance", _l("Severance")
    SOCIAL_INSURANCE = "social_insurance", _l("Social insurance")
    WORK_INJURY = "work_injury", _l("Work injury")
    OTHER = "other", _l("Other")


CLAIM_KINDS = ClaimKind.values()
COLLECTIVE_THRESHOLD = 10  # ten or more workers with a common claim make a collective case

class Case(db.Model):
    __tablename__ = "case_file"
    __table_args__ = (
        # A referral retried by a platform must find the case it already made.
        UniqueConstraint("channel", "referral_ref", name="uq_case_file_channel_referral_ref"),
        # The lawyer proposal counts each candidate's open cases from this index alone (0003).
        Index("ix_case_file_lawyer_id_state", "lawyer_id", "state", postgresql_include=["id"]),
        # The statistics read the cases settled in a period (settled, agreed, outstanding, days to
        # settlement) as a range of this index rather than a scan of every case (0006).
        Index("ix_case_file_settled_on", "settled_on"),
        # ...and, for a stock taken inside a month, the cases started or ended in it so far (0008).
        Index("ix_case_file_mediation_started_on", "mediation_started_on"),
        Index("ix_case_file_ended_on", "ended_on"),
        CheckConstraint("written_off_fen >= 0", name="written_off_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    referral_ref: Mapped[Optional[str]] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    venue_id: Mapped[Optional[int]] = mapped_column(ForeignKey("venue.id"), index=True)
    # The employer's master record (by credit code): the risk register, statistics, conflicts.
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    # The employer as this case recorded it, shown wherever the case names its employer (the
    # page, the PDFs, the API, exports): changed only by a correction on this case. The credit
    # code is always the master record's.
    employer_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    employer_uscc: Mapped[str] = mapped_column(String(18), index=True, default="", server_default="")
    employer_legal_representative: Mapped[str] = mapped_column(String(64), default="", server_default="")
    employer_address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    mediator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    lawyer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True, default="intake")
    # The language the workers need at the table ("zh" or "ko"): lawyers are matched on it.
    language: Mapped[str] = mapped_column(String(8), default="zh", server_default="zh")
    # A lawyer of the system who represented the employer here: a conflict in later cases.
    employer_agent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    worker_count: Mapped[int] = mapped_column(Integer, default=0)

    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    referred_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    mediation_started_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    mediation_due_on: Mapped[Optional[dt.date]] = mapped_column(Date, index=True)
    due_is_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    settled_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    # The day the last signature or the seal was recorded: the agreement binds from then on.
    agreement_effective_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    # What enforcement could not recover, given up when the case was closed (with the reason).
    written_off_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    ended_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    outcome_reason: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Optimistic locking: a flush that finds another version raises StaleDataError.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
    # The head of the case's event chain (mediation/audit/chain.py), moved by every event in the
    # event's transaction: a verifier compares it with the last event, so that a deleted last
    # event shows. Updating it bumps the version, so two appends from one version conflict.
    history_length: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    history_head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS, server_default=GENESIS)

    region: Mapped[Region] = relationship()
    venue: Mapped[Optional[Venue]] = relationship()
    employer_master: Mapped[Employer] = relationship()
    mediator: Mapped[Optional[User]] = relationship(foreign_keys=[mediator_id])
    lawyer: Mapped[Optional[User]] = relationship(foreign_keys=[lawyer_id])
    employer_agent: Mapped[Optional[User]] = relationship(foreign_keys=[employer_agent_id])
    # The case's own workers (mediation/models/party.py). A deleted case's go with it in the
    # database (ON DELETE CASCADE), with the payments and installments that name them: an ORM
    # delete of the workers first would find those still pointing at them.
    workers: Mapped[list[Worker]] = relationship(order_by=Worker.id, cascade="save-update, merge, expunge",
                                                 passive_deletes="all")
    claims: Mapped[list["ClaimItem"]] = relationship(
        back_populates="case", order_by="ClaimItem.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["CaseEvent"]] = relationship(  # noqa: F821
        order_by="CaseEvent.id", viewonly=True
    )
    sessions: Mapped[list["MediationSession"]] = relationship(  # noqa: F821
        order_by="MediationSession.held_on", viewonly=True
    )
    # The payments that count (paid, outstanding, the statistics): voided ones are left out here...
    payments: Mapped[list["Payment"]] = relationship(  # noqa: F821
        primaryjoin="and_(Case.id == Payment.case_id, Payment.voided_at.is_(None))",
        order_by="(Payment.paid_on, Payment.id)", viewonly=True
    )
    # ...and kept on the ledger the case page shows (struck through, with the reason).
    payment_records: Mapped[list["Payment"]] = relationship(  # noqa: F821
        order_by="(Payment.paid_on, Payment.id)", viewonly=True
    )
    installments: Mapped[list["Installment"]] = relationship(  # noqa: F821
        order_by="(Installment.worker_id, Installment.seq)", viewonly=True
    )
    signatures: Mapped[list["Signature"]] = relationship(  # noqa: F821
        order_by="Signature.id", viewonly=True
    )
    enforcement_paths: Mapped[list["EnforcementPath"]] = relationship(  # noqa: F821
        order_by="EnforcementPath.id", viewonly=True
    )

    @property
    def employer(self) -> EmployerRecord:
        """The employer as this case recorded it (not the master record: `employer_master`)."""
        return EmployerRecord(name=self.employer_name, uscc=self.employer_uscc,
                              legal_representative=self.employer_legal_representative,
                              address=self.employer_address)

    @property
    def is_collective(self) -> bool:
        return self.worker_count >= COLLECTIVE_THRESHOLD

    @property
    def claimed_fen(self) -> int:
        return sum(item.claimed_fen for item in self.claims)

    @property
    def agreed_fen(self) -> int:
        return sum(item.agreed_fen or 0 for item in self.claims)

    @property
    def paid_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)

    @property
    def outstanding_fen(self) -> int:
        return max(self.agreed_fen - self.paid_fen, 0)

    @property
    def has_overdue_installment(self) -> bool:
        day = today()
        return any(i.status(day) == "overdue" for i in self.installments)

    @property
    def judicial_confirmation_open(self) -> bool:
        """Whether judicial confirmation can be applied for today (workflows.deadlines says how
        the 30 days from the agreement taking effect are counted)."""
        return (self.agreement_effective_on is not None
                and judicial_confirmation_open(self.agreement_effective_on, today()))

    @property
    def judicial_confirmation_under_way(self) -> bool:
        """A judicial confirmation is pending or was granted: one at a time, and none after a grant."""
        return any(p.kind == "judicial_confirmation" and p.outcome in ("pending", "granted")
                   for p in self.enforcement_paths)

    @property
    def enforcement_pending(self) -> bool:
        return any(p.outcome == "pending" for p in self.enforcement_paths)

    @property
    def recovered_by_enforcement_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments if p.enforcement_path_id is not None)

    def agreed_for(self, worker: Worker) -> int:
        return sum(item.agreed_fen or 0 for item in self.claims_of(worker))

    def paid_to(self, worker: Worker) -> int:
        return sum(p.amount_fen for p in self.payments if p.worker_id == worker.id)

    def installments_of(self, worker: Worker) -> list["Installment"]:  # noqa: F821
        return [i for i in self.installments if i.worker_id == worker.id]

    @property
    def dispute_kinds(self) -> list[str]:
        return sorted({item.kind for item in self.claims}, key=CLAIM_KINDS.index)

    def is_overdue(self, today: dt.date) -> bool:
        return self.state == "mediating" and self.mediation_due_on is not None and today > self.mediation_due_on

    def claims_of(self, worker: Worker) -> list["ClaimItem"]:
        return [item for item in self.claims if item.worker_id == worker.id]

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.state}>"


class ClaimItem(db.Model):
    __tablename__ = "claim_item"
    __table_args__ = (
        CheckConstraint("claimed_fen >= 0", name="claimed_not_negative"),
        CheckConstraint("agreed_fen IS NULL OR agreed_fen >= 0", name="agreed_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    claimed_fen: Mapped[int] = mapped_column(BigInteger)
    agreed_fen: Mapped[Optional[int]] = mapped_column(BigInteger)

    case: Mapped[Case] = relationship(back_populates="claims")
    worker: Mapped[Worker] = relationship()


class CaseNumberSequence(db.Model):
    """The last number given per region and year; read under a row lock when numbering."""

    __tablename__ = "case_number_sequence"

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
