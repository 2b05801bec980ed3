"""Who may see and log consultations: scoped by region like cases (mediation/policy.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from mediation import policy
from mediation.models import Consultation, User

# Lawyers and mediators answer the questions; supervisors and admins read what they logged.
RECORDING_ROLES = frozenset({"lawyer", "mediator"})
# Taking one in as a case is an intake (mediation/cases/intake.py): its roles.
INTAKE_ROLES = frozenset({"mediator", "admin"})


def in_scope(user: User) -> ColumnElement[bool]:
    """The SQL condition of `can_see`: a consultation of the user's region subtree."""
    return Consultation.region_code.in_(policy.region_subtree_codes(user.region))


def can_see(user: Any, consultation: Consultation) -> bool:
    return user.is_authenticated and consultation.region.path.startswith(user.region.path)


def can_record(user: Any) -> bool:
    return user.is_authenticated and user.role in RECORDING_ROLES


def can_edit(user: Any, consultation: Consultation) -> bool:
    return can_record(user) and can_see(user, consultation)


def can_take_in(user: Any, consultation: Consultation) -> bool:
    return (user.is_authenticated and user.role in INTAKE_ROLES and can_see(user, consultation)
            and consultation.case_id is None)
