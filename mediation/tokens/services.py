"""API tokens: issue and revoke them, and find the user a bearer token stands for.

Only the SHA-256 of a token is stored; the raw token is returned once by `token_issue` and is
never stored, logged or shown again. Like the other services these flush and the caller commits
once; the API's authentication commits a token's last use at once (mediation/api/auth.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from mediation import policy
from mediation.audit.log import audit_record
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import as_utc, utcnow
from mediation.extensions import db
from mediation.models import ApiToken, User

TOKEN_PREFIX = "med_"
PREFIX_LENGTH = 8  # shown in lists: "med_" and four random characters
NAME_MAX_LENGTH = 80
MAX_LIVE_TOKENS = 20
RAW_MAX_LENGTH = 128  # ours are 47 characters; anything much longer is not worth hashing
TOUCH_EVERY = dt.timedelta(minutes=1)

log = logging.getLogger(__name__)


def hash_token(raw: str) -> str:
    """The stored form of a token. A plain SHA-256 is enough (no salt, no slow hash): the token
    carries 256 random bits, so there is nothing to guess, unlike a password."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_may_manage(actor: User | None, owner: User) -> None:
    """`actor` None is the command line, as in `user_create`; the views check this too."""
    if actor is not None and not policy.can_manage_tokens_of(actor, owner):
        raise NotPermitted(_l("You may only manage your own API tokens."))


def _fail(message, field: str = "name") -> ValidationFailed:  # noqa: ANN001
    return ValidationFailed(_l("Please correct the marked fields."), field_errors={field: [str(message)]})


def lifetime_days() -> int:
    """How long a token lives unless asked for less (the API_TOKEN_DAYS setting)."""
    return current_app.config["API_TOKEN_DAYS"]


def _lifetime(days: int | None) -> dt.timedelta:
    longest = lifetime_days()
    if days is None:
        return dt.timedelta(days=longest)
    if not 1 <= days <= longest:
        raise _fail(_l("A token lives 1 to %(n)d days.", n=longest), "days")
    return dt.timedelta(days=days)


def token_issue(*, user: User, actor: User | None, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored row and the raw token, which exists only in this reply.
    It expires after `days` days, at most (and by default) the API_TOKEN_DAYS setting."""
    _require_may_manage(actor, user)
    name = (name or "").strip()
    if not name:
        raise _fail(_l("Give the token a name, so you can recognise it later."))
    if len(name) > NAME_MAX_LENGTH:
        raise _fail(_l("At most %(n)d characters.", n=NAME_MAX_LENGTH))
    lifetime = _lifetime(days)
    if not user.active:
        raise Refused(_l("This user is inactive and cannot be given API tokens."))
    # Lock the owner's row (PostgreSQL; SQLite's writing transactions are serial anyway), so two
    # requests at once cannot both take the last free place.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    now = utcnow()
    live = db.session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now))
    if live >= MAX_LIVE_TOKENS:
        raise Refused(_l("A user may hold at most %(n)d live API tokens: revoke one you no longer use first.",
                         n=MAX_LIVE_TOKENS))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(raw), prefix=raw[:PREFIX_LENGTH],
                     created_at=now, expires_at=now + lifetime, created_by_id=actor.id if actor is not None else None)
    db.session.add(token)
    db.session.flush()
    _audit(token, actor, "token.issue")
    return token, raw


def token_revoke(*, token: ApiToken, actor: User | None) -> None:
    """The token stops working at once; the row stays, so its owner still sees it in the list."""
    _require_may_manage(actor, token.user)
    if token.revoked_at is not None:
        raise Refused(_l("This token was already revoked."))
    token.revoked_at = utcnow()
    db.session.flush()
    _audit(token, actor, "token.revoke")


def _audit(token: ApiToken, actor: User | None, action: str) -> None:
    """The owner's region's record of it: the token's name and shown prefix, never the token or its hash."""
    audit_record(actor=actor, action=action, region_code=token.user.region_code, target_kind="api_token",
                 target_id=token.id, detail={"user_id": token.user_id, "username": token.user.username,
                                             "name": token.name, "prefix": token.prefix,
                                             "expires_at": as_utc(token.expires_at).isoformat()})


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, live and revoked, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def tokens_by_prefix(prefix: str) -> list[ApiToken]:
    """The tokens whose shown prefix is `prefix` (for the command line; it may name several)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.prefix == prefix).order_by(ApiToken.id)))


def token_lookup(raw: str) -> tuple[ApiToken | None, dt.datetime | None]:
    """(the live token of an active user that this bearer token is, None), or (None, when it
    expired) for a token that would be live but for its age, or (None, None).

    The lookup is by the token's hash, with no hmac.compare_digest: what a timing difference of
    the index lookup could leak is how much of the *hash* an attacker's guess shares with a stored
    one, and getting closer in SHA-256 output gives no way to get closer to a token that produces it.
    """
    if not isinstance(raw, str) or not raw.startswith(TOKEN_PREFIX) or len(raw) > RAW_MAX_LENGTH:
        return None, None
    token = db.session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(raw))).one_or_none()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None, None  # a revoked token says no more than an unknown one
    if token.expired:
        return None, as_utc(token.expires_at)
    return token, None


def token_for(raw: str) -> ApiToken | None:
    """The live token of an active user that this bearer token is, or None."""
    return token_lookup(raw)[0]


def token_use_due(token: ApiToken) -> bool:
    """Whether the token's last use should be recorded: at most once a minute."""
    return token.last_used_at is None or utcnow() - as_utc(token.last_used_at) >= TOUCH_EVERY


def token_touch(*, token_id: int) -> None:
    """Record a token's use now. The update repeats the once-a-minute condition, so concurrent
    requests write it once. Flushes; the caller commits."""
    now = utcnow()
    db.session.execute(update(ApiToken).where(
        ApiToken.id == token_id,
        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - TOUCH_EVERY),
    ).values(last_used_at=now))

