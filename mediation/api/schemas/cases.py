"""Cases: the list's filters, and what a case reads as (a referral's body is mediation/cases/schemas.py)."""

from __future__ import annotations

import marshmallow as ma

from mediation.api.schemas.common import PageQuerySchema, PageSchema, PersonSchema, RegionSchema
from mediation.common.fields import Choice, Instant, Text, Yuan
from mediation.models import (
    CHANNELS,
    CLAIM_KINDS,
    ENFORCEMENT_KINDS,
    ENFORCEMENT_OUTCOMES,
    LANGUAGES,
    PAYMENT_METHODS,
    SESSION_OUTCOMES,
    SESSION_STATUSES,
)
from workflows import STATES, TRIGGERS

CASE_NUMBER_PATTERN = r"^[0-9]{6}-[0-9]{4}-[0-9]{5,9}$"


# --- the list --------------------------------------------------------------------------------

class CaseListQuerySchema(PageQuerySchema):
    q = Text(64, metadata={"description": "Part of the case number, the referral reference, a worker's or the "
                                          "employer's name."})
    state = Choice(STATES)
    region = Text(6, metadata={"description": "A region code of your subtree: its cases and those below it."})
    channel = Choice(CHANNELS)
    overdue = Choice(("overdue", "due_soon"), metadata={
        "description": "overdue: in mediation past the statutory period; due_soon: its last day within 3 days."})
    employer = Text(18, metadata={"description": "The employer's unified social credit code, exactly."})


class CaseSummarySchema(ma.Schema):
    number = ma.fields.String(required=True, metadata={"example": "220102-2026-00001"})
    state = ma.fields.String(required=True, metadata={"enum": STATES})
    channel = ma.fields.String(required=True, metadata={"enum": list(CHANNELS)})
    referral_ref = ma.fields.String(required=True, allow_none=True)
    region = ma.fields.Nested(RegionSchema, required=True)
    employer_name = ma.fields.String(required=True)
    worker_count = ma.fields.Integer(required=True)
    collective = ma.fields.Boolean(required=True)
    received_on = ma.fields.Date(required=True)
    mediation_due_on = ma.fields.Date(required=True, allow_none=True)
    overdue = ma.fields.Boolean(required=True)
    claimed = Yuan(required=True)
    agreed = Yuan(required=True)
    paid = Yuan(required=True)
    version = ma.fields.Integer(required=True)


class CasePageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(CaseSummarySchema), required=True)


# --- a case, read ----------------------------------------------------------------------------

class EmployerSchema(ma.Schema):
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True)
    legal_representative = ma.fields.String(required=True)
    address = ma.fields.String(required=True)


class WorkerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    id_number = ma.fields.String(required=True, metadata={
        "description": "Always masked (220102********1234): POST /cases/{number}/personal-data gives the full numbers "
                       "to the case's mediator, its lawyer or an admin, and records that it did."})
    phone = ma.fields.String(required=True, allow_none=True, metadata={"description": "Masked like id_number."})
    claimed = Yuan(required=True)
    agreed = Yuan(required=True)
    paid = Yuan(required=True)
    outstanding = Yuan(required=True)


class ClaimSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    worker_id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(CLAIM_KINDS)})
    claimed = Yuan(required=True)
    agreed = Yuan(required=True, allow_none=True)


class AssignmentSchema(ma.Schema):
    mediator = ma.fields.Nested(PersonSchema, required=True, allow_none=True)
    lawyer = ma.fields.Nested(PersonSchema, required=True, allow_none=True)
    venue = ma.fields.Nested(PersonSchema, required=True, allow_none=True, metadata={
        "description": "The venue's id and name."})


class InstallmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    worker_id = ma.fields.Integer(required=True)
    seq = ma.fields.Integer(required=True)
    due_on = ma.fields.Date(required=True)
    amount = Yuan(required=True)
    paid = Yuan(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["due", "partial", "paid", "overdue"]})


class SessionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    held_on = ma.fields.Date(required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(SESSION_STATUSES)})
    starts_at = ma.fields.Time(required=True, allow_none=True)
    ends_at = ma.fields.Time(required=True, allow_none=True)
    outcome = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "One of " + ", ".join(SESSION_OUTCOMES) + "; null for a session not yet held."})
    attendees = ma.fields.String(required=True)
    notes = ma.fields.String(required=True)


