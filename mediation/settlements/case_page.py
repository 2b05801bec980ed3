"""The settlement's part of the case page: money per worker, the agreement with its schedule and
signatures, the documents and the payments."""

from __future__ import annotations

from mediation import policy
from mediation.case_core.pages import CasePagePart, register_case_page_part
from mediation.models import Case, User
from mediation.settlements.selectors import documents_of, money_by_worker
from mediation.settlements.signing import current_agreement, party_name, required_parties, signatures_on


def _context(user: User, case: Case) -> dict:
    agreement = current_agreement(case) if case.settled_on else None
    return {"documents": documents_of(case) if policy.can_read_documents(user, case) else [],
            "money": money_by_worker(case) if case.settled_on else [],
            "agreement": agreement, "signatures": signatures_on(agreement),
            "parties": required_parties(case) if agreement else [], "party_name": party_name}


register_case_page_part(CasePagePart("settlements/_case_panel.html", _context, order=10))
