"""The current agreement PDF of a case, as the case page offers it for download."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation import policy
from mediation.api.cases import load_case
from mediation.api.docs import blueprint, problems
from mediation.api.problems import ApiProblem
from mediation.settlements.signing import current_agreement
from mediation.web.responses import private_pdf

bp = blueprint("documents_api", __name__, url_prefix="/api/v1/cases",
               description="Documents of a case.")


@bp.route("/<case_number:number>/agreement.pdf", methods=["GET"])
@problems(bp, 403, 404)
@bp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
             description="The current version of the settlement agreement (调解协议书).")
def agreement_pdf(number: str):
    """Download the current agreement PDF (the version not superseded)."""
    case = load_case(number)
    if not policy.can_read_documents(current_user, case):
        raise ApiProblem(403, "forbidden", _l("You may not read this case's documents."))
    document = current_agreement(case)
    if document is None:
        raise ApiProblem(404, "not_found", _l("No agreement has been generated for this case."))
    return private_pdf(document.content, f"agreement-{case.number}-v{document.version}.pdf")
