"""The input of each session operation: the fields its service needs, and the case version seen."""

from __future__ import annotations

from mediation.case_core.checks import MAX_NOTE
from mediation.case_core.schemas import ActionSchema
from mediation.common.fields import Clock, Day, Id, Text


class CancelSessionSchema(ActionSchema):
    session_id = Id(required=True)
    reason = Text(MAX_NOTE, required=True)


class RescheduleSessionSchema(ActionSchema):
    session_id = Id(required=True)
    on_date = Day(required=True)
    starts_at = Clock(required=True, metadata={"description": "HH:MM"})
    ends_at = Clock(required=True, metadata={"description": "HH:MM"})
    reason = Text(MAX_NOTE, required=True)
    override_reason = Text(MAX_NOTE, load_default="", metadata={
        "description": "Needed when the lawyer is not on duty that day (roster, leave) or it is no working day."})
