"""The upload page of a case ledger: supervisors and administrators import past cases.

Thin: check the role, parse the upload under the ledger's own size limit (larger than the
application's default for other forms), call the service, show its report.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from mediation import policy
from mediation.extensions import csrf
from mediation.imports import reader
from mediation.imports.forms import ImportForm
from mediation.imports.services import import_ledger
from mediation.web.commit import perform

bp = Blueprint("imports", __name__)

# The report lists every problem; past this many the page shows the first ones only.
SHOWN_PROBLEMS = 1000
MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and the multipart boundaries


def _page(form: ImportForm, report=None, status: int = 200):  # noqa: ANN001, ANN202
    return render_template("imports/upload.html", form=form, report=report, shown=SHOWN_PROBLEMS,
                           limit_mb=reader.MAX_FILE_BYTES // (1024 * 1024)), status


@bp.before_request
@login_required
def require_importer():  # noqa: ANN201
    if not policy.can_import_cases(current_user):
        abort(403)
    # Set before anything reads the body; the CSRF check, exempted from the app-wide one
    # (which would read the body under the default limit), is made here right after.
    request.max_content_length = reader.MAX_FILE_BYTES + MULTIPART_ALLOWANCE
    if request.method == "POST":
        try:
            _parsed = request.files
        except RequestEntityTooLarge:
            flash(str(reader.too_large().args[0]), "danger")
            return _page(ImportForm(formdata=None), status=413)
        if current_app.config["WTF_CSRF_ENABLED"]:
            csrf.protect()
    return None


@bp.route("/import", methods=["GET", "POST"])
@csrf.exempt
def upload():  # noqa: ANN201
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.is_submitted() else 200)
    upload = form.ledger.data
    report, status = perform(form, lambda: import_ledger(
        actor=current_user, filename=upload.filename or "", file_bytes=upload.read(),
        skip_invalid=form.skip_invalid.data))
    if status:
        return _page(form, status=status)
    if report.imported:
        flash(_("%(n)d cases imported.", n=report.imported), "success")
    elif report.ok:
        flash(_("Nothing new to import: every case of this file is already on record."), "info")
    else:
        flash(_("The file has errors: nothing was imported. Correct the rows listed below and upload it again."),
              "danger")
    return _page(form, report, status=200 if report.ok or report.imported else 400)