class ScheduleSchema(ma.Schema):
    mediation_started_on = ma.fields.Date(required=True, allow_none=True)
    mediation_due_on = ma.fields.Date(required=True, allow_none=True)
    due_is_approximate = ma.fields.Boolean(required=True, metadata={
        "description": "The holiday calendar of the due date's year is not yet published."})
    extended = ma.fields.Boolean(required=True)
    sessions = ma.fields.List(ma.fields.Nested(SessionSchema), required=True)
    installments = ma.fields.List(ma.fields.Nested(InstallmentSchema), required=True, metadata={
        "description": "The payment schedule of the agreement."})


class PaymentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    worker_id = ma.fields.Integer(required=True)
    amount = Yuan(required=True)
    paid_on = ma.fields.Date(required=True)
    method = ma.fields.String(required=True, metadata={"enum": list(PAYMENT_METHODS)})
    receipt_no = ma.fields.String(required=True)
    enforcement_path_id = ma.fields.Integer(required=True, allow_none=True)
    recorded_at = Instant(required=True)
    voided_at = Instant(required=True, allow_none=True, metadata={
        "description": "Set when the payment was voided (recorded in error): it then counts nowhere."})
    void_reason = ma.fields.String(required=True, allow_none=True)


class EnforcementPathSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(ENFORCEMENT_KINDS)})
    applied_on = ma.fields.Date(required=True)
    deadline_on = ma.fields.Date(required=True, allow_none=True)
    court = ma.fields.String(required=True)
    court_case_no = ma.fields.String(required=True)
    outcome = ma.fields.String(required=True, metadata={"enum": list(ENFORCEMENT_OUTCOMES)})
    outcome_on = ma.fields.Date(required=True, allow_none=True)


class AgreementSchema(ma.Schema):
    version = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True)
    verification_code = ma.fields.String(required=True)
    created_at = Instant(required=True)
    effective_on = ma.fields.Date(required=True, allow_none=True)
    judicial_confirmation_until = ma.fields.Date(required=True, allow_none=True, metadata={
        "description": "The last day to apply for judicial confirmation (apply_confirmation): day 30 after the "
                       "agreement took effect, moved to the next working day if it is not one; null before then."})


class EventSchema(ma.Schema):
    at = Instant(required=True)
    actor = ma.fields.Nested(PersonSchema, required=True, allow_none=True)
    action = ma.fields.String(required=True)
    from_state = ma.fields.String(required=True, allow_none=True)
    to_state = ma.fields.String(required=True, allow_none=True)
    note = ma.fields.String(required=True)


class TotalsSchema(ma.Schema):
    claimed = Yuan(required=True)
    agreed = Yuan(required=True)
    paid = Yuan(required=True)
    outstanding = Yuan(required=True)
    written_off = Yuan(required=True)


class CaseSchema(CaseSummarySchema):
    language = ma.fields.String(required=True, metadata={"enum": list(LANGUAGES)})
    summary = ma.fields.String(required=True)
    referred_on = ma.fields.Date(required=True, allow_none=True)
    settled_on = ma.fields.Date(required=True, allow_none=True)
    agreement_effective_on = ma.fields.Date(required=True, allow_none=True)
    ended_on = ma.fields.Date(required=True, allow_none=True)
    outcome_reason = ma.fields.String(required=True)
    employer = ma.fields.Nested(EmployerSchema, required=True)
    workers = ma.fields.List(ma.fields.Nested(WorkerSchema), required=True)
    claims = ma.fields.List(ma.fields.Nested(ClaimSchema), required=True)
    totals = ma.fields.Nested(TotalsSchema, required=True)
    assignment = ma.fields.Nested(AssignmentSchema, required=True)
    schedule = ma.fields.Nested(ScheduleSchema, required=True)
    payments = ma.fields.List(ma.fields.Nested(PaymentSchema), required=True)
    enforcement_paths = ma.fields.List(ma.fields.Nested(EnforcementPathSchema), required=True)
    agreement = ma.fields.Nested(AgreementSchema, required=True, allow_none=True, metadata={
        "description": "The current version of the agreement PDF, if one was generated."})
    history = ma.fields.List(ma.fields.Nested(EventSchema), required=True, metadata={
        "description": "Every state change and edit of consequence, oldest first."})
    available_actions = ma.fields.List(ma.fields.String(metadata={"enum": list(TRIGGERS)}), required=True, metadata={
        "description": "The triggers you may fire now (POST /cases/{number}/actions/{trigger})."})


class IntakeResultSchema(CaseSchema):
    warnings = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "What the intake found worth checking but not wrong (an ID number's birth-place code "
                       "missing from today's code list); empty for a referral registered before."})
