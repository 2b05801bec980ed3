"""The audit log page: the privileged operations of a region subtree, for its admins and supervisors."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from mediation import policy
from mediation.audit.forms import AuditFilterForm
from mediation.audit.selectors import ACTION_LABELS, AuditFilters, audit_entries_query
from mediation.extensions import db
from mediation.web.input_guard import page_number

bp = Blueprint("audit", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """The audit log needs a signed-in user; the view checks the role."""


@bp.route("/admin/audit")
def log():
    if not policy.can_read_audit_log(current_user):
        abort(403)
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render_template("audit/log.html", form=form, page=None, action_labels=ACTION_LABELS), 400
    filters = AuditFilters(action=form.action.data or "", username=(form.user.data or "").strip())
    page = db.paginate(audit_entries_query(current_user, filters), page=page_number(),
                       per_page=current_app.config["CASES_PER_PAGE"], error_out=False)
    return render_template("audit/log.html", form=form, page=page, action_labels=ACTION_LABELS)
