"""The command-line side of `flask users token` and `flask users revoke-token` (actor: the command line)."""

from __future__ import annotations

import click
from sqlalchemy import select

from mediation.common.errors import ServiceError
from mediation.common.timeutil import CHINA, as_utc
from mediation.extensions import db
from mediation.models import User
from mediation.tokens.services import token_issue, token_revoke, tokens_by_prefix
from mediation.web.commit import abandon, commit


def _user(username: str) -> User:
    user = db.session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    return user


def _refused(error: ServiceError) -> click.ClickException:
    abandon()
    details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.field_errors.items())
    return click.ClickException(f"{error.message} {details}".strip())


def issue(username: str, name: str, days: int | None = None) -> tuple[str, str]:
    """Issue a token for the user (living `days` days, default API_TOKEN_DAYS) and commit; the raw
    token, for the caller to print once, and the day it expires."""
    user = _user(username)
    try:
        token, raw = token_issue(user=user, actor=None, name=name, days=days)
    except ServiceError as error:
        raise _refused(error) from None
    commit()
    return raw, as_utc(token.expires_at).astimezone(CHINA).date().isoformat()


def revoke(prefix: str, username: str | None) -> str:
    """Revoke the one live token with this prefix (of this user, if named) and commit."""
    owner = _user(username) if username else None
    tokens = [t for t in tokens_by_prefix(prefix) if owner is None or t.user_id == owner.id]
    if not tokens:
        raise click.ClickException(f"No API token with the prefix {prefix!r}.")
    live = [t for t in tokens if t.live]
    if not live:
        raise click.ClickException(f"The API token {prefix!r} was already revoked.")
    if len(live) > 1:
        owners = ", ".join(sorted({t.user.username for t in live}))
        raise click.ClickException(f"{len(live)} live API tokens start with {prefix!r} ({owners}); "
                                   "name the owner with --user.")
    token = live[0]
    try:
        token_revoke(token=token, actor=None)
    except ServiceError as error:
        raise _refused(error) from None
    commit()
    return f"Revoked the API token {token.prefix}… ({token.name}) of {token.user.username}."
