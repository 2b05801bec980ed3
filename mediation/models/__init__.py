"""SQLAlchemy models, one module per aggregate; imported here so Alembic sees every table."""

from mediation.models.activity import (
    PAYMENT_METHODS,
    SESSION_OUTCOMES,
    SESSION_STATUSES,
    CaseEvent,
    MediationSession,
    Payment,
    PaymentMethod,
    SessionOutcome,
    SessionStatus,
)
from mediation.models.audit_entry import AuditEntry, AuditHead
from mediation.models.case import (
    CHANNELS,
    CLAIM_KINDS,
    COLLECTIVE_THRESHOLD,
    Case,
    CaseNumberSequence,
    Channel,
    ClaimItem,
    ClaimKind,
)
from mediation.models.consultation import (
    CONSULTATION_CHANNELS,
    CONSULTATION_TOPICS,
    Consultation,
    ConsultationChannel,
    ConsultationEdit,
)
from mediation.models.disclosure import (
    DISCLOSURE_CHANNELS,
    DISCLOSURE_PURPOSES,
    DisclosureChannel,
    DisclosurePurpose,
    PersonalDataAccess,
)
from mediation.models.document import DOCUMENT_KINDS, CaseDocument, DocumentKind
from mediation.models.enforcement import (
    ENFORCEMENT_KINDS,
    ENFORCEMENT_OUTCOMES,
    EnforcementKind,
    EnforcementOutcome,
    EnforcementPath,
)
from mediation.models.hazard import (
    Hazard,
    HazardKind,
    HazardLevel,
    HazardNotice,
    HazardOutcome,
    HazardSource,
    HazardStep,
)
from mediation.models.idempotency import IdempotencyKey
from mediation.models.lawyer import (
    LANGUAGES,
    ConflictDeclaration,
    DutyRoster,
    Language,
    LawyerProfile,
    RosterException,
)
from mediation.models.party import Employer, EmployerRecord, Worker
from mediation.models.region import Region
from mediation.models.report import LockedReport, LockedReportCase
from mediation.models.settlement import SIGNATORY_KINDS, Installment, PaymentAllocation, Signature
from mediation.models.submission import FormSubmission
from mediation.models.summary import StatsCasePart, StatsMonth, StatsMonthDays
from mediation.models.token import ApiToken
from mediation.models.user import ROLES, User
from mediation.models.venue import VENUE_KINDS, Venue, VenueKind

__all__ = [
    "Channel", "ClaimKind", "DisclosureChannel", "DisclosurePurpose", "DocumentKind", "EnforcementKind",
    "EnforcementOutcome", "Language", "PaymentMethod", "SessionOutcome", "SessionStatus", "VenueKind",
    "DOCUMENT_KINDS", "CaseDocument", "ENFORCEMENT_KINDS", "ENFORCEMENT_OUTCOMES", "EnforcementPath",
    "SIGNATORY_KINDS", "Installment", "PaymentAllocation", "Signature",
    "LANGUAGES", "ConflictDeclaration", "DutyRoster", "LawyerProfile", "RosterException", "SESSION_STATUSES",
    "PAYMENT_METHODS", "SESSION_OUTCOMES", "CaseEvent", "MediationSession", "Payment",
    "CHANNELS", "CLAIM_KINDS", "COLLECTIVE_THRESHOLD", "Case", "CaseNumberSequence", "ClaimItem",
    "Employer", "EmployerRecord", "Worker", "Region", "ROLES", "User", "VENUE_KINDS", "Venue",
    "LockedReport", "LockedReportCase", "StatsCasePart", "StatsMonth", "StatsMonthDays", "ApiToken",
    "IdempotencyKey", "DISCLOSURE_CHANNELS", "DISCLOSURE_PURPOSES", "PersonalDataAccess", "AuditEntry", "AuditHead",
    "FormSubmission", "CONSULTATION_CHANNELS", "CONSULTATION_TOPICS", "Consultation", "ConsultationChannel",
    "ConsultationEdit",
    "Hazard", "HazardKind", "HazardLevel", "HazardNotice", "HazardOutcome", "HazardSource",
    "HazardStep",
]
