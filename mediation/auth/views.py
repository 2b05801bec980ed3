"""Sign-in, sign-out, the password change and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation.auth.forms import LoginForm, PasswordChangeForm
from mediation.auth.passwords import min_length
from mediation.auth.services import authenticate, password_change, user_end_sessions
from mediation.auth.sessions import session_begin, session_end
from mediation.extensions import limiter
from mediation.web.commit import perform

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    return "login-account:" + (request.form.get("username") or "").strip().lower()


def _failed(response) -> bool:  # noqa: ANN001
    return response.status_code == 401


def _own_account_key() -> str:
    return f"password-change:{getattr(current_user, 'id', '')}"


def _wrong_current_password(response) -> bool:  # noqa: ANN001, ARG001
    return bool(g.get("wrong_current_password"))


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("cases.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_ADDRESS"], methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("cases.index"))
    form = LoginForm()
    if form.validate_on_submit():
        # authenticate may upgrade an older password hash on the way: committed here
        user = perform(form, lambda: authenticate(username=form.username.data, password=form.password.data)).result
        if user is not None:
            session_begin(user)  # a fresh session on sign-in: no fixation
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong username or password."), "danger")
        return render_template("auth/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    perform(None, lambda: user_end_sessions(user=current_user._get_current_object()))
    session_end()
    flash(_("You have signed out on all your devices."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"], methods=["POST"],
               key_func=_own_account_key, deduct_when=_wrong_current_password)
def password():
    """The user's own password: the current one, the new one twice. Guessing the current one
    from a session left open is throttled like sign-in."""
    me = current_user._get_current_object()
    form, status = PasswordChangeForm(), 200
    if form.validate_on_submit():
        _done, status = perform(form, lambda: password_change(
            user=me, current_password=form.current_password.data, new_password=form.new_password.data))
        if status is None:
            session_begin(me)  # this session goes on with the new token; the others have ended
            flash(_("Your password has been changed. You stay signed in here; your other sessions have ended."),
                  "success")
            return redirect(url_for("auth.password"))
        g.wrong_current_password = bool(form.current_password.errors)
    elif form.is_submitted():
        status = 400
    return render_template("auth/password.html", form=form, min_length=min_length()), status or 200


@bp.route("/language/<code>", methods=["POST"])
def language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(request.form.get("next")))
