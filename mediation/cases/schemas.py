"""The input of each case operation of this package: the fields its service needs, and the case
version seen; and the referral that takes a case in (intake)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l

import workflows
from mediation.case_core.checks import MAX_NOTE
from mediation.case_core.schemas import ActionSchema, note_field
from mediation.cases.intake import MAX_WORKERS
from mediation.common.fields import BaseSchema, Choice, Day, Id, Items, Object, Text, Yuan
from mediation.models import CLAIM_KINDS, LANGUAGES

# A referral comes from a court or an HR bureau's arbitration commission, with their reference.
REFERRAL_CHANNELS = ("court", "hr")


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


# --- a referral ------------------------------------------------------------------------------

class ClaimInSchema(BaseSchema):
    kind = Choice(CLAIM_KINDS, required=True)
    amount = Yuan(required=True)


class WorkerInSchema(BaseSchema):
    name = Text(64, required=True)
    id_number = Text(18, required=True, metadata={"description": "Resident ID number (18 characters)."})
    phone = Text(20, load_default="", metadata={"description": "Mainland mobile number; optional."})
    claims = Items(Object(ClaimInSchema), required=True, min_items=1, max_items=len(CLAIM_KINDS),
                   metadata={"description": "One item per claim kind."})

    @ma.validates_schema
    def one_item_per_kind(self, data: dict, **kwargs) -> None:  # noqa: ANN003
        seen: set[str] = set()
        for index, claim in enumerate(data.get("claims") or []):
            if claim["kind"] in seen:
                raise ma.ValidationError({"claims": {index: {"kind": [_l("This claim kind is entered twice.")]}}})
            seen.add(claim["kind"])


class EmployerInSchema(BaseSchema):
    name = Text(120, required=True)
    uscc = Text(18, required=True, metadata={"description": "Unified social credit code (18 characters)."})
    legal_representative = Text(64, load_default="")
    address = Text(200, load_default="")


class ReferralSchema(BaseSchema):
    channel = Choice(REFERRAL_CHANNELS, required=True)
    referral_ref = Text(64, required=True, metadata={
        "description": "The referring body's own reference: with the channel, it identifies the referral. "
                       "Sending it again returns the case it made (200) instead of a new one (201)."})
    region_code = Text(6, required=True, metadata={"example": "220102"})
    venue_id = Id(allow_none=True, load_default=None)
    received_on = Day(allow_none=True, load_default=None, metadata={"description": "Default: today."})
    language = Choice(LANGUAGES, load_default="zh", metadata={"description": "What the workers need at the table."})
    summary = Text(4000, load_default="")
    employer = Object(EmployerInSchema, required=True)
    workers = Items(Object(WorkerInSchema), required=True, min_items=1, max_items=MAX_WORKERS)
    confirm = ma.fields.Boolean(load_default=False, metadata={
        "description": "true: take the case in despite the warnings of an earlier answer 409 confirmation_required "
                       "(a worker's ID number or the credit code on record under another name, or an open case "
                       "with the same worker and employer), which you have checked."})
