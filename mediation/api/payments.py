"""Payments: money paid to a worker under the effective agreement (mediation.settlements.ledger)."""

from __future__ import annotations

from flask_login import current_user

from mediation.api.cases import load_case
from mediation.api.docs import blueprint, problems
from mediation.api.idempotency import HEADER_DOC, REPLAYED_DOC
from mediation.api.present import payment
from mediation.api.problems import from_service_error
from mediation.api.schemas.cases import PaymentSchema
from mediation.api.writes import writes
from mediation.common.errors import ServiceError
from mediation.settlements.ledger import payment_record
from mediation.settlements.schemas import PaymentInSchema

bp = blueprint("payments_api", __name__, url_prefix="/api/v1/cases",
               description="Payments recorded against a case's effective agreement.")


@bp.route("/<case_number:number>/payments", methods=["POST"])
@writes()
@problems(bp, 400, 403, 404, 409, 413, 415, 422)
@bp.doc(parameters=[HEADER_DOC])
@bp.arguments(PaymentInSchema)
@bp.response(201, PaymentSchema, headers=REPLAYED_DOC)
def payment_create(body: dict, number: str):
    """Record a payment to one worker; it settles their oldest unpaid installment first."""
    case = load_case(number)
    try:
        made = payment_record(case=case, actor=current_user, expected_version=body["expected_version"],
                              worker_id=body["worker_id"], amount_fen=body["amount"], paid_on=body["paid_on"],
                              method=body["method"], receipt_no=body["receipt_no"],
                              enforcement_path_id=body["enforcement_path_id"])
    except ServiceError as error:
        return from_service_error(error)
    return payment(made)
