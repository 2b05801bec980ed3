"""When the database cannot serve: down, restarting, read-only or full.

That is no bug of ours and no mistake of the user's, so it answers 503 with Retry-After and a
plain message (a page, or a problem document under /api/v1), never a 500 or a traceback; the
traceback goes to the log for the operator. The session is rolled back first, so nothing of
the request can be committed later. Any other driver error keeps its usual handling.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, OperationalError

from mediation.extensions import db

RETRY_AFTER = "30"  # seconds: a restart or an operator freeing disk space takes about that
MESSAGES = {
    "read_only": ("database_read_only", _l("The database cannot take changes right now")),
    "unreachable": ("database_unavailable", _l("The database cannot be reached right now")),
}
ADVICE = _l("Please try again in a few minutes. If this goes on, tell your administrator.")
# An outage fails every request at once (about 120 in a second under load): the traceback is
# logged once a minute per kind and process, the other failures as one line each.
TRACEBACK_EVERY = 60.0
_last_traceback: dict[str, float] = {}

# SQLite primary result codes: READONLY and FULL refuse a write; IOERR and CANTOPEN lose the file.
# (BUSY is left alone: it is a write waiting for another, and has its own handling.)
_SQLITE = {8: "read_only", 13: "read_only", 10: "unreachable", 14: "unreachable"}
# PostgreSQL SQLSTATE: 25006 read-only transaction, 53100 disk full; class 08 is a lost or
# refused connection, 57P01-57P03 a shutdown or start-up, class 53 otherwise out of resources.
_PG_CODES = {"25006": "read_only", "53100": "read_only"}
_PG_CLASSES = ("08", "57P", "53")


def classify(error: DBAPIError) -> str | None:
    """"read_only", "unreachable", or None when the error is not about the database's state."""
    orig = error.orig
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return _SQLITE.get(code & 0xFF) if code is not None else None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _PG_CODES:
        return _PG_CODES[sqlstate]
    if sqlstate and sqlstate.startswith(_PG_CLASSES):
        return "unreachable"
    # psycopg gives no SQLSTATE when it cannot connect or the server vanished mid-query
    if error.connection_invalidated or (sqlstate is None and isinstance(error, OperationalError)):
        return "unreachable"
    return None


def log_failure(logger: logging.Logger, kind: str, error: DBAPIError) -> None:
    now = time.monotonic()
    if now - _last_traceback.get(kind, -TRACEBACK_EVERY) >= TRACEBACK_EVERY:
        _last_traceback[kind] = now
        logger.error("database %s on %s %s", kind, request.method, request.path, exc_info=error)
    else:
        logger.warning("database %s on %s %s: %s (traceback logged at most every %d s)", kind, request.method,
                       request.path, type(error.orig).__name__, TRACEBACK_EVERY)


def register(app: Flask) -> None:
    """Call after every other error handler: the catch-all found then is the fallback."""
    from mediation.api.problems import in_api, problem

    fallback = app.error_handler_spec[None][None].get(Exception)

    # Runs before Flask-SQLAlchemy's own removal (teardowns run in reverse order). A server
    # going down between a request's last query and its end makes the ROLLBACK of the session's
    # close fail after the answer is ready; that must not turn a good answer into a 500.
    @app.teardown_appcontext
    def remove_session(_error: BaseException | None) -> None:
        try:
            db.session.remove()
        except DBAPIError as error:
            kind = classify(error)
            if kind is None:
                raise
            current_app.logger.warning("database %s when closing the session: %s", kind, error)
            db.session().invalidate()  # drop the connection without another ROLLBACK
            db.session.remove()

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        kind = classify(error)
        if kind is None:
            if fallback is None:
                raise error  # testing: let the test see the real exception
            return fallback(error)
        try:
            db.session.rollback()
        except DBAPIError:
            pass  # the connection is gone; the pool discards it when the session is removed
        log_failure(current_app.logger, kind, error)
        code, message = MESSAGES[kind]
        headers = {"Retry-After": RETRY_AFTER}
        if in_api():
            return problem(503, code, message, headers=headers)
        # The page must not read the database again, so it never asks who the user is (loading
        # them, or refreshing a loaded one after the rollback, would query): the template gets a
        # signed-out visitor, which wins over the context processors' current_user, and the page
        # says no-store itself, so the security headers need not ask whether someone signed in.
        anonymous = current_app.login_manager.anonymous_user()
        page = render_template("error.html", title=message, detail=ADVICE, code=503, current_user=anonymous)
        return page, 503, {**headers, "Cache-Control": "no-store"}
