"""Record a "show" of a case's personal data, and read the records back."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from mediation import policy
from mediation.common.errors import NotPermitted, ValidationFailed
from mediation.extensions import db
from mediation.models import DISCLOSURE_CHANNELS, DISCLOSURE_PURPOSES, Case, PersonalDataAccess, User, Worker

NOTE_MAX_LENGTH = 200


def personal_data_show(*, actor: User, case: Case, purpose: str, note: str, channel: str,
                       remote_addr: str | None) -> tuple[PersonalDataAccess, list[Worker]]:
    """Write the access record and hand back the case's workers, whose full numbers the caller
    may now send. Flushes; the caller commits, and must commit before it sends the numbers, so
    that no number leaves the server without its record."""
    if not policy.can_see_personal_data(actor, case):
        raise NotPermitted(_l("Only the case's mediator, its lawyer and administrators may see full ID numbers "
                              "and phones."))
    purpose = (purpose or "").strip()
    note = " ".join((note or "").split())
    errors: dict[str, list[str]] = {}
    if purpose not in DISCLOSURE_PURPOSES:
        errors["purpose"] = [str(_l("Choose why you need the full numbers."))]
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [str(_l("At most %(n)d characters.", n=NOTE_MAX_LENGTH))]
    elif purpose == "other" and not note:
        errors["note"] = [str(_l("Say why you need the full numbers."))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    if channel not in DISCLOSURE_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")  # a programming error, not the user's
    record = PersonalDataAccess(user_id=actor.id, case_id=case.id, purpose=purpose, note=note, channel=channel,
                                remote_addr=(remote_addr or "")[:45])
    db.session.add(record)
    db.session.flush()
    return record, list(case.workers)


@dataclass(frozen=True)
class AccessFilters:
    case_number: str = ""
    username: str = ""


def access_records_query(viewer: User, filters: AccessFilters) -> Select:
    """Records of the cases in the viewer's region subtree, newest first."""
    if not policy.can_read_access_records(viewer):
        raise NotPermitted(_l("Only administrators and supervisors read who saw personal data."))
    query = (select(PersonalDataAccess).join(PersonalDataAccess.case)
             .where(Case.region_code.in_(policy.region_subtree_codes(viewer.region)))
             .options(joinedload(PersonalDataAccess.case), joinedload(PersonalDataAccess.user)))
    if filters.case_number:
        query = query.where(Case.number == filters.case_number)
    if filters.username:
        query = query.where(PersonalDataAccess.user.has(User.username == filters.username))
    return query.order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())
