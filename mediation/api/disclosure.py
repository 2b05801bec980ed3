"""A case's full ID numbers and phones: each request writes an access record first
(mediation.disclosure). The case document (GET /cases/{number}) always masks them."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from mediation.api import present
from mediation.api.cases import load_case
from mediation.api.docs import blueprint, problems
from mediation.api.problems import from_service_error
from mediation.api.schemas.disclosure import PersonalDataSchema, ShowInSchema
from mediation.api.writes import writes
from mediation.common.errors import ServiceError
from mediation.disclosure.services import personal_data_show

bp = blueprint("disclosure_api", __name__, url_prefix="/api/v1/cases",
               description="Full ID numbers and phones, each viewing recorded.")


@bp.route("/<case_number:number>/personal-data", methods=["POST"])
@writes(idempotent=False)  # every viewing is a new record: a replay would show numbers unrecorded
@problems(bp, 400, 403, 404, 413, 415, 422)
@bp.arguments(ShowInSchema)
@bp.response(200, PersonalDataSchema)
def personal_data(body: dict, number: str):
    """The workers' full ID numbers and phones, for the case's mediator, its lawyer or an admin.

    Who asked, when, why and from which address is recorded before the answer is sent; admins
    and supervisors read those records."""
    case = load_case(number)
    try:
        record, workers = personal_data_show(actor=current_user, case=case, purpose=body["purpose"], note=body["note"],
                                             channel="api", remote_addr=request.remote_addr)
    except ServiceError as error:
        return from_service_error(error)
    return present.personal_data(record, workers)
