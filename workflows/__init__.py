"""The case workflow and its statutory clocks, free of Flask so it can be tested and drawn alone."""

from workflows.case_machine import (
    CASE_MACHINE,
    OPEN_STATES,
    ROLES,
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
    MAX_EXTENSION_DAYS,
    MEDIATION_PERIOD_DAYS,
    Deadline,
    extended_deadline,
    is_overdue,
    is_working_day,
    mediation_deadline,
    period_end,
)

__all__ = [
    "CASE_MACHINE", "OPEN_STATES", "ROLES", "STATES", "TERMINAL_STATES", "TRIGGERS",
    "TransitionRefused", "available_triggers", "fire", "refusal", "transitions_table",
    "MAX_EXTENSION_DAYS", "MEDIATION_PERIOD_DAYS", "Deadline", "extended_deadline",
    "is_overdue", "is_working_day", "mediation_deadline", "period_end",
]
