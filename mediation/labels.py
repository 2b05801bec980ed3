"""Words for codes: every state, action, channel and kind as the user reads it, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "intake": _l("Intake"),
    "referred": _l("Referred"),
    "mediating": _l("In mediation"),
    "settled": _l("Settled"),
    "failed": _l("Mediation failed"),
    "withdrawn": _l("Withdrawn"),
    "rejected": _l("Rejected"),
    "closed": _l("Closed"),
}

ACTION_LABELS = {
    "intake": _l("Case taken in"),
    "assign": _l("Venue or lawyer assigned"),
    "refer": _l("Refer to venue"),
    "reject": _l("Reject"),
    "withdraw": _l("Withdraw"),
    "start_mediation": _l("Start mediation"),
    "extend": _l("Extend the mediation period"),
    "settle": _l("Settle"),
    "fail": _l("Record failure"),
    "close": _l("Close"),
    "session": _l("Mediation session"),
    "payment": _l("Payment"),
}

CHANNEL_LABELS = {"court": _l("Court referral"), "hr": _l("HR bureau referral"), "walk_in": _l("Walk-in")}

CLAIM_KIND_LABELS = {
    "wages": _l("Unpaid wages"),
    "overtime": _l("Overtime pay"),
    "severance": _l("Severance"),
    "social_insurance": _l("Social insurance"),
    "work_injury": _l("Work injury"),
    "other": _l("Other"),
}

ROLE_LABELS = {
    "mediator": _l("Mediator"),
    "lawyer": _l("Union lawyer"),
    "supervisor": _l("Supervisor"),
    "admin": _l("Administrator"),
}

VENUE_KIND_LABELS = {
    "court_workroom": _l("Court mediation workroom"),
    "arbitration_workroom": _l("Arbitration commission workroom"),
    "union_committee": _l("Union mediation committee"),
}

SESSION_OUTCOME_LABELS = {
    "continued": _l("To be continued"),
    "agreement": _l("Agreement reached"),
    "no_agreement": _l("No agreement"),
}

PAYMENT_METHOD_LABELS = {
    "bank_transfer": _l("Bank transfer"),
    "cash": _l("Cash"),
    "court_account": _l("Through the court's account"),
    "other": _l("Other"),
}

STATE_BADGES = {
    "intake": "secondary", "referred": "info", "mediating": "primary", "settled": "success",
    "failed": "danger", "withdrawn": "dark", "rejected": "dark", "closed": "success",
}
