"""Documents made for a case (the settlement agreement PDF): stored, hashed and verifiable."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.codes import Code
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.case import Case
from mediation.models.user import User


class DocumentKind(Code):
    """A generated, verifiable document."""

    AGREEMENT = "agreement", _l("Settlement agreement")
    JC_APPLICATION = "jc_application", _l("Application for judicial confirmation")
    # Not of a case: the risk register's notice to an employer (mediation/models/hazard.py HazardNotice).
    HAZARD_NOTICE = "hazard_notice", _l("Labor-law supervision notice")


DOCUMENT_KINDS = DocumentKind.values()  # 调解协议书, 司法确认申请书


class CaseDocument(db.Model):
    """One version of one kind of document of a case; a newer version supersedes the older."""

    __tablename__ = "case_document"
    __table_args__ = (UniqueConstraint("case_id", "kind", "version", name="uq_case_document_case_kind_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Printed on the document and encoded in its QR code: what a reader types on /verify.
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)
    # Deferred: listing the versions of a case must not load every PDF.
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[Case] = relationship()
    created_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CaseDocument {self.case_id} {self.kind} v{self.version}>"
