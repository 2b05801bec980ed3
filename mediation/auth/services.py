"""Authentication use cases: check a password, end every session of a user."""

from __future__ import annotations

from sqlalchemy import func, select

from mediation.extensions import db
from mediation.models import User
from mediation.models.user import new_session_token

# Compared against when the username is unknown, so both paths cost one scrypt.
_DUMMY = User(password_hash="scrypt:32768:8:1$0000000000000000$" + "0" * 128)


def authenticate(*, username: str, password: str) -> User | None:
    user = db.session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.active:
        _DUMMY.check_password(password)
        return None
    return user if user.check_password(password) else None


def user_end_sessions(*, user: User) -> None:
    """Sign-out: the session cookies issued so far stop working on every device."""
    user.session_token = new_session_token()
    db.session.flush()
