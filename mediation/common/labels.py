"""Words for codes: every state, action, channel and kind as the user reads it, translated."""

from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "intake": _l("Intake"),
    "referred": _l("Referred"),
    "mediating": _l("In mediation"),
    "settled": _l("Settled"),
    "enforcing": _l("In enforcement"),
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
    "assign_lawyer": _l("Lawyer assigned"),
    "reassign_lawyer": _l("Lawyer reassigned"),
    "decline": _l("Lawyer declined the case"),
    "schedule": _l("Session scheduled"),
    "payment": _l("Payment"),
    "document": _l("Document generated"),
    "installments": _l("Payment schedule"),
    "sign": _l("Record signatures"),
    "agreement_effective": _l("Agreement took effect"),
    "enforce": _l("Start enforcement"),
    "enforcement_path": _l("Take another enforcement path"),
    "enforcement_outcome": _l("Record an enforcement outcome"),
    "write_off": _l("Close, writing off the rest"),
    "import": _l("Imported from a case ledger"),
}

DOCUMENT_KIND_LABELS = {
    "agreement": _l("Settlement agreement"),
    "jc_application": _l("Application for judicial confirmation"),
}

ENFORCEMENT_KIND_LABELS = {
    "judicial_confirmation": _l("Judicial confirmation"),
    "payment_order": _l("Payment order"),
    "court_enforcement": _l("Court enforcement"),
}

ENFORCEMENT_OUTCOME_LABELS = {
    "pending": _l("Pending"),
    "granted": _l("Granted"),
    "refused": _l("Refused"),
    "withdrawn": _l("Withdrawn"),
}

INSTALLMENT_STATUS_LABELS = {
    "paid": _l("Paid"),
    "partial": _l("Partly paid"),
    "due": _l("Due"),
    "overdue": _l("Overdue"),
}
INSTALLMENT_STATUS_BADGES = {"paid": "success", "partial": "info", "due": "secondary", "overdue": "danger"}

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
    "intake": "secondary", "referred": "info", "mediating": "primary", "settled": "success", "enforcing": "warning",
    "failed": "danger", "withdrawn": "dark", "rejected": "dark", "closed": "success",
}

LANGUAGE_LABELS = {"zh": _l("Chinese"), "ko": _l("Korean")}


def _weekday_name(weekday: int) -> str:
    """The full name of a weekday (Monday 0, as date.weekday()) in the page's language, from
    Babel's locale data: 星期一 ... 星期日, Monday ... Sunday."""
    return get_day_names("wide", context="stand-alone", locale=get_locale() or "zh")[weekday]


WEEKDAY_LABELS = {weekday: LazyString(_weekday_name, weekday) for weekday in range(7)}

DISCLOSURE_PURPOSE_LABELS = {
    "contact": _l("To contact the worker"),
    "identity": _l("To check a worker's identity"),
    "documents": _l("To prepare an agreement or court papers"),
    "enforcement": _l("To apply for enforcement"),
    "other": _l("Other (say why)"),
}

DISCLOSURE_CHANNEL_LABELS = {"web": _l("Web page"), "api": _l("JSON API")}

SESSION_STATUS_LABELS = {"scheduled": _l("Scheduled"), "held": _l("Held"), "cancelled": _l("Cancelled")}
