"""The consultation a case was taken in from, linked on the case page."""

from __future__ import annotations

from sqlalchemy import select

from mediation.case_core.pages import CasePagePart, register_case_page_part
from mediation.extensions import db
from mediation.models import Case, Consultation, User


def _context(user: User, case: Case) -> dict:
    # whoever sees the case sees that it began as a consultation (the same region's record)
    return {"from_consultation": db.session.scalar(select(Consultation).where(Consultation.case_id == case.id))}


register_case_page_part(CasePagePart("consultations/_case_panel.html", _context, order=5))
