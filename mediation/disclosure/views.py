"""The "show full numbers" page of a case, and the record of who saw what (admins, supervisors)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation import policy
from mediation.disclosure.forms import AccessFilterForm, ShowForm
from mediation.disclosure.services import AccessFilters, access_records_query, personal_data_show
from mediation.extensions import db
from mediation.web.commit import perform
from mediation.web.input_guard import page_number
from mediation.web.pages import case_or_404

bp = Blueprint("disclosure", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Personal data and its access records need a signed-in user."""


@bp.route("/cases/<number>/personal-data", methods=["GET", "POST"])
def show(number: str):
    """GET asks for the purpose; POST records the access, then answers with the full numbers.

    The numbers are only ever in this POST's answer (no-store, like every signed-in page): never
    in a URL, a redirect or the session, so the browser's history cannot bring them back.
    """
    case = case_or_404(number)
    if not policy.can_see_personal_data(current_user, case):
        abort(403)
    form = ShowForm()
    if request.method == "GET":
        return render_template("disclosure/show.html", case=case, form=form)
    if not form.validate():  # only the CSRF token can fail here
        flash(_("Please correct the marked fields."), "danger")
        return render_template("disclosure/show.html", case=case, form=form), 400
    done, status = perform(form, lambda: personal_data_show(
        actor=current_user, case=case, purpose=form.purpose.data or "", note=form.note.data or "",
        channel="web", remote_addr=request.remote_addr))
    if status:
        return render_template("disclosure/show.html", case=case, form=form), status
    record, workers = done
    return render_template("disclosure/show.html", case=case, form=None, record=record, workers=workers)


@bp.route("/admin/personal-data-access")
def records():
    if not policy.can_read_access_records(current_user):
        abort(403)
    form = AccessFilterForm(request.args)
    if not form.validate():
        return render_template("disclosure/records.html", form=form, page=None), 400
    filters = AccessFilters(case_number=(form.case.data or "").strip(), username=(form.user.data or "").strip())
    page = db.paginate(access_records_query(current_user, filters), page=page_number(),
                       per_page=current_app.config["CASES_PER_PAGE"], error_out=False)
    return render_template("disclosure/records.html", form=form, page=page)
