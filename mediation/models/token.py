"""API tokens: per-user bearer tokens of the JSON API; only a SHA-256 of each is stored."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.timeutil import as_utc, utcnow
from mediation.extensions import db
from mediation.models.user import User


class ApiToken(db.Model):
    """One bearer token of one user. The raw token is shown once when issued and never stored:
    `token_hash` finds it again, `prefix` lets its owner recognise it in a list."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the raw token
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when issued (API_TOKEN_DAYS, or fewer); from then on the API answers 401 "token_expired".
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    # None: issued from the command line (`flask users token`), as `user_create(actor=None)`.
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[Optional[User]] = relationship(foreign_keys=[created_by_id])

    @property
    def expired(self) -> bool:
        return utcnow() >= as_utc(self.expires_at)

    @property
    def live(self) -> bool:
        return self.revoked_at is None and not self.expired

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… of user {self.user_id}>"
