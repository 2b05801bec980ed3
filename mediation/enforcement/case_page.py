"""Enforcement's part of the case page: the judicial-confirmation window and the court paths."""

from __future__ import annotations

from mediation.case_core.pages import CasePagePart, register_case_page_part
from mediation.enforcement.services import path_deadline
from mediation.models import Case, User


def _context(user: User, case: Case) -> dict:
    return {"jc_deadline": path_deadline(case, "judicial_confirmation")}


register_case_page_part(CasePagePart("enforcement/_case_panel.html", _context, order=20))
