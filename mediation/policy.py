"""Who may see and do what: the one place for access rules; templates ask the same predicates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select

import workflows
from mediation.models import Case, Region, User
from workflows.roles import HAZARD_RECORDING_ROLES, ROLES


def region_subtree_codes(region: Region) -> Select:
    """A subquery of the codes of `region` and everything below it."""
    return select(Region.code).where(Region.path.startswith(region.path, autoescape=True))


def in_scope(user: User) -> ColumnElement[bool]:
    """The SQL condition of `can_see_case`: a case of the user's home region's subtree."""
    in_region = Case.region_code.in_(region_subtree_codes(user.region))
    if user.role == "lawyer":  # a lawyer assigned across regions (with an override) sees that case
        return or_(in_region, Case.lawyer_id == user.id)
    return in_region


def scoped_cases(user: User) -> Select:
    """Cases the user may see: those of their home region's subtree."""
    return select(Case).where(in_scope(user))


def can_see_case(user: User, case: Case) -> bool:
    if not user.is_authenticated:
        return False
    return case.region.path.startswith(user.region.path) or (user.role == "lawyer" and case.lawyer_id == user.id)


def can_see_region(user: User, region: Region) -> bool:
    return region.path.startswith(user.region.path)


def acting_role(user: User, case: Case) -> str | None:
    """The role the user acts in on this case: a lawyer acts only on cases assigned to them."""
    if not can_see_case(user, case):
        return None
    if user.role == "lawyer" and case.lawyer_id != user.id:
        return None
    return user.role


CASE_WORKER_ROLES = workflows.CASE_WORKER_ROLES  # a supervisor reviews cases and never acts on one


def can_act_on_case(user: User, case: Case) -> bool:
    """May the user open the action pages of this case at all (the state decides which)."""
    return acting_role(user, case) in CASE_WORKER_ROLES


def can_see_personal_data(user: User, case: Case | None) -> bool:
    """May ask to see full ID numbers and phones (mediation/disclosure: each time, with a purpose,
    recorded): admins, and the mediator and lawyer assigned to the case."""
    if user.role == "admin":
        return True
    return case is not None and user.id in (case.mediator_id, case.lawyer_id)


# Triggers whose guard is satisfied on their own form (the amounts, the venue): the button
# shows even while the guard still fails, and the form collects what it needs.
COMPLETED_BY_FORM = frozenset({"refer", "settle"})


def available_actions(user: User, case: Case) -> list[str]:
    """Triggers the user may fire now (the API's `available_actions`)."""
    return [name for name in workflows.TRIGGERS if trigger_button(user, case, name) == (True, None)]


def trigger_button(user: User, case: Case, trigger: str) -> tuple[bool, str | None]:
    """(shown, the reason it is blocked or None) for a trigger's button on the case page: one
    blocked by a guard is shown disabled with its reason, so people see what is missing."""
    refused = workflows.refusal(case, trigger, acting_role(user, case))
    if refused is None or (refused.kind == "guard" and trigger in COMPLETED_BY_FORM):
        return True, None
    return (True, refused.reason) if refused.kind == "guard" else (False, None)


def can_record_session(user: User, case: Case) -> bool:
    return case.state == "mediating" and acting_role(user, case) in CASE_WORKER_ROLES


# Who could ever take the operations that fire no trigger (a trigger's roles are the workflow's).
ASSIGNING_ROLES = frozenset({"mediator", "admin"})
DECLINING_ROLES = frozenset({"lawyer"})


def can_edit_assignment(user: User, case: Case) -> bool:
    return case.state in ("intake", "referred") and acting_role(user, case) in ASSIGNING_ROLES


def can_correct_party(user: User, case: Case) -> bool:
    """Correct what the case recorded of a party (mediation/cases/party_corrections.py): who works
    the case, while it is open."""
    return case.state not in workflows.TERMINAL_STATES and acting_role(user, case) in CASE_WORKER_ROLES


# Money is paid under an effective agreement, by the employer or through a court path.
PAYMENT_STATES = ("settled", "enforcing")


def can_record_payment(user: User, case: Case) -> bool:
    return (case.state in PAYMENT_STATES and case.agreement_effective_on is not None and case.outstanding_fen > 0
            and acting_role(user, case) in CASE_WORKER_ROLES)


def can_void_payment(user: User, case: Case) -> bool:
    """Void a payment recorded in error: while the case is paid (a closed case is never reopened)."""
    return case.state in PAYMENT_STATES and bool(case.payments) and acting_role(user, case) in CASE_WORKER_ROLES


def can_correct_claims(user: User, case: Case) -> bool:
    """Correct the claims: until the case is settled (the agreed amounts rest on them)."""
    return case.state in CLAIM_CORRECTION_STATES and acting_role(user, case) in CASE_WORKER_ROLES


CLAIM_CORRECTION_STATES = ("intake", "referred", "mediating")


