"""One-time submission tokens of the pages' write forms: a form sent twice is written once.

Every write form a signed-in user sends (each ends at `perform`, mediation/web/commit.py)
carries a token issued when the form was rendered: signed, bound to the user and to the path
the form posts to, valid for a day. It is used up in the transaction of the write itself:
`commit()` inserts its row, whose nonce is unique.
- Sent again, a used token writes nothing: the request is sent (303) to the page the first
  submission led to, saying so (`answer_replays`, before the view runs).
- Two submissions racing each other cannot both write: the loser fails on the nonce (PostgreSQL
  holds its insert until the winner commits; SQLite runs writes one at a time) or on what the
  winner changed, rolls back and is answered as a replay.
- A refused write (a field to correct, a conflict) rolls back and leaves the token unused: the
  form comes back with the same token, to be corrected and sent again.
- A missing, malformed, expired or foreign token is refused with 400 before the service runs,
  and the form comes back with a fresh one.

Why the token survives Back. Signed-in pages are no-store (mediation/web/security.py), so on
Back Chromium fetches the form page again, whose server renders a new token, and then restores
the form controls' state it saved when the user left the page. It restores a control only if its
value differs from its default (its value attribute), and never one of type=hidden; measured in
Chromium 156 (tests/browser/test_resubmission.py). The token is therefore an
<input type=text hidden> whose value static/js/submission.js turns into a "typed" value when
the page loads: Chromium keeps it with what the user typed and puts the first, used token back
with it, so the filled-in form sent again is a replay. A new visit (a link, the address bar) has
no saved state and keeps its fresh token. Without JavaScript a token still stops a double click
and a reload of the POST, but Back brings a fresh one.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, has_request_context, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from mediation.api.idempotency import TTL  # a day, as the API's idempotency keys live
from mediation.api.problems import in_api
from mediation.common.errors import ServiceError
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import Case, FormSubmission

FIELD = "submission_token"
# Sign-in has no user yet; signing out and the language switch write nothing worth guarding.
EXEMPT = frozenset({"auth.login", "auth.logout", "auth.language"})
MAX_TOKEN = 200  # a token is about 80 characters; anything longer is no token of ours
NONCE = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16)
REDIRECTS = frozenset({301, 302, 303, 307, 308})

ALREADY_SENT = _l("This form was already sent; nothing was recorded a second time.")
NOT_VALID = _l("This form could not be sent: its one-time submission token is missing or does not belong "
               "to this page. Nothing was saved: check the form and send it again.")
EXPIRED = _l("This form was open for more than a day and has expired. Nothing was saved: check the form "
             "and send it again.")


class SubmissionRefused(ServiceError):
    """The form's token is missing, malformed, expired, another user's or another form's."""

    status = 400
    code = "submission_refused"


class AlreadySent(Exception):
    """This submission's token was used by an earlier (or a racing) one: answered by `replay`."""

    def __init__(self, row: FormSubmission | None) -> None:
        super().__init__("form already sent")
        self.location = row.location if row is not None else None


def _serializer(user_id: int, path: str) -> URLSafeTimedSerializer:
    # the user and the path are signed with the nonce (in the salt): a token of one user or
    # form fails the signature of any other
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"form-submission {user_id} {path}")


def issue(user_id: int, path: str) -> str:
    """A new token for a form that `user_id` sends to `path` (no script root stripped)."""
    return _serializer(user_id, path).dumps(secrets.token_urlsafe(16))


def _this_path() -> str:
    return request.script_root + request.path


def guarded() -> bool:
    """Whether this request is a write form of a signed-in user, which must carry a token."""
    return (has_request_context() and request.method == "POST" and not in_api() and request.endpoint not in EXEMPT
            and current_user.is_authenticated)


def _posted_form():  # noqa: ANN202
    try:
        return request.form
    except RequestEntityTooLarge:
        return {}  # an upload over its limit: the view says so (its token is then refused)


def posted_nonce() -> str:
    """The nonce of the token this request carries; SubmissionRefused when there is none valid."""
    if "_submission_nonce" not in g:
        token = _posted_form().get(FIELD) or ""
        try:
            if len(token) > MAX_TOKEN:
                raise BadData("too long")
            nonce = _serializer(current_user.id, _this_path()).loads(token, max_age=TTL.total_seconds())
            if not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
                raise BadData("not a nonce")
            g._submission_nonce = nonce
        except SignatureExpired:
            g._submission_nonce = SubmissionRefused(EXPIRED)
        except BadData:
            g._submission_nonce = SubmissionRefused(NOT_VALID)
    if isinstance(g._submission_nonce, SubmissionRefused):
        raise g._submission_nonce
    return g._submission_nonce


