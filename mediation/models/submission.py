"""The one-time tokens of the pages' write forms that have been used (mediation/web/submissions.py)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mediation.common.timeutil import utcnow
from mediation.extensions import db


class FormSubmission(db.Model):
    """A form's token, written in the transaction of the write it was sent with: a second
    submission of the same form finds it (or, racing the first, fails on the unique nonce) and
    writes nothing. `location` is the page the first submission led to, shown again to a replay."""

    __tablename__ = "form_submission"
    __table_args__ = (UniqueConstraint("nonce", name="uq_form_submission_nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(32))  # the token's random part; the token itself is signed
    path: Mapped[str] = mapped_column(String(255))  # the form's target, as the token was issued for it
    location: Mapped[Optional[str]] = mapped_column(String(2000))
    # Tokens expire after a day: older rows can answer nothing and are deleted on a later use.
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
