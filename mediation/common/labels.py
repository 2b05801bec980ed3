"""Words for codes: every state, action, channel and kind as the user reads it, translated."""

from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from mediation.models import (
    Channel,
    ClaimKind,
    DisclosureChannel,
    DisclosurePurpose,
    DocumentKind,
    EnforcementKind,
    EnforcementOutcome,
    Language,
    PaymentMethod,
    SessionOutcome,
    SessionStatus,
    VenueKind,
)

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
    "correct_party": _l("Party's details corrected"),
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
    "apply_confirmation": _l("Apply for judicial confirmation"),
    "enforce": _l("Start enforcement"),
    "enforcement_path": _l("Take another enforcement path"),
    "enforcement_outcome": _l("Record an enforcement outcome"),
    "write_off": _l("Close, writing off the rest"),
    "import": _l("Imported from a case ledger"),
    "correct_claims": _l("Claims corrected"),
    "void_payment": _l("Payment voided"),
    "cancel_session": _l("Session cancelled"),
    "reschedule_session": _l("Session moved"),
}

DOCUMENT_KIND_LABELS = DocumentKind.labels()

ENFORCEMENT_KIND_LABELS = EnforcementKind.labels()

ENFORCEMENT_OUTCOME_LABELS = EnforcementOutcome.labels()

INSTALLMENT_STATUS_LABELS = {
    "paid": _l("Paid"),
    "partial": _l("Partly paid"),
    "due": _l("Due"),
    "overdue": _l("Overdue"),
}
INSTALLMENT_STATUS_BADGES = {"paid": "success", "partial": "info", "due": "secondary", "overdue": "danger"}

CHANNEL_LABELS = Channel.labels()

CLAIM_KIND_LABELS = ClaimKind.labels()

ROLE_LABELS = {
    "mediator": _l("Mediator"),
    "lawyer": _l("Union lawyer"),
    "supervisor": _l("Supervisor"),
    "admin": _l("Administrator"),
}

VENUE_KIND_LABELS = VenueKind.labels()

SESSION_OUTCOME_LABELS = SessionOutcome.labels()

PAYMENT_METHOD_LABELS = PaymentMethod.labels()

STATE_BADGES = {
    "intake": "secondary", "referred": "info", "mediating": "primary", "settled": "success", "enforcing": "warning",
    "failed": "danger", "withdrawn": "dark", "rejected": "dark", "closed": "success",
}

LANGUAGE_LABELS = Language.labels()


def _weekday_name(weekday: int) -> str:
    """The full name of a weekday (Monday 0, as date.weekday()) in the page's language, from
    Babel's locale data: 星期一 ... 星期日, Monday ... Sunday."""
    return get_day_names("wide", context="stand-alone", locale=get_locale() or "zh")[weekday]


WEEKDAY_LABELS = {weekday: LazyString(_weekday_name, weekday) for weekday in range(7)}

DISCLOSURE_PURPOSE_LABELS = DisclosurePurpose.labels()

DISCLOSURE_CHANNEL_LABELS = DisclosureChannel.labels()

SESSION_STATUS_LABELS = SessionStatus.labels()
