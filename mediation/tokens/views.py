"""The API tokens page: a user's own tokens, and an administrator's view of another user's.

Thin: check the right (404 for a token or user out of reach), call a service, commit once.
The raw token of a new token is rendered in the reply to the POST that made it, and nowhere
else: not in a flash message (the session cookie), not in a redirect, not in a log.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation import policy
from mediation.extensions import db
from mediation.models import ApiToken, User
from mediation.tokens import services
from mediation.tokens.forms import TokenForm
from mediation.web.commit import perform

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


@bp.before_request
@login_required
def require_login() -> None:
    """Every page here needs a signed-in user."""


@bp.route("", methods=["GET", "POST"])
def index():
    me = current_user._get_current_object()
    form, new_token, raw_token, status = TokenForm(), None, None, 200
    if form.validate_on_submit():
        issued, status = perform(form, lambda: services.token_issue(user=me, actor=me, name=form.name.data))
        if issued is not None:
            (new_token, raw_token), form = issued, TokenForm(formdata=None)
    elif form.is_submitted():
        status = 400
    return render_template("tokens/index.html", owner=me, tokens=services.tokens_of(me), form=form,
                           raw_token=raw_token, new_token=new_token,
                           token_days=services.lifetime_days()), status or 200


@bp.route("/users/<int:user_id>")
def of_user(user_id: int):
    """An administrator's view of a user's tokens: see and revoke, never issue."""
    if not policy.can_manage_users(current_user):
        abort(403)
    owner = db.session.get(User, user_id)
    if owner is None or not policy.can_manage_tokens_of(current_user, owner):
        abort(404)
    if owner.id == current_user.id:
        return redirect(url_for("tokens.index"))
    return render_template("tokens/index.html", owner=owner, tokens=services.tokens_of(owner), form=None,
                           raw_token=None)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or not policy.can_manage_tokens_of(current_user, token.user):
        abort(404)  # someone else's token: as if it did not exist
    error = perform(None, lambda: services.token_revoke(token=token, actor=current_user._get_current_object()),
                    flash_errors=False).error
    if error is not None:
        return render_template("error.html", title=error.message, code=error.status), error.status
    flash(_("The token “%(name)s” has been revoked; it no longer works.", name=token.name), "success")
    if token.user_id == current_user.id:
        return redirect(url_for("tokens.index"))
    return redirect(url_for("tokens.of_user", user_id=token.user_id))
