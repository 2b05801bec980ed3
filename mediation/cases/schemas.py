"""The input of each case operation of this package: the fields its service needs, and the case version seen."""

from __future__ import annotations

import workflows
from mediation.case_core.checks import MAX_NOTE
from mediation.case_core.schemas import ActionSchema, note_field
from mediation.common.fields import BaseSchema, Choice, Day, Id, Items, Object, Text, Yuan
from mediation.models import CLAIM_KINDS


class ReferSchema(ActionSchema):
    venue_id = Id(required=True)
    lawyer_id = Id(allow_none=True, load_default=None, metadata={
        "description": "Assign this lawyer as well (an active lawyer of the case's region with no conflict of "
                       "interest); omitted: the case keeps its lawyer."})
    referred_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
    note = note_field()


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
    note = note_field()


class CloseSchema(ActionSchema):
    note = note_field()
    closed_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})


class ClaimRowSchema(BaseSchema):
    worker_id = Id(required=True)
    kind = Choice(CLAIM_KINDS, required=True)
    amount = Yuan(required=True, metadata={"description": "Greater than zero; at most 10,000,000.00."})


class CorrectClaimsSchema(ActionSchema):
    claims = Items(Object(ClaimRowSchema), required=True, min_items=1, max_items=3000, metadata={
        "description": "Every claim of every worker after the correction: a claim left out is removed, "
                       "a new worker and kind is added. Each worker keeps at least one."})
    reason = Text(MAX_NOTE, required=True)


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
