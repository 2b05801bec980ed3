"""Reading the audit log: the entries of a viewer's region subtree, and what each action is called."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from mediation import policy
from mediation.common.errors import NotPermitted
from mediation.models import AuditEntry, User

# Every action code the services write (mediation/audit/log.py's callers), as the page names it.
ACTION_LABELS = {
    "user.create": _l("User created"),
    "user.update": _l("User changed"),
    "venue.create": _l("Venue created"),
    "venue.update": _l("Venue changed"),
    "lawyer.create": _l("Lawyer profile created"),
    "lawyer.update": _l("Lawyer profile changed"),
    "lawyer.conflict": _l("Conflict of interest declared"),
    "roster.add": _l("Added to the duty roster"),
    "roster.remove": _l("Removed from the duty roster"),
    "roster.exception": _l("Duty roster exception"),
    "employer.accept_code": _l("Employer code accepted"),
    "employer.update": _l("Employer's master record changed"),
    "stats.lock": _l("Figures locked"),
    "token.issue": _l("API token issued"),
    "token.revoke": _l("API token revoked"),
    "import.ledger": _l("Ledger imported"),
    "hazard.record": _l("Hazard recorded"),
    "hazard.step": _l("Step taken on a hazard"),
    "hazard.close": _l("Hazard closed"),
    "hazard.notice": _l("Supervision notice generated"),
}


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    username: str = ""


def audit_entries_query(viewer: User, filters: AuditFilters) -> Select:
    """The entries of the viewer's region subtree, newest first (seq is the order they were written in)."""
    if not policy.can_read_audit_log(viewer):
        raise NotPermitted(_l("Only administrators and supervisors read the audit log."))
    query = (select(AuditEntry).where(AuditEntry.region_code.in_(policy.region_subtree_codes(viewer.region)))
             .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.region)))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.username:
        query = query.where(AuditEntry.actor.has(User.username == filters.username))
    return query.order_by(AuditEntry.seq.desc())
