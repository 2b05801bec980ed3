"""Idempotency keys of the JSON API: a retried write answers what the first one answered."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mediation.common.timeutil import utcnow
from mediation.extensions import db


class IdempotencyKey(db.Model):
    """One `Idempotency-Key` a user sent with a write. `status` is None while the first request
    is still running; afterwards the row holds the response to replay. The request's method,
    path and body hash tell a true retry from a reuse of the key for another request."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_key_user_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 hex of the request body
    status: Mapped[Optional[int]] = mapped_column(Integer)
    content_type: Mapped[Optional[str]] = mapped_column(String(100))
    body: Mapped[Optional[str]] = mapped_column(Text)
    # Keys expire after a day (mediation/api/idempotency.py): old rows are deleted on reuse.
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
