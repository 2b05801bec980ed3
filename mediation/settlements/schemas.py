"""The input of each settlement operation (and of a payment): the fields its service needs, and the
case version seen."""

from __future__ import annotations

from mediation.case_core.checks import MAX_NOTE
from mediation.case_core.schemas import ActionSchema
from mediation.common.fields import Choice, Day, Flag, Id, Text, Yuan
from mediation.models import PAYMENT_METHODS


class GenerateAgreementSchema(ActionSchema):
    confirm = Flag(load_default=False, metadata={
        "description": "true: generate although signatures recorded on the current version lapse (the answer "
                       "without it is 409 naming them)."})
    reason = Text(MAX_NOTE, load_default="", metadata={"description": "Required when signatures lapse."})


class VoidPaymentSchema(ActionSchema):
    payment_id = Id(required=True)
    reason = Text(MAX_NOTE, required=True)


class PaymentInSchema(ActionSchema):
    worker_id = Id(required=True)
    amount = Yuan(required=True, metadata={"description": "At most what is still owed to the worker."})
    paid_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
    method = Choice(PAYMENT_METHODS, required=True)
    receipt_no = Text(64, load_default="")
    enforcement_path_id = Id(allow_none=True, load_default=None, metadata={
        "description": "The court path of this case the money was recovered through, if any."})
