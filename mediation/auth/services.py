"""Authentication use cases: check a password, change it, end every session of a user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from mediation.auth.passwords import check_new_password
from mediation.common.errors import ValidationFailed
from mediation.extensions import db
from mediation.models import User
from mediation.models.user import new_session_token

# Compared against when the username is unknown, so both paths cost one scrypt.
_DUMMY = User(password_hash="scrypt:32768:8:1$0000000000000000$" + "0" * 128)


def authenticate(*, username: str, password: str) -> User | None:
    """The active user with this username and password, or None. A password hash made with
    an older method is replaced by a scrypt one on the way (the caller commits)."""
    user = db.session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.active:
        _DUMMY.check_password(password)
        return None
    if not user.check_password(password):
        return None
    if user.upgrade_password_hash(password):
        db.session.flush()
    return user


def password_change(*, user: User, current_password: str, new_password: str) -> None:
    """The user's own change: the current password proves it is them; every session issued
    before ends (the caller signs the current one in again)."""
    if not isinstance(current_password, str) or not user.check_password(current_password):
        raise ValidationFailed(_l("Please correct the marked fields."),
                               field_errors={"current_password": [str(_l("This is not your current password."))]})
    check_new_password(new_password, username=user.username, field="new_password")
    if new_password == current_password:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors={
            "new_password": [str(_l("The new password must differ from the current one."))]})
    user.set_password(new_password)  # rotates the session token: other sessions end
    db.session.flush()


def user_end_sessions(*, user: User) -> None:
    """Sign-out: the session cookies issued so far stop working on every device."""
    user.session_token = new_session_token()
    db.session.flush()
