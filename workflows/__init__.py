"""The case workflow and its statutory clocks, free of Flask so it can be tested and drawn alone."""

from workflows.case_machine import (
    CASE_MACHINE,
    OPEN_STATES,
    STATES,
    TERMINAL_STATES,
    TRIGGERS,
    TransitionRefused,
    available_triggers,
    fire,
    refusal,
    transitions_table,
)
from workflows.deadlines import (
    JUDICIAL_CONFIRMATION_DAYS,
    MAX_EXTENSION_DAYS,
    MEDIATION_PERIOD_DAYS,
    Deadline,
    enforcement_application_deadline,
    extended_deadline,
    is_overdue,
    is_working_day,
    judicial_confirmation_deadline,
    judicial_confirmation_open,
    mediation_deadline,
    period_end,
)
from workflows.roles import CASE_WORKER_ROLES, ROLES

__all__ = [
    "CASE_MACHINE", "CASE_WORKER_ROLES", "OPEN_STATES", "ROLES", "STATES", "TERMINAL_STATES", "TRIGGERS",
    "TransitionRefused", "available_triggers", "fire", "refusal", "transitions_table",
    "JUDICIAL_CONFIRMATION_DAYS", "MAX_EXTENSION_DAYS", "MEDIATION_PERIOD_DAYS", "Deadline",
    "enforcement_application_deadline", "extended_deadline", "is_overdue", "is_working_day",
    "judicial_confirmation_deadline", "judicial_confirmation_open", "mediation_deadline", "period_end",
]
