"""The input of each enforcement operation: the fields its service needs, and the case version seen."""

from __future__ import annotations

from mediation.case_core.checks import MAX_NOTE
from mediation.case_core.schemas import ActionSchema
from mediation.common.fields import Choice, Day, Text
from mediation.models import ENFORCEMENT_KINDS


class ConfirmationSchema(ActionSchema):
    applied_on = Day(allow_none=True, load_default=None, metadata={
        "description": "Default: today. From the day the agreement took effect; no later than today."})
    court = Text(200, load_default="")


class EnforceSchema(ActionSchema):
    # Judicial confirmation is its own action (apply_confirmation): it needs no default.
    kind = Choice([k for k in ENFORCEMENT_KINDS if k != "judicial_confirmation"], required=True)
    applied_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
    court = Text(200, load_default="")
    court_case_no = Text(64, load_default="")


class WriteOffSchema(ActionSchema):
    reason = Text(MAX_NOTE, required=True)
    closed_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
