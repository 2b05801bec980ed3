"""Settlement pages: download the agreement PDF, make the judicial-confirmation application, and the
public verification page (generating the agreement is an operation: settlements/operations.py).

Thin: load the case (404 outside the user's region), check the right (403), call a service.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation import policy
from mediation.enforcement.services import jc_application_generate
from mediation.extensions import limiter
from mediation.models import Case
from mediation.settlements.forms import VerifyForm
from mediation.settlements.selectors import document_by_code, document_by_content, document_version
from mediation.settlements.services import normalise_code
from mediation.web.commit import perform
from mediation.web.pages import case_or_404
from mediation.web.responses import private_pdf

bp = Blueprint("settlements", __name__)

PDF_MAGIC = b"%PDF-"


def _store_and_return(case: Case, generate, done: str):  # noqa: ANN001, ANN202
    """Run a document service; on success flash `done` (with the version) and go to the documents."""
    outcome = perform(None, lambda: generate(verify_url=url_for("settlements.verify", _external=True)),
                      flash_errors=False)
    if (error := outcome.error) is not None:
        return render_template("error.html", title=error.message, code=error.status), error.status
    document = outcome.result
    flash(done % {"version": document.version}, "success")
    return redirect(url_for("cases.detail", number=case.number) + "#documents")


@bp.route("/cases/<number>/enforcement/<int:path_id>/application", methods=["POST"])
@login_required
def generate_application(number: str, path_id: int):
    """The application for judicial confirmation of one enforcement path, as a new PDF version."""
    case = case_or_404(number)
    if not policy.can_act_on_case(current_user, case):
        abort(403)
    return _store_and_return(case, partial(jc_application_generate, case=case, actor=current_user, path_id=path_id),
                             _("Version %(version)d of the application has been generated."))


@bp.route("/cases/<number>/documents/<int:version>.pdf", defaults={"kind": "agreement"})
@bp.route("/cases/<number>/documents/<any(agreement, jc_application):kind>/<int:version>.pdf")
@login_required
def download(number: str, version: int, kind: str):
    case = case_or_404(number)
    if not policy.can_read_documents(current_user, case):
        abort(403)
    document = document_version(case, version, kind)
    if document is None:
        abort(404)
    return private_pdf(document.content, f"{kind}-{case.number}-v{version}.pdf")


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def verify():
    """Public: anyone holding a copy may check it. Shows the case number, date, version and
    status only; an unknown code or a changed file is answered "not genuine" (200)."""
    form = VerifyForm()
    checked, document, status = False, None, 200
    if request.method == "POST":
        upload = form.pdf.data
        if not form.validate():
            status = 400
        elif upload and upload.filename:
            content = upload.read()
            if not content.startswith(PDF_MAGIC):
                form.pdf.errors = [_("This file is not a PDF.")]
                status = 400
            else:
                checked, document = True, document_by_content(content)
        elif normalise_code(form.code.data or ""):
            checked, document = True, document_by_code(normalise_code(form.code.data))
        else:
            form.code.errors = [_("Enter the verification code or choose the PDF file.")]
            status = 400
    elif request.args.get("code"):  # the QR code's link
        form.code.data = request.args["code"][:32]
        checked, document = True, document_by_code(normalise_code(form.code.data))
    return render_template("settlements/verify.html", form=form, checked=checked, document=document), status
