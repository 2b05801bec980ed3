"""Users: one role and one home region each; the region's subtree is everything they may see."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.region import Region
from workflows.roles import ROLES  # noqa: F401 (re-exported by mediation.models)

# Werkzeug's scrypt with its parameters spelled out, so a hash made another way (an older
# method, or other parameters) is recognised and replaced at the next sign-in.
PASSWORD_METHOD = "scrypt:32768:8:1"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the Flask-Login id: rotating it on sign-out or a password change makes every
    # session cookie issued before useless, server-side.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    region: Mapped[Region] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        self.session_token = new_session_token()

    def upgrade_password_hash(self, password: str) -> bool:
        """After a successful check: re-hash a password stored with an older method. The
        sessions stay valid (the password is the same)."""
        if self.password_hash.startswith(PASSWORD_METHOD + "$"):
            return False
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        return True

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
