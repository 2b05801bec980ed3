"""`Idempotency-Key` for the API's writes (triggers, payments): a retry answers what the first
request answered, and changes nothing more.

- A new key is reserved (committed at once, status unknown) before the write runs, so a
  concurrent request with the same key sees it and gets 409 `idempotency_key_in_flight`.
- The response of a successful write is stored in the write's own transaction: either both
  are committed or neither. A retry with the same method, path and body replays it with
  `Idempotent-Replayed: true`.
- A failed write wrote nothing and releases its key, so the client may retry with the same key.
- The same key with another request is 422 `idempotency_key_reused`.
- Keys are per user and live 24 hours; after that the key may be used afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from flask import Response, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from mediation.api.problems import ApiProblem
from mediation.common.timeutil import as_utc, utcnow
from mediation.extensions import db
from mediation.models import IdempotencyKey, User

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = dt.timedelta(hours=24)
KEY_PATTERN = r"^[!-~]{1,255}$"  # printable ASCII without spaces, as a UUID is
_KEY = re.compile(KEY_PATTERN)

HEADER_DOC = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
    "description": "Makes a retry of this write safe: the same key with the same request within 24 hours "
                   "replays the first response (header Idempotent-Replayed: true) and changes nothing. "
                   "The same key with another request is refused (422 idempotency_key_reused); while the "
                   "first is still running, 409 idempotency_key_in_flight. A failed request releases its key.",
}
REPLAYED_DOC = {REPLAYED_HEADER: {"description": "\"true\" when this is the stored response of an earlier request.",
                                  "schema": {"type": "string", "enum": ["true"]}}}


def _fingerprint() -> str:
    return hashlib.sha256(request.get_data(cache=True)).hexdigest()


def reserve(user: User) -> IdempotencyKey | Response | None:
    """None without a key; the reserved row for a new key; the stored response for a retry."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise ApiProblem(422, "validation_failed", _l("Please correct the marked fields."), errors=[
            {"field": HEADER, "message": _l("An idempotency key is 1 to 255 printable characters without spaces.")}])
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == key))
    if row is not None and utcnow() - as_utc(row.created_at) > TTL:
        row = None
    if row is None:
        # the user's expired keys (this one among them, if it was) go now: the table stays small
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user.id,
                                                        IdempotencyKey.created_at < utcnow() - TTL))
        row = IdempotencyKey(user_id=user.id, key=key, method=request.method, path=request.path[:255],
                             fingerprint=_fingerprint(), created_at=utcnow())
        db.session.add(row)
        try:
            db.session.commit()  # visible to a concurrent retry before the write starts
        except IntegrityError:
            db.session.rollback()
            raise _in_flight() from None
        return row
    if (row.method, row.path, row.fingerprint) != (request.method, request.path[:255], _fingerprint()):
        raise ApiProblem(422, "idempotency_key_reused", _l(
            "This idempotency key was used for another request. Use a new key for a new request."))
    if row.status is None:
        raise _in_flight()
    response = Response(row.body, status=row.status, mimetype=row.content_type)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _in_flight() -> ApiProblem:
    return ApiProblem(409, "idempotency_key_in_flight", _l(
        "A request with this idempotency key is still being processed. Try again in a moment."))


def complete(row: IdempotencyKey, response: Response) -> None:
    """Store the response in the write's transaction (the caller commits both together)."""
    row.status = response.status_code
    row.content_type = response.mimetype
    row.body = response.get_data(as_text=True)


def release(row_id: int) -> None:
    """The write failed and wrote nothing: free the key for a retry."""
    db.session.rollback()
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))
    db.session.commit()