def can_draft_agreement(user: User, case: Case) -> bool:
    """Set the payment schedule, generate the agreement, record signatures: until it takes effect."""
    return (case.state == "settled" and case.agreement_effective_on is None
            and acting_role(user, case) in CASE_WORKER_ROLES)


def can_work_enforcement(user: User, case: Case) -> bool:
    """Take another court path after a default."""
    return case.state == "enforcing" and acting_role(user, case) in CASE_WORKER_ROLES


def can_work_court_paths(user: User, case: Case) -> bool:
    """Record a court path's outcome, make the judicial-confirmation application PDF: while the
    agreement in effect is paid or enforced (a confirmation is applied for with no default)."""
    return (case.state in PAYMENT_STATES and case.agreement_effective_on is not None
            and acting_role(user, case) in CASE_WORKER_ROLES)


def can_read_statistics(user: Any) -> bool:
    """Supervisors and administrators read the recovery statistics of their region's subtree."""
    return user.is_authenticated and user.role in ("supervisor", "admin")


def can_read_access_records(user: Any) -> bool:
    """Who saw which case's personal data: administrators and supervisors, of their region subtree."""
    return user.is_authenticated and user.role in ("supervisor", "admin")


def can_read_audit_log(user: Any) -> bool:
    """The log of privileged operations (users, venues, rosters, tokens, locks...): administrators and
    supervisors, of their region subtree."""
    return user.is_authenticated and user.role in ("supervisor", "admin")


def can_manage_users(user: Any) -> bool:
    return getattr(user, "role", None) == "admin"


def can_manage_tokens_of(user: Any, owner: User) -> bool:
    """API tokens: everyone their own; an administrator those of the users of their region's subtree."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.id == owner.id or (can_manage_users(user) and can_see_region(user, owner.region))


def can_override_uscc(user: Any) -> bool:
    return getattr(user, "role", None) in ("supervisor", "admin")


def can_edit_employer_master(user: Any) -> bool:
    """Change an employer's master record (its name, representative, address: what the risk register
    and statistics call it): who keeps a region's books, as for accepting a code; only employers
    with a case in their scope (mediation/admin/services.py). A case's own record never changes."""
    return getattr(user, "role", None) in ("supervisor", "admin")


def can_import_cases(user: Any) -> bool:
    """Import a ledger of past cases: it writes many cases into a region's record and statistics
    at once, an act of who keeps the region's books; each case is still checked against the
    importer's region. Mediators take in their cases one by one (case_intake)."""
    return getattr(user, "role", None) in ("supervisor", "admin")


def can_read_hazards(user: Any) -> bool:
    """The risk-screening register (mediation/hazards) of the user's region subtree: everyone signed in."""
    return getattr(user, "is_authenticated", False) and user.role in ROLES


def can_record_hazards(user: Any) -> bool:
    """Record a hazard, add a step, close it, make a supervision notice: who screens employers."""
    return getattr(user, "is_authenticated", False) and user.role in HAZARD_RECORDING_ROLES


def can_assign_lawyer(user: User, case: Case) -> bool:
    return case.state in ("intake", "referred", "mediating") and acting_role(user, case) in ("mediator", "admin")


def can_decline(user: User, case: Case) -> bool:
    """acting_role is "lawyer" only for the lawyer assigned to the case."""
    return (case.state in ("intake", "referred", "mediating")
            and acting_role(user, case) in DECLINING_ROLES)


def can_schedule_session(user: User, case: Case) -> bool:
    return (case.state in ("referred", "mediating") and case.lawyer_id is not None and case.venue_id is not None
            and acting_role(user, case) in CASE_WORKER_ROLES)


def can_cancel_session(user: User, case: Case) -> bool:
    """Cancel a booked session, whatever the case's state (a settled case's booking frees the slot)."""
    return any(s.status == "scheduled" for s in case.sessions) and acting_role(user, case) in CASE_WORKER_ROLES


def can_reschedule_session(user: User, case: Case) -> bool:
    """Move a booked session: when a new one could be booked (can_schedule_session)."""
    return can_schedule_session(user, case) and any(s.status == "scheduled" for s in case.sessions)


# The agreement PDF is made once the terms are final, and remade until it takes effect.
AGREEMENT_STATES = ("settled",)


def can_generate_agreement(user: User, case: Case) -> bool:
    """The right to make the agreement PDF (the state is checked apart: a refusal, 409)."""
    return acting_role(user, case) in CASE_WORKER_ROLES


def can_offer_agreement(user: User, case: Case) -> bool:
    """Show the generate button: the right, and a state that allows it."""
    return can_draft_agreement(user, case)


def can_read_documents(user: User, case: Case) -> bool:
    """Download the stored documents: who works the case, and a supervisor reviewing it."""
    return acting_role(user, case) in CASE_WORKER_ROLES | {"supervisor"}
