"""Enforcement: the court paths a worker takes when the employer does not pay as agreed."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.codes import Code
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.user import User


# judicial confirmation (司法确认), payment order (支付令), court enforcement (强制执行)
class EnforcementKind(Code):
    """A court path after a default."""

    JUDICIAL_CONFIRMATION = "judicial_confirmation", _l("Judicial confirmation")
    PAYMENT_ORDER = "payment_order", _l("Payment order")
    COURT_ENFORCEMENT = "court_enforcement", _l("Court enforcement")


ENFORCEMENT_KINDS = EnforcementKind.values()


# pending until the court decides; granted: confirmed, order issued or enforced in full;
# refused: rejected, objected to or terminated without full recovery; withdrawn by the worker.
class EnforcementOutcome(Code):
    """What became of a court path."""

    PENDING = "pending", _l("Pending")
    GRANTED = "granted", _l("Granted")
    REFUSED = "refused", _l("Refused")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


ENFORCEMENT_OUTCOMES = EnforcementOutcome.values()


class EnforcementPath(db.Model):
    __tablename__ = "enforcement_path"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    # The statutory last day for applying, as computed when the path was taken (shown beside it).
    deadline_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    court: Mapped[str] = mapped_column(String(200), default="", server_default="")
    court_case_no: Mapped[str] = mapped_column(String(64), default="", server_default="")
    outcome: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending")
    outcome_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    outcome_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    recorded_by: Mapped[User] = relationship()
    payments: Mapped[list["Payment"]] = relationship(  # noqa: F821 (voided payments recovered nothing)
        primaryjoin="and_(EnforcementPath.id == Payment.enforcement_path_id, Payment.voided_at.is_(None))",
        viewonly=True)

    @property
    def recovered_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)
