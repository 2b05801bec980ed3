"""Conflicts of interest that keep a lawyer off a case: checked when anyone assigns a lawyer (the
case's own assignment, the lawyer proposal, imports), so they live in the case core."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediation.extensions import db
from mediation.models import Case, ConflictDeclaration


def conflicts_of(case: Case, lawyer_id: int) -> list[str]:
    """The conflict-of-interest reasons that keep this lawyer off this case (two queries)."""
    reasons = []
    if db.session.execute(select(ConflictDeclaration.id).where(
            ConflictDeclaration.lawyer_id == lawyer_id,
            ConflictDeclaration.employer_uscc == case.employer.uscc)).first():
        reasons.append(str(_l("Declared a conflict of interest with this employer.")))
    if db.session.execute(select(Case.id).where(
            Case.employer_id == case.employer_id, Case.employer_agent_id == lawyer_id)).first():
        reasons.append(str(_l("Has acted for this employer in an earlier case.")))
    return reasons