def _used(nonce: str) -> FormSubmission | None:
    return db.session.scalar(select(FormSubmission).where(FormSubmission.nonce == nonce))


def require() -> None:
    """Before a page's write: refuse it (400) unless the form carries a valid token."""
    if guarded() and "_submission_used" not in g:
        posted_nonce()


def consume(cases_touched: set[int]) -> None:
    """At the commit point, in the write's transaction: use the token up. A twin submission that
    got there first makes this one a replay (rolled back, AlreadySent)."""
    if not guarded() or "_submission_used" in g:
        return
    nonce, now = posted_nonce(), utcnow()
    # the user's expired rows can answer nothing any more: they go now, the table stays small
    db.session.execute(delete(FormSubmission).where(FormSubmission.user_id == current_user.id,
                                                    FormSubmission.created_at < now - TTL))
    try:
        db.session.execute(insert(FormSubmission).values(
            user_id=current_user.id, nonce=nonce, path=_this_path()[:255], created_at=now,
            location=_case_page(cases_touched)))
    except IntegrityError:
        db.session.rollback()
        row = _used(nonce)
        if row is None:
            raise  # not the nonce: no twin wrote this token
        raise AlreadySent(row) from None
    g._submission_used = nonce


def _case_page(cases_touched: set[int]) -> str | None:
    """Where the first submission leads, as far as the commit point knows: the page of the one
    case it wrote (the view's redirect replaces it afterwards, see `remember_location`)."""
    if len(cases_touched) != 1:
        return None
    case = db.session.get(Case, next(iter(cases_touched)))
    return url_for("cases.detail", number=case.number) if case is not None else None


def raise_if_sent() -> None:
    """After a refused write: if a twin of this submission was written meanwhile, the refusal was
    the twin's doing (a conflict, a clash with what it wrote), and this one is a replay."""
    if not guarded() or "_submission_used" in g or not isinstance(g.get("_submission_nonce"), str):
        return
    row = _used(g._submission_nonce)
    if row is not None:
        raise AlreadySent(row)


def answer_replays():  # noqa: ANN201
    """before_request: a used token is answered before the view runs, whatever the form says now."""
    if not guarded():
        return None
    try:
        nonce = posted_nonce()
    except SubmissionRefused:
        return None  # `perform` refuses it, with the form re-rendered
    row = _used(nonce)
    return replay(AlreadySent(row)) if row is not None else None


def replay(sent: AlreadySent):  # noqa: ANN201
    """The answer to a used token: back to what the first submission led to."""
    flash(ALREADY_SENT, "warning")
    return redirect(sent.location or _fallback(), 303)


def _fallback() -> str:
    """The first submission's page is not known yet (it is still answering): this form's own
    page if it has one, else the case list."""
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return _this_path()
    return url_for("cases.index")


def remember_location(response):  # noqa: ANN001, ANN201
    """after_request: the page a successful submission led to, for its replays. Best effort, in
    a short transaction of its own: the write itself is committed already."""
    nonce = g.get("_submission_used")
    if nonce is None or response.status_code not in REDIRECTS or not response.location:
        return response
    try:
        db.session.rollback()  # whatever the view left uncommitted is not this write's to keep
        db.session.execute(update(FormSubmission).where(FormSubmission.nonce == nonce)
                           .values(location=response.location[:2000]))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()  # a replay then goes to the case page or the fallback
    return response


def token_field(action: str | None = None) -> Markup:
    """The token input of a write form that posts to `action` (default: the page itself).

    A form re-rendered after a refusal keeps the token it was sent with, still unused, so that a
    copy of the form left in the history is used up by the same success."""
    if not current_user.is_authenticated:
        return Markup("")
    path = urlsplit(action).path if action else _this_path()
    token = None
    if path == _this_path() and guarded() and "_submission_used" not in g:
        try:
            posted_nonce()
            token = _posted_form().get(FIELD)
        except SubmissionRefused:
            token = None
    token = token or issue(current_user.id, path)
    return Markup('<input type="text" name="{}" value="{}" hidden data-submission-token>').format(FIELD, token)


def init_app(app: Flask) -> None:
    """After the session checks: a request whose session ended is no signed-in user's."""
    app.before_request(answer_replays)
    app.after_request(remember_location)
    app.register_error_handler(AlreadySent, replay)
    app.jinja_env.globals["submission_token"] = token_field
