"""A payment to one worker under the effective agreement."""

from __future__ import annotations

from mediation.api.schemas.actions import ActionSchema
from mediation.api.schemas.fields import Choice, Day, Id, Text, Yuan
from mediation.models import PAYMENT_METHODS


class PaymentInSchema(ActionSchema):
    worker_id = Id(required=True)
    amount = Yuan(required=True, metadata={"description": "At most what is still owed to the worker."})
    paid_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
    method = Choice(PAYMENT_METHODS, required=True)
    receipt_no = Text(64, load_default="")
    enforcement_path_id = Id(allow_none=True, load_default=None, metadata={
        "description": "The court path of this case the money was recovered through, if any."})
