"""Shared web plumbing: error pages, template filters, the globals every page uses, and the case a
page names."""

from __future__ import annotations

from flask import Flask, abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from mediation import policy
from mediation.case_core.lookup import case_by_number
from mediation.common import labels
from mediation.common.identity import mask_id_number, mask_phone
from mediation.common.money import format_yuan
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case


def case_or_404(number: str) -> Case:
    """The case a page's URL names, or 404 when it does not exist or lies outside the signed-in
    user's scope (the same answer, so a URL reveals nothing of another region)."""
    case = case_by_number(current_user, number)
    if case is None:
        abort(404)
    return case


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not do this"),
    404: _l("Not found"),
    405: _l("This action is not available here"),
    409: _l("Conflict"),
    413: _l("The upload is too large"),
    429: _l("Too many attempts: please wait a few minutes and try again"),
    500: _l("Something went wrong on our side"),
}


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        title = ERROR_TITLES.get(error.code or 500, error.name)
        return render_template("error.html", title=title, code=error.code), error.code

    if app.testing:
        return  # let tests see the real exception

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_template("error.html", title=ERROR_TITLES[500], code=500), 500


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["yuan"] = format_yuan
    app.jinja_env.filters["mask_id"] = mask_id_number
    app.jinja_env.filters["mask_phone"] = mask_phone
    app.jinja_env.filters["dict_without_page"] = lambda args: {k: v for k, v in args.items() if k != "page"}
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def globals_for_templates():
        return {
            "labels": labels,
            "policy": policy,
            "today": today(),
            "locale": str(get_locale() or "zh"),
            "current_user": current_user,
        }
