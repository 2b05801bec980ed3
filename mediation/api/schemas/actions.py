"""The body of each workflow trigger: the fields its service needs, and the case version seen."""

from __future__ import annotations

import workflows
from mediation.api.schemas.fields import (
    MAX_ID,
    BaseSchema,
    Choice,
    Clock,
    Day,
    Flag,
    Id,
    Items,
    Object,
    Text,
    Yuan,
)
from mediation.case_core.checks import MAX_NOTE
from mediation.models import CLAIM_KINDS, ENFORCEMENT_KINDS


class ActionSchema(BaseSchema):
    expected_version = Id(minimum=0, maximum=MAX_ID, allow_none=True, load_default=None, metadata={
        "description": "The case version you read: if the case changed since, nothing is saved (409 conflict)."})


def _note(**kwargs) -> Text:  # noqa: ANN003
    return Text(MAX_NOTE, load_default="", **kwargs)


class ReferSchema(ActionSchema):
    venue_id = Id(required=True)
    lawyer_id = Id(allow_none=True, load_default=None, metadata={
        "description": "Assign this lawyer as well (an active lawyer of the case's region with no conflict of "
                       "interest); omitted: the case keeps its lawyer."})
    referred_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
    note = _note()


class ReasonSchema(ActionSchema):
    """reject, withdraw, fail"""

    reason = Text(MAX_NOTE, required=True)
    ended_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})


class StartMediationSchema(ActionSchema):
    started_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})


class ExtendSchema(ActionSchema):
    days = Id(required=True, maximum=workflows.MAX_EXTENSION_DAYS)
    agreement = Text(MAX_NOTE, required=True, metadata={"description": "The parties' agreement to extend."})


class AgreedItemSchema(BaseSchema):
    claim_id = Id(required=True)
    amount = Yuan(required=True, allow_zero=True, metadata={"description": "0 if nothing was agreed."})


class SettleSchema(ActionSchema):
    agreed = Items(Object(AgreedItemSchema), required=True, min_items=1, max_items=3000, metadata={
        "description": "The agreed amount of every claim item of the case."})
    settled_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
    note = _note()


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


class CloseSchema(ActionSchema):
    note = _note()
    closed_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})


class WriteOffSchema(ActionSchema):
    reason = Text(MAX_NOTE, required=True)
    closed_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})


# --- corrections: each with a reason, and an event holding what was before ------------------------

class ClaimRowSchema(BaseSchema):
    worker_id = Id(required=True)
    kind = Choice(CLAIM_KINDS, required=True)
    amount = Yuan(required=True, metadata={"description": "Greater than zero; at most 10,000,000.00."})


class CorrectClaimsSchema(ActionSchema):
    claims = Items(Object(ClaimRowSchema), required=True, min_items=1, max_items=3000, metadata={
        "description": "Every claim of every worker after the correction: a claim left out is removed, "
                       "a new worker and kind is added. Each worker keeps at least one."})
    reason = Text(MAX_NOTE, required=True)


class VoidPaymentSchema(ActionSchema):
    payment_id = Id(required=True)
    reason = Text(MAX_NOTE, required=True)


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


class GenerateAgreementSchema(ActionSchema):
    confirm = Flag(load_default=False, metadata={
        "description": "true: generate although signatures recorded on the current version lapse (the answer "
                       "without it is 409 naming them)."})
    reason = Text(MAX_NOTE, load_default="", metadata={"description": "Required when signatures lapse."})


class CorrectPartySchema(ActionSchema):
    """correct_party: only the details sent are corrected; the others stay as recorded."""

    party = Text(32, required=True, metadata={
        "description": "The party: \"worker:<id>\" (a worker id of this case) or \"employer\" (the case's own record "
                       "of its employer, never the employer's master record)."})
    name = Text(120, metadata={"description": "The worker's (at most 64 characters) or the employer's name."})
    id_number = Text(18, metadata={"description": "A worker's resident ID number."})
    phone = Text(20, metadata={"description": "A worker's mainland mobile number; \"\" removes it."})
    address = Text(200)
    uscc = Text(18, metadata={"description": "The employer's unified social credit code: the case is linked to "
                                             "that code's master record (made from the case's details if new)."})
    legal_representative = Text(64, metadata={"description": "The employer's legal representative."})
    reason = Text(MAX_NOTE, required=True, metadata={"description": "Why the details are corrected."})
